package dev.byoc.sourceip.twilio;

/**
 * No answer from Twilio (connect failure, timeout, dropped connection, or no permit from the
 * client's own limiter) for a request that was either never sent or is safe to repeat.
 */
public final class TwilioTransportException extends TwilioException {
  private final boolean retryable;

  public TwilioTransportException(String message, Throwable cause) {
    this(message, cause, true);
  }

  TwilioTransportException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether the client may repeat the request at once (false after a limiter timeout). */
  boolean retryable() {
    return retryable;
  }

  @Override
  public ErrorClass errorClass() {
    return ErrorClass.RECOVERABLE;
  }
}
