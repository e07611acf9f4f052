package dev.byoc.sourceip.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Typed reads of {@link Setting}s from one lookup (environment overlaid by flags), with errors that
 * name the setting. The only place raw strings become values.
 */
public final class Settings {
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

  /** A positive duration such as 250ms, 30s, 5m or 1h30m: see {@link Durations#parse}. */
  public Duration duration(Setting setting) {
    String value = string(setting);
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw invalid(setting, value, "a positive duration like 250ms, 30s, 5m or 1h30m");
    }
  }

  static ConfigException invalid(Setting setting, String value, String expected) {
    return new ConfigException(
        setting.envName() + " is '" + value + "'; expected " + expected + ".");
  }
}
