package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static TwilioApiException read(int status, String body) {
    return ErrorResponses.toException(
        JSON, "POST", "/v1/SourceIpMappings", status, null, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void twiliosOwnBodyIsReadAsSent() {
    TwilioApiException e =
        read(400, "{\"code\":20001,\"message\":\"Invalid parameter\",\"more_info\":\"m\"}");

    assertThat(e.code()).contains(20001);
    assertThat(e.twilioMessage()).isEqualTo("Invalid parameter");
    assertThat(e.getMessage())
        .isEqualTo(
            "Twilio answered 400 (code 20001) to POST /v1/SourceIpMappings: Invalid parameter");
  }

  @Test
  void aHugeTwilioMessageIsKeptToItsStart() {
    String huge = "Invalid parameter: " + "x".repeat(100 * 1024);

    TwilioApiException e = read(400, "{\"code\":20001,\"message\":\"" + huge + "\"}");

    assertThat(e.code()).contains(20001);
    assertThat(e.twilioMessage())
        .startsWith("Invalid parameter: xxx")
        .endsWith(
            "... (" + (huge.length() - ErrorResponses.MAX_TWILIO_MESSAGE) + " more characters)")
        .hasSizeLessThan(ErrorResponses.MAX_TWILIO_MESSAGE + 40);
    assertThat(e.getMessage()).hasSizeLessThan(ErrorResponses.MAX_TWILIO_MESSAGE + 120);
  }

  @Test
  void aForeignBodyIsAShortExcerpt() {
    TwilioApiException e = read(502, "<html>" + "y".repeat(10_000) + "</html>");

    assertThat(e.code()).isEmpty();
    assertThat(e.twilioMessage()).startsWith("<html>yyy").hasSizeLessThan(240);
  }
}
