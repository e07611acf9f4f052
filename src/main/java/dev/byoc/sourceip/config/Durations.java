package dev.byoc.sourceip.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one parser of durations, so that settings, flags and annotations accept the same forms: Go's
 * and Kubernetes' ({@code 90s}, {@code 500ms}, {@code 1h30m}, {@code 1.5h}).
 */
public final class Durations {
  /** A duration as a CRD field's pattern states it (the forms {@link #parse} takes). */
  public static final String PATTERN =
      "^(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:ns|us|µs|ms|s|m|h))+$";

  private static final Pattern WHOLE = Pattern.compile(PATTERN);
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private Durations() {}

  /**
   * A positive duration written as one or more numbers, each with a unit (h, m, s, ms, us, ns),
   * e.g. {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h30m}.
   *
   * @throws IllegalArgumentException saying what is expected and what was given
   */
  public static Duration parse(String text) {
    String value = text == null ? "" : text.trim();
    if (value.length() > 64 || !WHOLE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "expected a duration like 90s, 5m or 1h30m, got '" + abbreviate(text) + "'");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher m = PART.matcher(value);
    while (m.find()) {
      nanos =
          nanos.add(
              new BigDecimal(m.group(1))
                  .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
    }
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException(
          "expected a duration of at most 2562047h, got '" + abbreviate(text) + "'");
    }
    long whole = nanos.longValue(); // fractions of a nanosecond are dropped, as Go does
    if (whole == 0) {
      throw new IllegalArgumentException(
          "expected a positive duration like 90s, 5m or 1h30m, got '" + abbreviate(text) + "'");
    }
    return Duration.ofNanos(whole);
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() > 64 ? text.substring(0, 64) + "..." : text;
  }
}
