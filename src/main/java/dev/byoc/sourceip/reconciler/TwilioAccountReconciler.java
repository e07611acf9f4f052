package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.account.AccountDirectory;
import dev.byoc.sourceip.account.AccountInformers;
import dev.byoc.sourceip.account.AccountKey;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import java.time.Clock;
import java.time.Duration;

/** A namespace's account: its Secret is in its own namespace. */
public final class TwilioAccountReconciler extends AccountReconciler<TwilioAccount> {
  public TwilioAccountReconciler(
      AccountDirectory directory,
      AccountInformers informers,
      EventSink events,
      Duration defaultInterval,
      Clock clock,
      String partialView) {
    super(TwilioAccount.class, directory, informers, events, defaultInterval, clock, partialView);
  }

  @Override
  AccountKey key(TwilioAccount account) {
    return AccountKey.namespaced(
        account.getMetadata().getNamespace(), account.getMetadata().getName());
  }

  @Override
  String secretNamespace(TwilioAccount account) {
    return account.getMetadata().getNamespace();
  }

  @Override
  InformerEventSourceConfiguration.Builder<Secret> secretScope(
      InformerEventSourceConfiguration.Builder<Secret> builder) {
    return builder.withNamespacesInheritedFromController();
  }
}
