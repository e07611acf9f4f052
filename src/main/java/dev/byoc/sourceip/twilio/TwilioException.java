package dev.byoc.sourceip.twilio;

/** Any failure talking to Twilio; callers branch on {@link #errorClass()} and the subtypes. */
public abstract sealed class TwilioException extends RuntimeException
    permits TwilioApiException, TwilioTransportException, TwilioOutcomeUnknownException {

  protected TwilioException(String message, Throwable cause) {
    super(message, cause);
  }

  public abstract ErrorClass errorClass();
}
