package dev.byoc.sourceip.twilio;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The adaptive concurrency limit of one account, polite to the account's other traffic: Twilio's
 * 429 means the whole account is full, so every probe above what the account can take costs a
 * production call a refusal. It remembers the level that was refused (the wall), settles one below
 * it, and tries the wall again only after a hold that doubles each time the wall is still there.
 *
 * <ul>
 *   <li>Slow start: from {@link #INITIAL_LIMIT}, +1 per success while the limit is in use (it
 *       doubles per round trip), up to a quarter of the ceiling but at least {@link
 *       #SLOW_START_UP_TO}, or the first throttle; then +1 per round trip, so that the first
 *       refusal costs one request, not a round trip's worth.
 *   <li>A throttle of a request sent with {@code f} in flight: the limit becomes {@code f - 1} (at
 *       least one lower), the wall {@code f}, held for {@link #FIRST_HOLD} (doubled after a failed
 *       probe, up to {@link #MAX_HOLD}).
 *   <li>Below the wall: +1 per round of successes (TCP's congestion avoidance). At the wall's step:
 *       nothing until the hold ends, then one step up; a full round of successes there takes the
 *       wall away.
 *   <li>Rising latency (the smoothed round trip above {@link #LATENCY_TOLERANCE} times the recent
 *       minimum, and {@link #LATENCY_FLOOR} above it): the limit falls by a tenth, once per round
 *       trip. It sets no wall: it is a hint, not a refusal.
 * </ul>
 *
 * Netflix's AIMDLimit, used before, has no wall: it climbs back into the same refusal every few
 * round trips, which is exactly the harm this avoids. Not thread-safe: {@link AccountLimiter} calls
 * it under its lock.
 */
final class PoliteLimit {
  /** Where the limit starts: low, since the account's other traffic is unknown. */
  static final int INITIAL_LIMIT = 2;

  /** Slow start ends here at the latest (or at a quarter of the ceiling, when higher). */
  static final int SLOW_START_UP_TO = 4;

  /** How long the limit stays below a wall it has just met. */
  static final Duration FIRST_HOLD = Duration.ofMinutes(2);

  /** The longest hold, reached after failed probes. */
  static final Duration MAX_HOLD = Duration.ofMinutes(10);

  /** The smoothed round trip this many times the recent minimum reads as congestion. */
  static final double LATENCY_TOLERANCE = 2.5;

  /**
   * ... and at least this much above it, so that the jitter of fast round trips (a GC pause, a
   * local server) is no signal.
   */
  static final Duration LATENCY_FLOOR = Duration.ofMillis(50);

  /** What a latency signal keeps of the limit. */
  static final double LATENCY_BACKOFF = 0.9;

  /** Round trips read before latency counts as a signal, and per minimum window. */
  static final int LATENCY_SAMPLES = 20;

  static final int MIN_WINDOW = 250;

  private final int ceiling;
  private final int slowStartEnd;
  private final LongSupplier nanoTime;
  private int limit;
  private boolean slowStart = true;
  private int wall; // the in-flight level refused last; 0 when none stands
  private long holdNanos = FIRST_HOLD.toNanos();
  private long heldUntil;
  private int successesAtLimit; // qualifying successes since the last change

  // latency: EWMA of round trips, minimum of the current and the previous window
  private double smoothedRtt;
  private long samples;
  private long minNow = Long.MAX_VALUE;
  private long minBefore = Long.MAX_VALUE;
  private long latencyQuietUntil;

  PoliteLimit(int ceiling, LongSupplier nanoTime) {
    if (ceiling < 1) {
      throw new IllegalArgumentException("ceiling must be at least 1");
    }
    this.ceiling = ceiling;
    this.slowStartEnd = Math.max(SLOW_START_UP_TO, ceiling / 4);
    this.nanoTime = nanoTime;
    this.limit = Math.min(ceiling, INITIAL_LIMIT);
    this.latencyQuietUntil = nanoTime.getAsLong();
  }

  int limit() {
    return limit;
  }

  /** The in-flight level refused last, 0 when none stands. */
  int wall() {
    return wall;
  }

  /** How long the next wall will be held. */
  Duration hold() {
    return Duration.ofNanos(holdNanos);
  }

  /**
   * A request sent with {@code inFlightAtStart} in flight (itself included) succeeded after {@code
   * rttNanos}.
   */
  void succeeded(int inFlightAtStart, long rttNanos) {
    long now = nanoTime.getAsLong();
    if (latencyRose(rttNanos, now)) {
      slowStart = false;
      set(Math.max(1, Math.min(limit - 1, (int) (limit * LATENCY_BACKOFF))));
      latencyQuietUntil = now + (long) smoothedRtt;
      return;
    }
    if (inFlightAtStart * 2 < limit || limit >= ceiling) {
      return; // the limit was not in use: a success says nothing about one more
    }
    if (slowStart && limit < slowStartEnd) {
      set(limit + 1);
      return;
    }
    if (++successesAtLimit < limit) {
      return;
    }
    if (wall != 0 && limit >= wall) {
      // a full round at the wall's level without a refusal: the account has room again
      wall = 0;
      holdNanos = FIRST_HOLD.toNanos();
    }
    if (wall != 0 && limit + 1 >= wall && now - heldUntil < 0) {
      successesAtLimit = 0;
      return; // the next step is the level refused last: held
    }
    set(limit + 1);
  }

  /** A request sent with {@code inFlightAtStart} in flight (itself included) was throttled. */
  void throttled(int inFlightAtStart) {
    long now = nanoTime.getAsLong();
    slowStart = false;
    // a throttle while a wall stands is a probe that failed: the wall is held longer next time
    holdNanos = wall != 0 ? Math.min(MAX_HOLD.toNanos(), holdNanos * 2) : FIRST_HOLD.toNanos();
    // a request sent before the limit last fell saw more in flight than the limit allows now
    wall = Math.max(1, Math.min(inFlightAtStart, limit));
    heldUntil = now + holdNanos;
    set(Math.max(1, Math.min(limit - 1, inFlightAtStart - 1)));
  }

  private void set(int newLimit) {
    limit = Math.min(ceiling, Math.max(1, newLimit));
    successesAtLimit = 0;
  }

  /** Records a round trip; true when the smoothed one has risen well above the recent minimum. */
  private boolean latencyRose(long rttNanos, long now) {
    samples++;
    smoothedRtt = samples == 1 ? rttNanos : smoothedRtt * 0.9 + rttNanos * 0.1;
    minNow = Math.min(minNow, rttNanos);
    if (samples % MIN_WINDOW == 0) {
      minBefore = minNow;
      minNow = Long.MAX_VALUE;
    }
    long minimum = Math.min(minNow, minBefore);
    return samples >= LATENCY_SAMPLES
        && now - latencyQuietUntil >= 0
        && smoothedRtt > LATENCY_TOLERANCE * minimum
        && smoothedRtt - minimum > LATENCY_FLOOR.toNanos();
  }
}
