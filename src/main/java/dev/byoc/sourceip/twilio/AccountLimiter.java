package dev.byoc.sourceip.twilio;

import dev.byoc.sourceip.config.TwilioConfig;
import dev.failsafe.RateLimiter;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps one account's requests in flight and requests per second, below every caller, so the sum of
 * all reconciles stays under Twilio's limits and 429s stay the exception. Share one instance
 * between all clients of the same account.
 */
public final class AccountLimiter {
  // a fair JDK semaphore, not Failsafe's Bulkhead: a Bulkhead waiter that times out keeps its
  // place and swallows the next released permit (seen with Failsafe 3.3.2)
  private final Semaphore concurrency;
  private final RateLimiter<Object> rate;
  private final Duration maxWait;
  private final int maxConcurrent;

  /** With the account's configured limits. */
  public AccountLimiter(TwilioConfig.Limits limits) {
    this(limits.concurrentRequests(), limits.requestsPerSecond(), limits.maxWait());
  }

  public AccountLimiter(int maxConcurrent, double maxPerSecond, Duration maxWait) {
    if (maxConcurrent < 1 || !(maxPerSecond > 0)) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxConcurrent = maxConcurrent;
    this.concurrency = new Semaphore(maxConcurrent, true);
    this.rate =
        RateLimiter.smoothBuilder(Duration.ofNanos(Math.max(1, (long) (1e9 / maxPerSecond))))
            .build();
    this.maxWait = maxWait;
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }

  /** Requests holding a slot now. */
  public int inUse() {
    return maxConcurrent - concurrency.availablePermits();
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
      return concurrency::release;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TwilioTransportException(
          "Interrupted while waiting for the Twilio limiter", e, false);
    }
  }

  private TwilioTransportException waited(String what) {
    return new TwilioTransportException(
        "Waited " + maxWait + " for " + what + " of this account's Twilio limiter", null, false);
  }

  /** A held slot; closing it lets the next request in. */
  @FunctionalInterface
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }
}
