package dev.byoc.sourceip.twilio;

import dev.failsafe.Bulkhead;
import dev.failsafe.RateLimiter;
import java.time.Duration;

/**
 * Caps one account's requests in flight and requests per second, below every caller, so the sum of
 * all reconciles stays under Twilio's limits and 429s stay the exception. Share one instance
 * between all clients of the same account.
 */
public final class AccountLimiter {
  private final Bulkhead<Object> concurrency;
  private final RateLimiter<Object> rate;
  private final Duration maxWait;
  private final int maxConcurrent;

  public AccountLimiter(int maxConcurrent, double maxPerSecond, Duration maxWait) {
    if (maxConcurrent < 1 || !(maxPerSecond > 0)) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxConcurrent = maxConcurrent;
    this.concurrency = Bulkhead.builder(maxConcurrent).build();
    this.rate =
        RateLimiter.smoothBuilder(Duration.ofNanos(Math.max(1, (long) (1e9 / maxPerSecond))))
            .build();
    this.maxWait = maxWait;
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }

  /** Waits for a slot and a rate permit; close the returned permit when the request is done. */
  public Permit acquire() {
    try {
      if (!concurrency.tryAcquirePermit(maxWait)) {
        throw waited("a free request slot");
      }
      try {
        if (!rate.tryAcquirePermit(maxWait)) {
          throw waited("a rate permit");
        }
      } catch (RuntimeException | InterruptedException e) {
        concurrency.releasePermit();
        throw e;
      }
      return concurrency::releasePermit;
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
