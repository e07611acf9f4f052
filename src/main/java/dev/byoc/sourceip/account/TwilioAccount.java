package dev.byoc.sourceip.account;

import dev.byoc.sourceip.twilio.TwilioClient;
import java.util.Objects;

/** One Twilio account as the reconcilers see it: its client and its snapshot of mappings. */
public record TwilioAccount(String accountSid, TwilioClient client, AccountSnapshot snapshot) {
  public TwilioAccount {
    Objects.requireNonNull(accountSid);
    Objects.requireNonNull(client);
    Objects.requireNonNull(snapshot);
  }
}
