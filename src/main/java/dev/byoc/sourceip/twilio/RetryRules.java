package dev.byoc.sourceip.twilio;

import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which failures are retried and after how long: 429 always (honouring {@code Retry-After}), other
 * 5xx and I/O only for idempotent calls, and a sent create never. Exponential backoff, equal
 * jitter.
 */
final class RetryRules {
  private static final Logger LOG = LoggerFactory.getLogger(RetryRules.class);

  private final int maxRetries;
  private final Duration baseDelay;
  private final Duration maxDelay;

  RetryRules(int maxRetries, Duration baseDelay, Duration maxDelay) {
    this.maxRetries = maxRetries;
    this.baseDelay = baseDelay;
    this.maxDelay = maxDelay;
  }

  /** The policy for one kind of call; {@code idempotent} is false only for creates. */
  <T> RetryPolicy<T> policy(boolean idempotent) {
    return RetryPolicy.<T>builder()
        .handleIf((result, failure) -> failure != null && shouldRetry(failure, idempotent))
        .withMaxRetries(maxRetries)
        .withDelayFn(ctx -> delayBefore(ctx.getAttemptCount(), ctx.getLastException()))
        .onRetry(
            e ->
                LOG.debug(
                    "Retrying Twilio request, attempt {}: {}",
                    e.getAttemptCount() + 1,
                    e.getLastException() == null ? "" : e.getLastException().getMessage()))
        .build();
  }

  boolean shouldRetry(Throwable failure, boolean idempotent) {
    if (failure instanceof TwilioTransportException t) {
      return t.retryable();
    }
    if (failure instanceof TwilioApiException api) {
      if (api.retryAfter().map(d -> d.compareTo(maxDelay) > 0).orElse(false)) {
        return false; // Twilio asked for a longer pause than we wait in line: let the caller
        // requeue
      }
      if (api.isRateLimited()) {
        return true;
      }
      return idempotent && (api.isServerError() || api.status() == 408);
    }
    return false;
  }

  /** Retry-After when Twilio sent one, else exponential backoff with equal jitter. */
  Duration delayBefore(int attemptsSoFar, Throwable last) {
    if (last instanceof TwilioApiException api && api.retryAfter().isPresent()) {
      return api.retryAfter().get();
    }
    int exponent = Math.max(0, Math.min(30, attemptsSoFar - 1));
    long capMillis = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << exponent);
    long half = Math.max(1, capMillis / 2);
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }
}
