package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The adaptive concurrency limit, driven outcome by outcome: no clocks, no sleeps. */
class AccountLimiterAdaptiveTest {
  static final double NO_RATE_LIMIT = 1e9;

  static AccountLimiter adaptive(int ceiling) {
    return new AccountLimiter(ceiling, NO_RATE_LIMIT, Duration.ofSeconds(30), true);
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
    assertThat(limiter.limit()).isEqualTo(AccountLimiter.INITIAL_LIMIT);

    roundOfSuccesses(limiter);

    assertThat(limiter.limit()).isGreaterThan(AccountLimiter.INITIAL_LIMIT);
    assertThat(limiter.maxConcurrent()).isEqualTo(100);
  }

  @Test
  void theLimitFallsOnA429AndRecoversAfterSuccesses() {
    AccountLimiter limiter = adaptive(100);
    while (limiter.limit() < 20) {
      roundOfSuccesses(limiter);
    }
    int before = limiter.limit();

    throttle(limiter);

    int after = limiter.limit();
    assertThat(after).isEqualTo((int) (before * AccountLimiter.BACKOFF_RATIO)).isLessThan(before);
    // after a throttle the limit grows by one per round of successes, no faster
    roundOfSuccesses(limiter);
    assertThat(limiter.limit()).isEqualTo(after + 1);
    for (int round = 0; round < 100 && limiter.limit() < before; round++) {
      roundOfSuccesses(limiter);
    }
    assertThat(limiter.limit()).isEqualTo(before);
  }

  @Test
  void throttlesOfRequestsSentBeforeADecreaseDoNotLowerTheLimitAgain() {
    AccountLimiter limiter = adaptive(100);
    while (limiter.limit() < 20) {
      roundOfSuccesses(limiter);
    }
    List<AccountLimiter.Permit> burst = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      burst.add(limiter.acquire());
    }
    int before = limiter.limit();

    for (AccountLimiter.Permit p : burst) {
      p.throttled();
      p.close();
    }

    assertThat(limiter.limit()).isEqualTo((int) (before * AccountLimiter.BACKOFF_RATIO));
    throttle(limiter); // sent after the decrease: a new signal
    assertThat(limiter.limit())
        .isEqualTo(
            (int) ((int) (before * AccountLimiter.BACKOFF_RATIO) * AccountLimiter.BACKOFF_RATIO));
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
    List<AccountLimiter.Permit> held = new ArrayList<>();
    for (int i = 0; i < AccountLimiter.INITIAL_LIMIT; i++) {
      held.add(limiter.acquire());
    }
    // one of them is throttled: the limit falls below the slots held
    AccountLimiter.Permit throttled = held.remove(0);
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
    AccountLimiter.Permit p = limiter.acquire();
    p.throttled();
    p.throttled();
    p.succeeded();
    p.close();
    p.close();

    assertThat(limiter.limit()).isEqualTo(3);
    assertThat(limiter.inUse()).isZero();
  }
}
