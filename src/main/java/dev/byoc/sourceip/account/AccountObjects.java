package dev.byoc.sourceip.account;

import dev.byoc.sourceip.api.v1alpha1.TwilioAccountSpec;
import java.util.Map;
import java.util.Optional;

/**
 * The account objects of the cluster and the namespaces' labels, as the operator's caches hold
 * them: what resolving a resource's account reads.
 */
public interface AccountObjects {
  /** The spec of the TwilioAccount or ClusterTwilioAccount {@code key} names, if it exists. */
  Optional<TwilioAccountSpec> spec(AccountKey key);

  /** The labels of namespace {@code name} (empty when unknown). */
  Map<String, String> namespaceLabels(String name);

  /** No account objects at all: every resource uses the operator's own account. */
  AccountObjects NONE =
      new AccountObjects() {
        @Override
        public Optional<TwilioAccountSpec> spec(AccountKey key) {
          return Optional.empty();
        }

        @Override
        public Map<String, String> namespaceLabels(String name) {
          return Map.of();
        }
      };
}
