package dev.byoc.sourceip.account;

import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import java.util.Collection;
import java.util.List;

/**
 * The accounts when the operator has no usable credentials: every namespace's account is
 * unavailable with the one message that says what is missing, and nothing is ever sent to Twilio
 * (there is no client to send it with). Resources wait with CredentialsInvalid instead of the
 * process exiting into a restart loop.
 */
public final class MissingCredentials implements TwilioAccounts {
  private final String message;

  public MissingCredentials(String message) {
    this.message = message;
  }

  @Override
  public Account forResource(String namespace, AccountReference ref) {
    throw new AccountUnavailableException(message);
  }

  @Override
  public Collection<Account> all() {
    return List.of(); // nothing to resync
  }
}
