package dev.byoc.sourceip.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The one JSON mapper and the two date formats Twilio uses (v1 ISO-8601, 2010 RFC 2822). */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
          .withZone(ZoneOffset.UTC);

  private Json() {}

  /** "2020-03-18T23:31:36Z". */
  static String isoDate(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** "Mon, 20 Jul 2015 17:27:10 +0000". */
  static String rfc2822Date(Instant instant) {
    return RFC_2822.format(instant);
  }

  /** Now, at the one-second resolution Twilio reports. */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }
}
