package dev.byoc.sourceip.account;

import dev.byoc.sourceip.api.v1alpha1.Reasons;

/**
 * A resource has no usable Twilio account now; the message says why, the reason is its condition's,
 * and {@link #waiting()} whether it ends by itself (an account being connected).
 */
public final class AccountUnavailableException extends RuntimeException {
  private final String reason;
  private final boolean waiting;
  private final boolean connecting;

  /** Credentials missing or refused: someone has to fix them. */
  public AccountUnavailableException(String message) {
    this(Reasons.CREDENTIALS_INVALID, message, false);
  }

  public AccountUnavailableException(String reason, String message, boolean waiting) {
    this(reason, message, waiting, false);
  }

  private AccountUnavailableException(
      String reason, String message, boolean waiting, boolean connecting) {
    super(message);
    this.reason = reason;
    this.waiting = waiting;
    this.connecting = connecting;
  }

  /**
   * The account object exists but this run of the operator has not connected it yet (its reconciler
   * has not read its Secret and listed it): an earlier run may have served the resource through it,
   * so Twilio may hold objects of the resource that no status records yet.
   */
  public static AccountUnavailableException notConnectedYet(String message) {
    return new AccountUnavailableException(Reasons.REFERENCE_NOT_READY, message, true, true);
  }

  /** The condition reason, from {@link Reasons}. */
  public String reason() {
    return reason;
  }

  /** True when it ends without anyone's change (an account not connected yet). */
  public boolean waiting() {
    return waiting;
  }

  /** True for an existing account object not connected yet ({@link #notConnectedYet}). */
  public boolean connecting() {
    return connecting;
  }
}
