package dev.byoc.sourceip.twilio;

/**
 * A create was sent but its outcome is unknown (timeout, connection dropped after sending, or a
 * server error). Twilio may or may not have created the resource: look before creating again.
 */
public final class TwilioOutcomeUnknownException extends TwilioException {
  public TwilioOutcomeUnknownException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorClass errorClass() {
    return ErrorClass.RECOVERABLE;
  }
}
