package dev.byoc.sourceip.twilio;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads Twilio's two date formats into an {@link Instant}: ISO-8601 (Voice v1, e.g. {@code
 * 2020-03-18T23:31:36Z}) and RFC 2822 (API 2010, e.g. {@code Mon, 20 Jul 2015 17:27:10 +0000}).
 */
final class TwilioInstantDeserializer extends StdScalarDeserializer<Instant> {
  TwilioInstantDeserializer() {
    super(Instant.class);
  }

  @Override
  public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    String text = p.getValueAsString();
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return parse(text);
    } catch (DateTimeParseException e) {
      return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not a Twilio date");
    }
  }

  static Instant parse(String text) {
    if (Character.isDigit(text.charAt(0))) {
      return OffsetDateTime.parse(text).toInstant();
    }
    return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
  }
}
