package dev.byoc.sourceip.twilio;

import java.time.Duration;

/** Metrics hook: told of every HTTP attempt to Twilio (retries included), lists and waits. */
@FunctionalInterface
public interface TwilioRequestListener {
  TwilioRequestListener NONE = event -> {};

  void onRequest(RequestEvent event);

  /** A list followed {@code pages} pages and read {@code items} items. */
  default void onListed(String api, String resource, int pages, int items) {}

  /** A create ended without a usable answer: Twilio may or may not have made the resource. */
  default void onOutcomeUnknown(String api, String resource) {}

  /** An attempt waited this long for the account limiter's permits before it was sent. */
  default void onLimiterWait(Duration waited) {}

  /**
   * One attempt: which API ({@code voice.v1}, {@code api.v2010}), resource ({@code
   * SourceIpMappings}, ...), HTTP method, status (0 when no response came), how long it took, and
   * whether it repeated an earlier attempt of the same call.
   */
  record RequestEvent(
      String api, String resource, String method, int status, Duration elapsed, boolean retry) {}
}
