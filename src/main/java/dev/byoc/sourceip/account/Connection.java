package dev.byoc.sourceip.account;

import dev.byoc.sourceip.config.TwilioCredentials;

/** One account object's live link to Twilio: its account (client, snapshot) and its limiter. */
public interface Connection extends AutoCloseable {
  Account account();

  /** Rotated credentials of the same account, used by every request attempt from now on. */
  void useCredentials(TwilioCredentials credentials);

  /** Stops using it (its metrics are forgotten). */
  @Override
  void close();

  /** Makes a connection for an account object's settings. */
  @FunctionalInterface
  interface Factory {
    Connection connect(AccountSettings settings);
  }
}
