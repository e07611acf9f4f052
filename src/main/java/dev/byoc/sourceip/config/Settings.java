package dev.byoc.sourceip.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of {@link Setting}s from one lookup (environment overlaid by flags), with errors that
 * name the setting. The only place raw strings become values.
 */
public final class Settings {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private final Function<String, String> lookup;

  private Settings(Function<String, String> lookup) {
    this.lookup = lookup;
  }

  /** Reads from a lookup function, e.g. {@code System::getenv} overlaid by command-line flags. */
  public static Settings from(Function<String, String> lookup) {
    return new Settings(Objects.requireNonNull(lookup));
  }

  public static Settings from(Map<String, String> values) {
    return new Settings(values::get);
  }

  /** The value, the default when unset or blank, or null when neither. */
  public String string(Setting setting) {
    String value = lookup.apply(setting.envName());
    if (value == null || value.isBlank()) {
      return setting.defaultValue();
    }
    return value.trim();
  }

  public boolean bool(Setting setting) {
    String value = string(setting);
    if (value == null) {
      return false;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw invalid(setting, value, "true or false");
    };
  }

  public int integer(Setting setting, int min, int max) {
    String value = string(setting);
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw invalid(setting, value, "an integer from " + min + " to " + max);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(setting, value, "an integer from " + min + " to " + max);
    }
  }

  public double decimal(Setting setting, double minExclusive) {
    String value = string(setting);
    try {
      double parsed = Double.parseDouble(value);
      if (!(parsed > minExclusive) || Double.isInfinite(parsed)) {
        throw invalid(setting, value, "a number above " + minExclusive);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(setting, value, "a number above " + minExclusive);
    }
  }

  /** A positive duration written as a number and a unit: 250ms, 30s, 5m, 1h. */
  public Duration duration(Setting setting) {
    String value = string(setting);
    return parseDuration(value)
        .orElseThrow(
            () -> invalid(setting, value, "a positive duration such as 250ms, 30s, 5m or 1h"));
  }

  /** Parses 250ms, 30s, 5m or 1h; empty for anything else, zero included. */
  public static java.util.Optional<Duration> parseDuration(String value) {
    Matcher m = value == null ? null : DURATION.matcher(value.trim());
    if (m == null || !m.matches() || m.group(1).length() > 9 || Long.parseLong(m.group(1)) == 0) {
      return java.util.Optional.empty();
    }
    long amount = Long.parseLong(m.group(1));
    return java.util.Optional.of(
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        });
  }

  static ConfigException invalid(Setting setting, String value, String expected) {
    return new ConfigException(
        setting.envName() + " is '" + value + "'; expected " + expected + ".");
  }
}
