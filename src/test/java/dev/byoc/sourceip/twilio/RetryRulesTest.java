package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryRulesTest {
  private final RetryRules rules = new RetryRules(4, Duration.ofMillis(100), Duration.ofSeconds(5));

  private static TwilioApiException api(int status, Integer code, Duration retryAfter) {
    return new TwilioApiException(status, code, "m", null, "POST", "/v1/X", retryAfter);
  }

  @Test
  void rateLimitsAreRetriedForEveryCall() {
    assertThat(rules.shouldRetry(api(429, 20429, null), false)).isTrue();
    assertThat(rules.shouldRetry(api(429, 20429, null), true)).isTrue();
  }

  @Test
  void serverErrorsAreRetriedOnlyForIdempotentCalls() {
    for (int status : new int[] {500, 502, 503, 504}) {
      assertThat(rules.shouldRetry(api(status, null, null), true))
          .as("%s idempotent", status)
          .isTrue();
      assertThat(rules.shouldRetry(api(status, null, null), false))
          .as("%s create", status)
          .isFalse();
    }
  }

  @Test
  void clientErrorsAndUnknownOutcomesAreNeverRetried() {
    assertThat(rules.shouldRetry(api(400, 20001, null), true)).isFalse();
    assertThat(rules.shouldRetry(api(401, 20003, null), true)).isFalse();
    assertThat(rules.shouldRetry(api(404, 20404, null), true)).isFalse();
    assertThat(rules.shouldRetry(new TwilioOutcomeUnknownException("x", new IOException()), false))
        .isFalse();
  }

  @Test
  void transportFailuresAreRetriedUnlessMarkedOtherwise() {
    assertThat(rules.shouldRetry(new TwilioTransportException("x", new IOException()), true))
        .isTrue();
    assertThat(rules.shouldRetry(new TwilioTransportException("limiter", null, false), true))
        .isFalse();
  }

  @Test
  void retryAfterIsHonouredAndTooLongAWaitIsLeftToTheCaller() {
    assertThat(rules.delayBefore(1, api(429, 20429, Duration.ofSeconds(3))))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(rules.shouldRetry(api(429, 20429, Duration.ofSeconds(60)), true)).isFalse();
  }

  @Test
  void backoffGrowsExponentiallyWithinJitterAndCap() {
    for (int attempt = 1; attempt <= 10; attempt++) {
      long cap = Math.min(5000, 100L << (attempt - 1));
      Duration d = rules.delayBefore(attempt, api(503, null, null));
      assertThat(d.toMillis()).as("attempt %s", attempt).isBetween(cap / 2, cap);
    }
  }
}
