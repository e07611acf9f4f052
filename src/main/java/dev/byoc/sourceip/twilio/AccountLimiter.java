package dev.byoc.sourceip.twilio;

import dev.byoc.sourceip.config.TwilioConfig;
import dev.failsafe.RateLimiter;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Caps one account's requests in flight and requests per second, below every caller, so the sum of
 * all reconciles stays under Twilio's limits and 429s stay the exception. The concurrency cap
 * adapts below the configured ceiling ({@link PoliteLimit}), because Twilio's real per-account
 * limit is unknown and shared with the customer's own traffic. Share one instance between all
 * clients of the same account.
 */
public final class AccountLimiter {
  // a fair JDK semaphore, not Failsafe's Bulkhead: a Bulkhead waiter that times out keeps its
  // place and swallows the next released permit (seen with Failsafe 3.3.2); its permits follow
  // the adaptive limit (released when it rises, reduced, possibly below zero, when it falls)
  private final Gate concurrency;
  private final RateLimiter<Object> rate;
  private final Duration maxWait;
  private final int maxConcurrent;
  private final PoliteLimit limit; // null when adaptation is off
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong tickets = new AtomicLong();
  // guarded by this
  private int applied;
  private volatile long lastThrottleNanos = System.nanoTime() - Long.MAX_VALUE / 2;
  private long firstTicketAfterDecrease;

  /** With the account's configured limits. */
  public AccountLimiter(TwilioConfig.Limits limits) {
    this(
        limits.concurrentRequests(),
        limits.requestsPerSecond(),
        limits.maxWait(),
        limits.adaptiveConcurrency());
  }

  /** A fixed concurrency limit: the ceiling is the limit. */
  public AccountLimiter(int maxConcurrent, double maxPerSecond, Duration maxWait) {
    this(maxConcurrent, maxPerSecond, maxWait, false);
  }

  /** With {@code adaptive}, {@code maxConcurrent} is the ceiling of an adaptive limit. */
  public AccountLimiter(
      int maxConcurrent, double maxPerSecond, Duration maxWait, boolean adaptive) {
    this(maxConcurrent, maxPerSecond, maxWait, adaptive, System::nanoTime);
  }

  /** As above, with the clock the adaptive limit's holds are timed by (tests). */
  AccountLimiter(
      int maxConcurrent,
      double maxPerSecond,
      Duration maxWait,
      boolean adaptive,
      LongSupplier nanoTime) {
    if (maxConcurrent < 1 || !(maxPerSecond > 0)) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxConcurrent = maxConcurrent;
    this.limit = adaptive ? new PoliteLimit(maxConcurrent, nanoTime) : null;
    this.applied = adaptive ? limit.limit() : maxConcurrent;
    this.concurrency = new Gate(applied);
    this.rate =
        RateLimiter.smoothBuilder(Duration.ofNanos(Math.max(1, (long) (1e9 / maxPerSecond))))
            .build();
    this.maxWait = maxWait;
  }

  /** The configured ceiling of requests in flight. */
  public int maxConcurrent() {
    return maxConcurrent;
  }

  /** Requests in flight allowed now: the adaptive limit, or the ceiling when adaptation is off. */
  public int limit() {
    if (limit == null) {
      return maxConcurrent;
    }
    synchronized (this) {
      return limit.limit();
    }
  }

  /** Requests waiting for a slot now. */
  int waiting() {
    return concurrency.getQueueLength();
  }

  /** Requests holding a slot now. */
  public int inUse() {
    return inFlight.get();
  }

  /** Waits for a slot and a rate permit; close the returned permit when the request is done. */
  public Permit acquire() {
    try {
      if (!concurrency.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw waited("a free request slot");
      }
      try {
        if (!rate.tryAcquirePermit(maxWait)) {
          throw waited("a rate permit");
        }
      } catch (RuntimeException | InterruptedException e) {
        concurrency.release();
        throw e;
      }
      return new Slot(tickets.getAndIncrement(), inFlight.incrementAndGet(), System.nanoTime());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TwilioTransportException(
          "Interrupted while waiting for the Twilio limiter", e, false);
    }
  }

  /** Whether Twilio throttled a request of this account (429, or 503) within {@code window}. */
  public boolean throttledWithin(Duration window) {
    return System.nanoTime() - lastThrottleNanos < window.toNanos();
  }

  private synchronized void succeeded(Slot slot, long rtt) {
    if (limit != null) {
      limit.succeeded(slot.inFlightAtStart, rtt);
      apply(limit.limit());
    }
  }

  // One decrease per round: requests sent before the last decrease saw the old, higher limit, so
  // their throttles say nothing new (as TCP reduces once per window).
  private synchronized void throttled(Slot slot, long rtt) {
    lastThrottleNanos = System.nanoTime();
    if (limit == null || slot.ticket < firstTicketAfterDecrease) {
      return;
    }
    firstTicketAfterDecrease = tickets.get();
    // the requests sent before it are the ones Twilio had admitted when it arrived (order kept)
    limit.throttled(slot.inFlightAtStart);
    apply(limit.limit());
  }

  // under this limiter's lock: the semaphore's permits follow the limit
  private void apply(int newLimit) {
    int delta = newLimit - applied;
    applied = newLimit;
    if (delta > 0) {
      concurrency.release(delta);
    } else if (delta < 0) {
      concurrency.reduce(-delta);
    }
  }

  private TwilioTransportException waited(String what) {
    return new TwilioTransportException(
        "Waited " + maxWait + " for " + what + " of this account's Twilio limiter", null, false);
  }

  /**
   * A held slot; closing it lets the next request in. Report how the request ended before closing:
   * {@link #succeeded} or {@link #throttled}; a permit closed without either (another error, an I/O
   * failure) leaves the adaptive limit where it is.
   */
  public interface Permit extends AutoCloseable {
    /** Twilio answered 2xx. */
    void succeeded();

    /** Twilio throttled the request (429, or 503 as a throttle). */
    void throttled();

    @Override
    void close();
  }

  private final class Slot implements Permit {
    final long ticket;
    final int inFlightAtStart;
    final long startNanos;
    private boolean done;
    private boolean closed;

    Slot(long ticket, int inFlightAtStart, long startNanos) {
      this.ticket = ticket;
      this.inFlightAtStart = inFlightAtStart;
      this.startNanos = startNanos;
    }

    @Override
    public void succeeded() {
      if (!done) {
        done = true;
        AccountLimiter.this.succeeded(this, System.nanoTime() - startNanos);
      }
    }

    @Override
    public void throttled() {
      if (!done) {
        done = true;
        AccountLimiter.this.throttled(this, System.nanoTime() - startNanos);
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        inFlight.decrementAndGet();
        concurrency.release();
      }
    }
  }

  /** A fair semaphore whose permits can be taken away when the limit falls. */
  private static final class Gate extends Semaphore {
    Gate(int permits) {
      super(permits, true);
    }

    void reduce(int permits) {
      reducePermits(permits);
    }
  }
}
