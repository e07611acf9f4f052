package dev.byoc.sourceip.twilio;

import java.time.Duration;
import java.util.Optional;

/**
 * Twilio answered with an error status. Carries Twilio's error body; every predicate decides by
 * status and code, never by message text.
 */
public final class TwilioApiException extends TwilioException {
  /** Twilio's code for "Too Many Requests". */
  public static final int CODE_TOO_MANY_REQUESTS = 20429;

  /** Twilio's code for "resource not found". */
  public static final int CODE_NOT_FOUND = 20404;

  /** Twilio's code for "Authenticate" (wrong or missing credentials). */
  public static final int CODE_AUTHENTICATE = 20003;

  private final int status;
  private final Integer code;
  private final String twilioMessage;
  private final String moreInfo;
  private final String method;
  private final String path;
  private final Duration retryAfter;

  public TwilioApiException(
      int status,
      Integer code,
      String twilioMessage,
      String moreInfo,
      String method,
      String path,
      Duration retryAfter) {
    super(describe(status, code, twilioMessage, method, path), null);
    this.status = status;
    this.code = code;
    this.twilioMessage = twilioMessage;
    this.moreInfo = moreInfo;
    this.method = method;
    this.path = path;
    this.retryAfter = retryAfter;
  }

  private static String describe(
      int status, Integer code, String message, String method, String path) {
    return "Twilio answered "
        + status
        + (code != null ? " (code " + code + ")" : "")
        + " to "
        + method
        + " "
        + path
        + (message != null && !message.isBlank() ? ": " + message : "");
  }

  public int status() {
    return status;
  }

  /** Twilio's error code, or empty when the body carried none (e.g. a proxy's 502 page). */
  public Optional<Integer> code() {
    return Optional.ofNullable(code);
  }

  /** Twilio's own message, as sent. */
  public String twilioMessage() {
    return twilioMessage;
  }

  public String moreInfo() {
    return moreInfo;
  }

  public String method() {
    return method;
  }

  /** The request path (no query, no host). */
  public String path() {
    return path;
  }

  /** The delay Twilio asked for in {@code Retry-After}, when it did. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public boolean isNotFound() {
    return status == 404;
  }

  public boolean isRateLimited() {
    return status == 429 || (code != null && code == CODE_TOO_MANY_REQUESTS);
  }

  public boolean isUnauthorized() {
    return status == 401 || status == 403;
  }

  public boolean isServerError() {
    return status >= 500;
  }

  /** A 4xx other than 401/403/404/429: the request itself is wrong (a validation error). */
  public boolean isClientError() {
    return status >= 400 && status < 500 && !isUnauthorized() && !isRateLimited();
  }

  /** 429 and 503 mean "not now": Twilio shed the request before acting on it. */
  public boolean isThrottled() {
    return isRateLimited() || status == 503;
  }

  @Override
  public ErrorClass errorClass() {
    if (isUnauthorized()) {
      return ErrorClass.CREDENTIALS;
    }
    if (isRateLimited() || isServerError() || status == 408) {
      return ErrorClass.RECOVERABLE;
    }
    return ErrorClass.TERMINAL;
  }
}
