package dev.byoc.sourceip.account;

import dev.byoc.sourceip.twilio.AccountLimiter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * While Twilio throttles an account, caps the reconciles it holds at once to a few more than its
 * requests allowed in flight, so that an account throttled to one request at a time cannot park
 * every reconcile thread in its limiter's queue while other accounts' resources wait. A reconcile
 * turned away is rescheduled, untouched; enough stay to keep the account's own requests in flight,
 * so its pace is unchanged. An account Twilio does not throttle is never capped: its reconciles
 * wait only for threads, as before.
 */
public final class ReconcileGate {
  /** A gate that never turns anyone away (an account without a limiter, e.g. a test fake). */
  public static final ReconcileGate UNLIMITED = new ReconcileGate(() -> 1, () -> false);

  /** Reconciles beyond the requests in flight: queued for the next free request slot. */
  static final int QUEUED_PER_SLOT = 2;

  /** How long after Twilio's last throttle the account counts as throttled. */
  static final Duration THROTTLED_WINDOW = Duration.ofSeconds(30);

  private final IntSupplier requestsInFlight;
  private final BooleanSupplier throttled;
  private final AtomicInteger inside = new AtomicInteger();

  /**
   * @param requestsInFlight the account's current limit of requests in flight
   * @param throttled whether Twilio throttles the account now
   */
  public ReconcileGate(IntSupplier requestsInFlight, BooleanSupplier throttled) {
    this.requestsInFlight = requestsInFlight;
    this.throttled = throttled;
  }

  /** The gate of an account whose requests go through {@code limiter}. */
  public static ReconcileGate of(AccountLimiter limiter) {
    return new ReconcileGate(limiter::limit, () -> limiter.throttledWithin(THROTTLED_WINDOW));
  }

  /** How many reconciles may hold the account at once now. */
  public int capacity() {
    if (!throttled.getAsBoolean()) {
      return Integer.MAX_VALUE / 4;
    }
    return Math.max(2, requestsInFlight.getAsInt() * (1 + QUEUED_PER_SLOT));
  }

  /** Enters if below capacity; a true answer must be followed by {@link #exit()}. */
  public boolean tryEnter() {
    int cap = capacity();
    while (true) {
      int now = inside.get();
      if (now >= cap) {
        return false;
      }
      if (inside.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  public void exit() {
    inside.decrementAndGet();
  }

  /** Reconciles holding the account now. */
  public int inside() {
    return inside.get();
  }
}
