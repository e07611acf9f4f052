package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The adaptive concurrency limit through the limiter's permits, driven outcome by outcome on a
 * clock of its own: no sleeps. {@link PoliteLimitTest} holds the policy itself.
 */
class AccountLimiterAdaptiveTest {
  static final double NO_RATE_LIMIT = 1e9;

  final AtomicLong clock = new AtomicLong();

  AccountLimiter adaptive(int ceiling) {
    return new AccountLimiter(ceiling, NO_RATE_LIMIT, Duration.ofSeconds(30), true, clock::get);
  }

  /** Fills every slot the limit allows, then reports each request a success. */
  static void roundOfSuccesses(AccountLimiter limiter) {
    List<AccountLimiter.Permit> held = new ArrayList<>();
    int slots = limiter.limit();
    for (int i = 0; i < slots; i++) {
      held.add(limiter.acquire());
    }
    for (AccountLimiter.Permit p : held) {
      p.succeeded();
      p.close();
    }
  }

  static void throttle(AccountLimiter limiter) {
    try (AccountLimiter.Permit p = limiter.acquire()) {
      p.throttled();
    }
  }

  @Test
  void theLimitStartsLowAndGrowsWithSuccesses() {
    AccountLimiter limiter = adaptive(100);
    assertThat(limiter.limit()).isEqualTo(PoliteLimit.INITIAL_LIMIT);

    roundOfSuccesses(limiter);

    assertThat(limiter.limit()).isGreaterThan(PoliteLimit.INITIAL_LIMIT);
    assertThat(limiter.maxConcurrent()).isEqualTo(100);
  }

  @Test
  void aThrottleSettlesOneBelowTheSlotsInUseAndTheLimitTriesThemAgainOnlyAfterTheHold() {
    AccountLimiter limiter = adaptive(100);
    while (limiter.limit() < 16) {
      roundOfSuccesses(limiter);
    }
    int before = limiter.limit();
    List<AccountLimiter.Permit> held = new ArrayList<>();
    for (int i = 0; i < before; i++) {
      held.add(limiter.acquire());
    }

    AccountLimiter.Permit last = held.remove(held.size() - 1);
    last.throttled();
    last.close();
    held.forEach(
        p -> {
          p.succeeded();
          p.close();
        });

    assertThat(limiter.limit()).isEqualTo(before - 1);
    for (int round = 0; round < 20; round++) {
      roundOfSuccesses(limiter);
    }
    assertThat(limiter.limit()).as("held below the level refused").isEqualTo(before - 1);
    clock.addAndGet(PoliteLimit.FIRST_HOLD.toNanos());
    roundOfSuccesses(limiter); // half of a round sent one by one find the limit in use
    roundOfSuccesses(limiter);
    assertThat(limiter.limit()).as("tried again after the hold").isEqualTo(before);
  }

  @Test
  void throttlesOfRequestsSentBeforeADecreaseDoNotLowerTheLimitAgain() {
    AccountLimiter limiter = adaptive(100);
    while (limiter.limit() < 16) {
      roundOfSuccesses(limiter);
    }
    List<AccountLimiter.Permit> burst = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      burst.add(limiter.acquire());
    }

    for (int i = burst.size() - 1; i >= 0; i--) {
      burst.get(i).throttled(); // the last sent first: it was sent with 10 in flight
      burst.get(i).close();
    }

    assertThat(limiter.limit()).isEqualTo(9);
    throttle(limiter); // sent after the decrease, alone: a new signal
    assertThat(limiter.limit()).isEqualTo(1);
  }

  @Test
  void theLimitNeverFallsBelowOne() {
    AccountLimiter limiter = adaptive(10);
    for (int i = 0; i < 20; i++) {
      throttle(limiter);
    }

    assertThat(limiter.limit()).isEqualTo(1);
    try (AccountLimiter.Permit p = limiter.acquire()) {
      assertThat(limiter.inUse()).isEqualTo(1);
    }
  }

  @Test
  void theLimitNeverExceedsTheConfiguredCeiling() {
    AccountLimiter limiter = adaptive(6);
    for (int round = 0; round < 50; round++) {
      roundOfSuccesses(limiter);
      assertThat(limiter.limit()).isLessThanOrEqualTo(6);
    }

    assertThat(limiter.limit()).isEqualTo(6);
    AccountLimiter noWait = new AccountLimiter(6, NO_RATE_LIMIT, Duration.ZERO, true);
    for (int round = 0; round < 50; round++) {
      roundOfSuccesses(noWait);
    }
    List<AccountLimiter.Permit> held = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      held.add(noWait.acquire());
    }
    assertThatThrownBy(noWait::acquire)
        .isInstanceOf(TwilioTransportException.class)
        .hasMessageContaining("free request slot");
    held.forEach(AccountLimiter.Permit::close);
  }

  @Test
  void withAdaptationOffTheCeilingIsTheLimit() {
    AccountLimiter limiter = new AccountLimiter(7, NO_RATE_LIMIT, Duration.ZERO, false);
    assertThat(limiter.limit()).isEqualTo(7);

    for (int i = 0; i < 5; i++) {
      throttle(limiter);
    }
    assertThat(limiter.limit()).isEqualTo(7);
    roundOfSuccesses(limiter);
    assertThat(limiter.limit()).isEqualTo(7);

    List<AccountLimiter.Permit> held = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      held.add(limiter.acquire());
    }
    assertThat(limiter.inUse()).isEqualTo(7);
    assertThatThrownBy(limiter::acquire).isInstanceOf(TwilioTransportException.class);
    held.forEach(AccountLimiter.Permit::close);
    assertThat(limiter.inUse()).isZero();
  }

  @Test
  void aRequestWaitsForASlotWhenTheLimitIsReached() throws Exception {
    AccountLimiter limiter = adaptive(20);
    roundOfSuccesses(limiter);
    assertThat(limiter.limit()).isEqualTo(4);
    List<AccountLimiter.Permit> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(limiter.acquire());
    }
    // the last sent is throttled: the limit falls below the slots held
    AccountLimiter.Permit throttled = held.remove(3);
    throttled.throttled();
    throttled.close();
    assertThat(limiter.limit()).isEqualTo(3);
    assertThat(limiter.inUse()).isEqualTo(3);

    CompletableFuture<AccountLimiter.Permit> waiter =
        CompletableFuture.supplyAsync(limiter::acquire);
    while (limiter.waiting() == 0) {
      Thread.onSpinWait();
    }
    assertThat(waiter).isNotDone();

    held.remove(0).close();

    AccountLimiter.Permit admitted = waiter.get(30, TimeUnit.SECONDS);
    assertThat(limiter.inUse()).isEqualTo(3);
    admitted.close();
    held.forEach(AccountLimiter.Permit::close);
    assertThat(limiter.inUse()).isZero();
  }

  @Test
  void otherErrorsDoNotMoveTheLimit() {
    AccountLimiter limiter = adaptive(20);
    roundOfSuccesses(limiter);
    int before = limiter.limit();

    for (int round = 0; round < 10; round++) {
      List<AccountLimiter.Permit> held = new ArrayList<>();
      for (int i = 0; i < before; i++) {
        held.add(limiter.acquire());
      }
      held.forEach(AccountLimiter.Permit::close); // closed without an outcome: 4xx, 5xx, I/O
    }

    assertThat(limiter.limit()).isEqualTo(before);
  }

  @Test
  void anOutcomeIsCountedOnceAndAPermitReleasedOnce() {
    AccountLimiter limiter = adaptive(20);
    roundOfSuccesses(limiter);
    List<AccountLimiter.Permit> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(limiter.acquire());
    }
    AccountLimiter.Permit p = held.remove(3);
    p.throttled();
    p.throttled();
    p.succeeded();
    p.close();
    p.close();

    assertThat(limiter.limit()).isEqualTo(3);
    assertThat(limiter.inUse()).isEqualTo(3);
    held.forEach(AccountLimiter.Permit::close);
    assertThat(limiter.inUse()).isZero();
  }
}
