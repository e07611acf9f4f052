package dev.byoc.sourceip.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;

/**
 * Validates recorded exchanges: successes against the vendored Twilio OpenAPI specs, errors against
 * Twilio's error body shape (which the specs do not describe).
 */
final class SpecValidator {
  private final OpenApiInteractionValidator voice = load("twilio-oai/twilio_voice_v1.json");
  private final OpenApiInteractionValidator api2010 =
      load("twilio-oai/twilio_api_v2010_sip_domains.json");

  private static OpenApiInteractionValidator load(String resource) {
    try (InputStream in = SpecValidator.class.getClassLoader().getResourceAsStream(resource)) {
      String spec = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return OpenApiInteractionValidator.createForInlineApiSpecification(spec).build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The spec report for one exchange (request and response). */
  ValidationReport report(Wire.Answer answer) {
    HttpUrl url = HttpUrl.get(answer.sent().url());
    SimpleRequest.Builder request =
        new SimpleRequest.Builder(answer.sent().method(), url.encodedPath());
    for (String name : url.queryParameterNames()) {
      request.withQueryParam(name, url.queryParameterValues(name));
    }
    if (answer.sent().authorization() != null) {
      request.withAuthorization(answer.sent().authorization());
    }
    if (answer.sent().method().equals("POST")) {
      request.withContentType("application/x-www-form-urlencoded");
      request.withBody(
          answer.sent().form().entrySet().stream()
              .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
              .collect(Collectors.joining("&")));
    }
    SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.status());
    answer.headers().toMultimap().forEach(response::withHeader);
    if (!answer.body().isEmpty()) {
      response.withBody(answer.body());
    }
    OpenApiInteractionValidator validator =
        url.encodedPath().startsWith("/2010-04-01/") ? api2010 : voice;
    return validator.validate(request.build(), response.build());
  }

  /** A success: status as expected and zero spec errors in request and response. */
  Wire.Answer success(Wire.Answer answer, int expectedStatus) {
    assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(expectedStatus);
    ValidationReport report = report(answer);
    assertThat(report.getMessages())
        .as(
            "spec violations of %s %s -> %s",
            answer.sent().method(), answer.sent().url(), answer.body())
        .filteredOn(m -> m.getLevel() == ValidationReport.Level.ERROR)
        .isEmpty();
    return answer;
  }

  /** An error: Twilio's body {code, message, more_info, status} and nothing else. */
  static Wire.Answer error(Wire.Answer answer, int status, int code) {
    assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
    assertThat(answer.headers().get("Content-Type")).startsWith("application/json");
    JsonNode body = answer.json();
    assertThat(body.isObject()).isTrue();
    Iterator<String> names = body.fieldNames();
    assertThat(names)
        .toIterable()
        .containsExactlyInAnyOrder("code", "message", "more_info", "status");
    assertThat(body.get("code").isInt()).as("code is an integer").isTrue();
    assertThat(body.get("code").asInt()).isEqualTo(code);
    assertThat(body.get("message").isTextual()).isTrue();
    assertThat(body.get("message").asText()).isNotBlank();
    assertThat(body.get("more_info").isTextual()).isTrue();
    assertThat(body.get("more_info").asText())
        .isEqualTo("https://www.twilio.com/docs/errors/" + code);
    assertThat(body.get("status").isInt()).as("status is an integer").isTrue();
    assertThat(body.get("status").asInt()).isEqualTo(status);
    return answer;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
