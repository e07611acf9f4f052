package dev.byoc.sourceip.account;

import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** Which Twilio account holds a resource, by its namespace and its spec.accountRef. */
public interface TwilioAccounts {

  /**
   * The account for a resource in {@code namespace} whose spec names {@code ref} (null: none).
   *
   * @throws AccountUnavailableException when it has none usable now, with the reason
   */
  Account forResource(String namespace, AccountReference ref);

  /** The account for a resource in {@code namespace} that names none. */
  default Account forNamespace(String namespace) {
    return forResource(namespace, null);
  }

  /** The connected account with this Account SID, if any (a cleanup after an account change). */
  default Optional<Account> bySid(String accountSid) {
    return all().stream().filter(a -> a.accountSid().equals(accountSid)).findFirst();
  }

  /** Every account connected now (for resyncs). */
  Collection<Account> all();

  /** Told of every account connected now and later (to listen to its snapshot). */
  default void addAccountListener(Consumer<Account> listener) {
    all().forEach(listener);
  }

  /**
   * Told the {@link AccountKey#index()} keys of account objects whose state changed (connected,
   * refused, gone), so the resources asking for them are reconciled.
   */
  default void addChangeListener(Consumer<Set<String>> listener) {}
}
