package dev.byoc.sourceip.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An account Twilio throttles holds a few reconciles per request slot; otherwise any number. */
class ReconcileGateTest {
  final AtomicInteger limit = new AtomicInteger(2);
  final AtomicBoolean throttled = new AtomicBoolean(true);
  final ReconcileGate gate = new ReconcileGate(limit::get, throttled::get);

  @Test
  void aThrottledAccountHoldsThreeReconcilesPerRequestSlot() {
    for (int i = 0; i < 6; i++) {
      assertThat(gate.tryEnter()).as("reconcile %d", i).isTrue();
    }
    assertThat(gate.tryEnter()).isFalse();

    gate.exit();

    assertThat(gate.tryEnter()).isTrue();
    assertThat(gate.inside()).isEqualTo(6);
  }

  @Test
  void theCapFollowsTheAdaptiveLimitAndNeverFallsBelowTwo() {
    limit.set(0);
    assertThat(gate.capacity()).isEqualTo(2);
    limit.set(5);
    assertThat(gate.capacity()).isEqualTo(15);
  }

  @Test
  void anAccountTwilioDoesNotThrottleIsNeverCapped() {
    throttled.set(false);
    for (int i = 0; i < 1000; i++) {
      assertThat(gate.tryEnter()).isTrue();
    }
    throttled.set(true);
    assertThat(gate.tryEnter()).isFalse(); // 1000 inside, cap 6: no more until they leave
  }
}
