package dev.byoc.sourceip.account;

import java.util.Collection;
import java.util.List;

/** Every namespace uses the one account configured in the operator's environment. */
public final class SingleAccount implements TwilioAccounts {
  private final TwilioAccount account;

  public SingleAccount(TwilioAccount account) {
    this.account = account;
  }

  @Override
  public TwilioAccount forNamespace(String namespace) {
    return account;
  }

  @Override
  public Collection<TwilioAccount> all() {
    return List.of(account);
  }
}
