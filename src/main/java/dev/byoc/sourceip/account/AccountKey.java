package dev.byoc.sourceip.account;

import dev.byoc.sourceip.api.v1alpha1.AccountKind;
import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import java.util.Objects;

/**
 * Which account object a resource asks for: a TwilioAccount (with its namespace), a
 * ClusterTwilioAccount (no namespace). {@link #index()} is the key resources are indexed and woken
 * by.
 *
 * @param namespace the TwilioAccount's namespace; null for a ClusterTwilioAccount
 */
public record AccountKey(AccountKind kind, String namespace, String name) {
  /** The TwilioAccount a resource without accountRef uses when its namespace has one. */
  public static final String DEFAULT_NAME = "default";

  public AccountKey {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(name);
    if ((kind == AccountKind.TwilioAccount) != (namespace != null)) {
      throw new IllegalArgumentException("a TwilioAccount, and only it, has a namespace");
    }
  }

  public static AccountKey namespaced(String namespace, String name) {
    return new AccountKey(AccountKind.TwilioAccount, namespace, name);
  }

  public static AccountKey cluster(String name) {
    return new AccountKey(AccountKind.ClusterTwilioAccount, null, name);
  }

  /**
   * The account a resource in {@code namespace} asks for: the one {@code ref} names (a
   * TwilioAccount always of the resource's own namespace), or without one the namespace's {@code
   * default}.
   */
  public static AccountKey requested(String namespace, AccountReference ref) {
    if (ref == null) {
      return namespaced(namespace, DEFAULT_NAME);
    }
    return ref.effectiveKind() == AccountKind.ClusterTwilioAccount
        ? cluster(ref.getName())
        : namespaced(namespace, ref.getName());
  }

  /** The key resources asking for this account are indexed by. */
  public String index() {
    return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
  }

  @Override
  public String toString() {
    return kind + " " + (namespace == null ? name : namespace + "/" + name);
  }
}
