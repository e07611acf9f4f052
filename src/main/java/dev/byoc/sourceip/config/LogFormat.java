package dev.byoc.sourceip.config;

import java.util.Locale;

/** How log lines are written: text for people, JSON lines for a log pipeline. */
public enum LogFormat {
  TEXT,
  JSON;

  static LogFormat from(Settings settings) {
    String value = settings.string(Setting.LOG_FORMAT);
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw Settings.invalid(Setting.LOG_FORMAT, value, "text or json");
    };
  }
}
