package dev.byoc.sourceip.account;

import dev.byoc.sourceip.api.v1alpha1.Reasons;

/**
 * A resource has no usable Twilio account now; the message says why, the reason is its condition's,
 * and {@link #waiting()} whether it ends by itself (an account being connected).
 */
public final class AccountUnavailableException extends RuntimeException {
  private final String reason;
  private final boolean waiting;

  /** Credentials missing or refused: someone has to fix them. */
  public AccountUnavailableException(String message) {
    this(Reasons.CREDENTIALS_INVALID, message, false);
  }

  public AccountUnavailableException(String reason, String message, boolean waiting) {
    super(message);
    this.reason = reason;
    this.waiting = waiting;
  }

  /** The condition reason, from {@link Reasons}. */
  public String reason() {
    return reason;
  }

  /** True when it ends without anyone's change (an account not connected yet). */
  public boolean waiting() {
    return waiting;
  }
}
