package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The polite adaptive limit, driven outcome by outcome on a clock of its own: no sleeps. */
class PoliteLimitTest {
  static final long RTT = Duration.ofMillis(200).toNanos();

  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final PoliteLimit limit = new PoliteLimit(20, now::get);

  /** A round: as many successes as the limit allows, each sent with the limit in use. */
  void round() {
    round(limit);
  }

  void round(PoliteLimit l) {
    int slots = l.limit();
    for (int i = 0; i < slots; i++) {
      l.succeeded(slots, RTT);
    }
    now.addAndGet(RTT);
  }

  void roundsUntil(int target) {
    for (int i = 0; i < 200 && limit.limit() < target; i++) {
      round();
    }
    assertThat(limit.limit()).isEqualTo(target);
  }

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void slowStartDoublesPerRoundTripUpToAQuarterOfTheCeilingThenAddsOnePerRound() {
    PoliteLimit big = new PoliteLimit(40, now::get);
    assertThat(big.limit()).isEqualTo(PoliteLimit.INITIAL_LIMIT);

    round(big);
    assertThat(big.limit()).isEqualTo(2 * PoliteLimit.INITIAL_LIMIT);
    round(big);
    assertThat(big.limit()).isEqualTo(8);
    round(big);
    assertThat(big.limit()).as("a quarter of the ceiling").isEqualTo(10);
    round(big);
    assertThat(big.limit()).isEqualTo(11);
    for (int i = 0; i < 100; i++) {
      round(big);
    }
    assertThat(big.limit()).isEqualTo(40);
  }

  @Test
  void slowStartGoesToFourAtLeast() {
    round();
    round();

    assertThat(limit.limit()).as("max(4, 20 / 4) = 5").isEqualTo(5);
  }

  @Test
  void successesWhileTheLimitIsLittleUsedDoNotRaiseIt() {
    roundsUntil(8);

    for (int i = 0; i < 100; i++) {
      limit.succeeded(3, RTT); // 3 in flight of 8: an idle account says nothing about a 9th
    }

    assertThat(limit.limit()).isEqualTo(8);
  }

  @Test
  void aThrottleSettlesOneBelowTheLevelRefusedAndRemembersIt() {
    roundsUntil(16);

    limit.throttled(9);

    assertThat(limit.limit()).isEqualTo(8);
    assertThat(limit.wall()).isEqualTo(9);
  }

  @Test
  void aThrottleLowersTheLimitByOneAtLeast() {
    roundsUntil(8);

    limit.throttled(12); // sent before the limit fell to 8, say

    assertThat(limit.limit()).isEqualTo(7);
    assertThat(limit.wall()).as("no higher than the limit it was refused under").isEqualTo(8);
  }

  @Test
  void belowTheLevelRefusedTheLimitStaysUntilTheHoldEnds() {
    roundsUntil(16);
    limit.throttled(9);

    for (int i = 0; i < 50; i++) {
      round();
    }
    advance(PoliteLimit.FIRST_HOLD.minusSeconds(15));
    round();
    round();

    assertThat(limit.limit()).as("one below the wall, held").isEqualTo(8);
  }

  @Test
  void afterTheHoldTheWallIsTriedOnceAndARoundWithoutRefusalTakesItAway() {
    roundsUntil(16);
    limit.throttled(9);
    advance(PoliteLimit.FIRST_HOLD);

    round();
    assertThat(limit.limit()).as("the probe").isEqualTo(9);
    round();
    assertThat(limit.wall()).as("no refusal at 9: the account has room again").isZero();
    assertThat(limit.limit()).isEqualTo(10);
    round();
    assertThat(limit.limit()).as("one per round, no faster").isEqualTo(11);
  }

  @Test
  void aProbeRefusedAgainDoublesTheHoldUpToTheMaximum() {
    roundsUntil(16);
    limit.throttled(9);
    Duration hold = PoliteLimit.FIRST_HOLD;
    for (int probe = 0; probe < 6; probe++) {
      advance(hold);
      round();
      assertThat(limit.limit()).isEqualTo(9);

      limit.throttled(9);

      hold =
          hold.multipliedBy(2).compareTo(PoliteLimit.MAX_HOLD) > 0
              ? PoliteLimit.MAX_HOLD
              : hold.multipliedBy(2);
      assertThat(limit.hold()).isEqualTo(hold);
      assertThat(limit.limit()).isEqualTo(8);
      advance(hold.minusSeconds(1));
      round();
      assertThat(limit.limit()).as("held for %s", hold).isEqualTo(8);
      advance(Duration.ofSeconds(1));
    }
    assertThat(limit.hold()).isEqualTo(PoliteLimit.MAX_HOLD);
  }

  @Test
  void aRefusalAtALowerLevelMovesTheWallDown() {
    roundsUntil(16);
    limit.throttled(9); // 8, wall 9
    limit.throttled(5); // a burst of the account's other traffic: 4, wall 5
    assertThat(limit.limit()).isEqualTo(4);
    assertThat(limit.wall()).isEqualTo(5);

    round();
    assertThat(limit.limit()).as("at the wall's step: held").isEqualTo(4);
  }

  @Test
  void risingLatencyLowersTheLimitByATenthOncePerRoundTripWithoutAWall() {
    roundsUntil(20);
    long slow = 3 * RTT;

    limit.succeeded(20, slow);
    for (int i = 0; i < 30; i++) {
      limit.succeeded(20, slow);
    }
    int afterOneRoundTrip = limit.limit();

    assertThat(afterOneRoundTrip).isEqualTo(18);
    assertThat(limit.wall()).isZero();
    now.addAndGet(slow);
    limit.succeeded(20, slow);
    assertThat(limit.limit()).isEqualTo(16);

    // no wall, so once round trips are back to normal the limit climbs one per round
    for (int i = 0; i < 100; i++) {
      limit.succeeded(1, RTT); // the smoothed round trip settles, the limit little used
    }
    advance(Duration.ofSeconds(1));
    round();
    assertThat(limit.limit()).isEqualTo(17);
    round();
    assertThat(limit.limit()).isEqualTo(18);
  }

  @Test
  void jitteryButSteadyLatencyNeverLowersTheLimit() {
    Random random = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      int slots = limit.limit();
      long rtt = RTT + Duration.ofMillis(random.nextInt(100)).toNanos();
      limit.succeeded(slots, rtt);
      now.addAndGet(rtt / slots);
    }

    assertThat(limit.limit()).isEqualTo(20);
  }

  @Test
  void fastRoundTripsThatVaryAreNoSignal() {
    roundsUntil(20);
    for (int i = 0; i < 100; i++) {
      limit.succeeded(20, Duration.ofMillis(1).toNanos());
    }
    for (int i = 0; i < 100; i++) {
      limit.succeeded(20, Duration.ofMillis(40).toNanos()); // 40x, but only 39 ms more
    }

    assertThat(limit.limit()).isEqualTo(20);
  }

  @Test
  void theLimitNeverFallsBelowOne() {
    for (int i = 0; i < 20; i++) {
      limit.throttled(1);
    }

    assertThat(limit.limit()).isEqualTo(1);
  }

  @Test
  void aCeilingBelowTheInitialLimitIsTheLimit() {
    PoliteLimit one = new PoliteLimit(1, now::get);
    one.succeeded(1, RTT);

    assertThat(one.limit()).isEqualTo(1);
  }
}
