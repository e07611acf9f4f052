package dev.byoc.sourceip.twilio;

import java.time.Duration;

/** Metrics hook: told of every HTTP attempt to Twilio, retries included. */
@FunctionalInterface
public interface TwilioRequestListener {
  TwilioRequestListener NONE = event -> {};

  void onRequest(RequestEvent event);

  /**
   * One attempt: which API ({@code voice.v1}, {@code api.v2010}), resource ({@code
   * SourceIpMappings}, ...), HTTP method, status (0 when no response came) and how long it took.
   */
  record RequestEvent(String api, String resource, String method, int status, Duration elapsed) {}
}
