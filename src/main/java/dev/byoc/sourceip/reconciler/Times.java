package dev.byoc.sourceip.reconciler;

import java.time.Instant;

/** Twilio's instants as statuses carry them: RFC 3339 text, or absent. */
final class Times {
  private Times() {}

  static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
