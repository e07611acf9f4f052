package dev.byoc.sourceip.account;

/** No usable Twilio credentials for a namespace; the message says what is missing. */
public final class AccountUnavailableException extends RuntimeException {
  public AccountUnavailableException(String message) {
    super(message);
  }
}
