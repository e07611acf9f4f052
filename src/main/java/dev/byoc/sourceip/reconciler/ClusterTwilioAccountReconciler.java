package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.account.AccountDirectory;
import dev.byoc.sourceip.account.AccountInformers;
import dev.byoc.sourceip.account.AccountKey;
import dev.byoc.sourceip.api.v1alpha1.ClusterTwilioAccount;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import java.time.Clock;
import java.time.Duration;

/**
 * A cluster-wide account: its Secret is in the operator's namespace, and only Secrets there are
 * read.
 */
public final class ClusterTwilioAccountReconciler extends AccountReconciler<ClusterTwilioAccount> {
  private final String operatorNamespace;

  public ClusterTwilioAccountReconciler(
      AccountDirectory directory,
      AccountInformers informers,
      EventSink events,
      Duration defaultInterval,
      Clock clock,
      String partialView,
      String operatorNamespace) {
    super(
        ClusterTwilioAccount.class,
        directory,
        informers,
        events,
        defaultInterval,
        clock,
        partialView);
    this.operatorNamespace = operatorNamespace;
  }

  @Override
  AccountKey key(ClusterTwilioAccount account) {
    return AccountKey.cluster(account.getMetadata().getName());
  }

  @Override
  String secretNamespace(ClusterTwilioAccount account) {
    return operatorNamespace;
  }

  @Override
  InformerEventSourceConfiguration.Builder<Secret> secretScope(
      InformerEventSourceConfiguration.Builder<Secret> builder) {
    return builder.withNamespaces(operatorNamespace);
  }
}
