package dev.byoc.sourceip.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Turns an error response into a {@link TwilioApiException}, reading Twilio's error body; keeps a
 * huge message to its start, since it ends up in conditions, Events and logs.
 */
final class ErrorResponses {
  private static final int MAX_FOREIGN_BODY = 200;
  static final int MAX_TWILIO_MESSAGE = 1000;

  private ErrorResponses() {}

  static TwilioApiException toException(
      ObjectMapper json, String method, String path, int status, String retryAfter, byte[] body) {
    Integer code = null;
    String message = null;
    String moreInfo = null;
    try {
      JsonNode node = body.length == 0 ? null : json.readTree(body);
      if (node != null && node.isObject()) {
        code = node.path("code").canConvertToInt() ? node.path("code").asInt() : null;
        message =
            node.hasNonNull("message")
                ? cut(node.get("message").asText(), MAX_TWILIO_MESSAGE)
                : null;
        moreInfo = node.hasNonNull("more_info") ? node.get("more_info").asText() : null;
      }
    } catch (java.io.IOException notJson) {
      // a proxy's or load balancer's page: keep a short excerpt as the message
    }
    if (message == null && body.length > 0) {
      String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
      message = cut(text, MAX_FOREIGN_BODY);
    }
    return new TwilioApiException(
        status, code, message, moreInfo, method, path, retryAfter(retryAfter));
  }

  private static String cut(String text, int max) {
    return text.length() > max
        ? text.substring(0, max) + "... (" + (text.length() - max) + " more characters)"
        : text;
  }

  /** {@code Retry-After} as delta-seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? null : Duration.ofSeconds(seconds);
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration d = Duration.between(Instant.now(), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }
}
