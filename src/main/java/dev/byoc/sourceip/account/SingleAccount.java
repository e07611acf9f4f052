package dev.byoc.sourceip.account;

import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import java.util.Collection;
import java.util.List;

/** Every namespace uses the one account configured in the operator's environment. */
public final class SingleAccount implements TwilioAccounts {
  private final Account account;

  public SingleAccount(Account account) {
    this.account = account;
  }

  @Override
  public Account forResource(String namespace, AccountReference ref) {
    return account;
  }

  @Override
  public Collection<Account> all() {
    return List.of(account);
  }
}
