package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TwilioApiExceptionTest {
  private static TwilioApiException ex(int status, Integer code) {
    return new TwilioApiException(
        status, code, "The message text is irrelevant", null, "GET", "/v1/X", null);
  }

  @Test
  void classesFollowStatusAndCode() {
    assertThat(ex(400, 20001).errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(ex(404, 20404).errorClass()).isEqualTo(ErrorClass.TERMINAL);
    assertThat(ex(401, 20003).errorClass()).isEqualTo(ErrorClass.CREDENTIALS);
    assertThat(ex(403, 20003).errorClass()).isEqualTo(ErrorClass.CREDENTIALS);
    assertThat(ex(429, 20429).errorClass()).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(ex(500, null).errorClass()).isEqualTo(ErrorClass.RECOVERABLE);
    assertThat(ex(503, null).errorClass()).isEqualTo(ErrorClass.RECOVERABLE);
  }

  @Test
  void predicatesDecideByStatusAndCodeNotText() {
    assertThat(ex(404, 20404).isNotFound()).isTrue();
    assertThat(ex(400, 20429).isRateLimited()).isTrue();
    assertThat(ex(503, null).isThrottled()).isTrue();
    assertThat(ex(400, 20001).isClientError()).isTrue();
    assertThat(ex(401, 20003).isClientError()).isFalse();
    assertThat(ex(401, 20003).isUnauthorized()).isTrue();
    assertThat(ex(502, null).isServerError()).isTrue();
    assertThat(ex(502, null).code()).isEmpty();
  }

  @Test
  void messageCarriesStatusCodeAndTwiliosText() {
    TwilioApiException e =
        new TwilioApiException(
            400,
            20001,
            "Missing IpRecordSid",
            "https://x/20001",
            "POST",
            "/v1/SourceIpMappings",
            Duration.ofSeconds(2));

    assertThat(e.getMessage())
        .isEqualTo(
            "Twilio answered 400 (code 20001) to POST /v1/SourceIpMappings: Missing IpRecordSid");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
    assertThat(e.moreInfo()).isEqualTo("https://x/20001");
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    assertThat(ErrorResponses.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(ErrorResponses.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(ErrorResponses.retryAfter("soon")).isNull();
    assertThat(ErrorResponses.retryAfter(null)).isNull();
  }
}
