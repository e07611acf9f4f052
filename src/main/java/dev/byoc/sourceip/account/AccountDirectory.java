package dev.byoc.sourceip.account;

import static dev.byoc.sourceip.api.v1alpha1.Reasons.ACCOUNT_NOT_ALLOWED;
import static dev.byoc.sourceip.api.v1alpha1.Reasons.REFERENCE_NOT_READY;

import dev.byoc.sourceip.api.v1alpha1.AccountKind;
import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import dev.byoc.sourceip.api.v1alpha1.ClusterTwilioAccountSpec;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccountSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The accounts of the cluster's TwilioAccounts and ClusterTwilioAccounts, connected by their
 * reconcilers, and the operator's own account for namespaces without one. Resolving a resource's
 * account reads the account objects from the informers' caches, so a namespace's {@code default}
 * account is used from the first reconcile on, never the operator's by mistake.
 */
public final class AccountDirectory implements TwilioAccounts {
  private final AccountObjects objects;
  private final Connection.Factory factory;
  private final TwilioAccounts fallback;
  private final Map<AccountKey, Linked> linked = new ConcurrentHashMap<>();
  private final Map<AccountKey, String> problems = new ConcurrentHashMap<>();
  private final List<Consumer<Set<String>>> changeListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Account>> accountListeners = new CopyOnWriteArrayList<>();

  private record Linked(AccountSettings settings, Connection connection) {}

  /**
   * @param fallback the operator's own account, for resources that name none in a namespace without
   *     a {@code default} TwilioAccount
   */
  public AccountDirectory(
      AccountObjects objects, Connection.Factory factory, TwilioAccounts fallback) {
    this.objects = objects;
    this.factory = factory;
    this.fallback = fallback;
  }

  @Override
  public Account forResource(String namespace, AccountReference ref) {
    AccountKey key = AccountKey.requested(namespace, ref);
    Optional<TwilioAccountSpec> spec = objects.spec(key);
    if (spec.isEmpty()) {
      if (ref == null) {
        return fallback.forNamespace(namespace);
      }
      throw new AccountUnavailableException(
          REFERENCE_NOT_READY, "spec.accountRef names " + key + ", which does not exist", true);
    }
    if (key.kind() == AccountKind.ClusterTwilioAccount) {
      var selector = ((ClusterTwilioAccountSpec) spec.get()).getNamespaceSelector();
      if (!NamespaceSelector.admits(selector, objects.namespaceLabels(namespace))) {
        throw new AccountUnavailableException(
            ACCOUNT_NOT_ALLOWED,
            key
                + " does not admit namespace "
                + namespace
                + ": its namespaceSelector is "
                + NamespaceSelector.describe(selector),
            false);
      }
    }
    Linked link = linked.get(key);
    if (link != null) {
      return link.connection().account();
    }
    String problem = problems.get(key);
    if (problem != null) {
      throw new AccountUnavailableException(key + ": " + problem);
    }
    throw AccountUnavailableException.notConnectedYet(key + " is not connected to Twilio yet");
  }

  /**
   * Connects account object {@code key} with {@code settings}: new credentials of the same account
   * are used in place (every request attempt from now on sends them), other changes make a new
   * connection. Returns the account and whether the credentials changed.
   */
  public synchronized Connected connect(AccountKey key, AccountSettings settings) {
    problems.remove(key);
    Linked current = linked.get(key);
    if (current != null && current.settings().sameConnection(settings)) {
      boolean rotated = !current.settings().credentials().equals(settings.credentials());
      if (rotated) {
        current.connection().useCredentials(settings.credentials());
        current.connection().account().snapshot().credentialsChanged();
      }
      linked.put(key, new Linked(settings, current.connection()));
      if (rotated) {
        changed(key);
      }
      return new Connected(current.connection().account(), rotated);
    }
    Connection connection = factory.connect(settings);
    linked.put(key, new Linked(settings, connection));
    if (current != null) {
      current.connection().close();
    }
    accountListeners.forEach(l -> l.accept(connection.account()));
    changed(key);
    return new Connected(connection.account(), true);
  }

  /** The account of a connection, and whether this connect changed its credentials or made it. */
  public record Connected(Account account, boolean credentialsChanged) {}

  /**
   * Account object {@code key} cannot be connected ({@code problem} says why, e.g. its Secret is
   * missing). A connection made before stays in use with the credentials read then, so that the
   * resources using it can still be deleted at Twilio.
   */
  public void unusable(AccountKey key, String problem) {
    if (!problem.equals(problems.put(key, problem))) {
      changed(key);
    }
  }

  /** Whether account object {@code key} is connected (with credentials read before, maybe). */
  public boolean isConnected(AccountKey key) {
    return linked.containsKey(key);
  }

  /** The credentials version the connection of {@code key} uses, if connected. */
  public Optional<String> credentialsVersion(AccountKey key) {
    return Optional.ofNullable(linked.get(key)).map(l -> l.settings().credentialsVersion());
  }

  /** Account object {@code key} is gone: its connection is closed. */
  public void disconnect(AccountKey key) {
    problems.remove(key);
    Linked gone = linked.remove(key);
    if (gone != null) {
      gone.connection().close();
    }
    changed(key);
  }

  @Override
  public Collection<Account> all() {
    List<Account> all = new ArrayList<>(fallback.all());
    linked.values().forEach(l -> all.add(l.connection().account()));
    return all;
  }

  @Override
  public void addAccountListener(Consumer<Account> listener) {
    accountListeners.add(listener);
    all().forEach(listener);
  }

  @Override
  public void addChangeListener(Consumer<Set<String>> listener) {
    changeListeners.add(listener);
  }

  /** Account objects were added, changed or deleted: the resources asking for them are told. */
  public void objectsChanged(Set<String> keys) {
    changeListeners.forEach(l -> l.accept(keys));
  }

  private void changed(AccountKey key) {
    Set<String> keys = Set.of(key.index());
    changeListeners.forEach(l -> l.accept(keys));
  }
}
