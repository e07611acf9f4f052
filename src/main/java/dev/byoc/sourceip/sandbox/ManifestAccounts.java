package dev.byoc.sourceip.sandbox;

import dev.byoc.sourceip.account.AccountKey;
import dev.byoc.sourceip.account.SecretCredentials;
import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import dev.byoc.sourceip.api.v1alpha1.CredentialsSecretRef;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import dev.byoc.sourceip.config.TwilioCredentials;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Twilio accounts a directory of manifests declares (TwilioAccounts and their labelled
 * Secrets), so that the sandbox's emulator holds each of them and seeds what each resource names in
 * the account that resource will use. Resources with no account of their own use the sandbox's.
 */
final class ManifestAccounts {
  private final Map<String, TwilioCredentials> bySecret = new HashMap<>(); // ns/name
  private final Map<String, TwilioAccount> byAccount = new HashMap<>(); // ns/name

  ManifestAccounts(List<HasMetadata> items) {
    for (HasMetadata item : items) {
      if (item instanceof Secret s
          && s.getMetadata().getLabels() != null
          && "true".equals(s.getMetadata().getLabels().get(CredentialsSecretRef.LABEL))
          && SecretCredentials.read(s, new CredentialsSecretRef(s.getMetadata().getName()))
              instanceof SecretCredentials.Usable u) {
        bySecret.put(key(s), u.credentials());
      } else if (item instanceof TwilioAccount a) {
        byAccount.put(key(a), a);
      }
    }
  }

  private static String key(HasMetadata item) {
    String namespace = item.getMetadata().getNamespace();
    return (namespace == null ? "default" : namespace) + "/" + item.getMetadata().getName();
  }

  /** Every account the manifests hold credentials for, by Account SID, with its credentials. */
  Map<String, TwilioCredentials> credentials() {
    Map<String, TwilioCredentials> all = new LinkedHashMap<>();
    bySecret.values().forEach(c -> all.putIfAbsent(c.accountSid(), c));
    return all;
  }

  /** The Account SID a resource will use, or {@code fallback} when the manifests give it none. */
  String accountOf(HasMetadata resource, String fallback) {
    AccountReference ref = null;
    if (resource instanceof SourceIpMapping m && m.getSpec() != null) {
      ref = m.getSpec().getAccountRef();
    } else if (resource instanceof IpRecord r && r.getSpec() != null) {
      ref = r.getSpec().getAccountRef();
    }
    String namespace =
        resource.getMetadata().getNamespace() == null
            ? "default"
            : resource.getMetadata().getNamespace();
    AccountKey key = AccountKey.requested(namespace, ref);
    if (key.namespace() == null) {
      return fallback; // a ClusterTwilioAccount: the sandbox seeds only namespaced accounts
    }
    TwilioAccount account = byAccount.get(key.namespace() + "/" + key.name());
    if (account == null
        || account.getSpec() == null
        || account.getSpec().getCredentialsSecretRef() == null) {
      return fallback;
    }
    TwilioCredentials credentials =
        bySecret.get(key.namespace() + "/" + account.getSpec().getCredentialsSecretRef().getName());
    return credentials == null ? fallback : credentials.accountSid();
  }
}
