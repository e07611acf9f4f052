package dev.byoc.sourceip;

import dev.byoc.sourceip.account.AccountSnapshot;
import dev.byoc.sourceip.account.MissingCredentials;
import dev.byoc.sourceip.account.SingleAccount;
import dev.byoc.sourceip.account.SnapshotRefresher;
import dev.byoc.sourceip.account.TwilioAccount;
import dev.byoc.sourceip.account.TwilioAccounts;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.config.OperatorConfig;
import dev.byoc.sourceip.logging.CredentialHeaderFilter;
import dev.byoc.sourceip.reconciler.EventRecorder;
import dev.byoc.sourceip.reconciler.RelevantChangeFilter;
import dev.byoc.sourceip.reconciler.SourceIpMappingReconciler;
import dev.byoc.sourceip.reconciler.UnreadableKeepingCloner;
import dev.byoc.sourceip.twilio.HttpTwilioClient;
import dev.byoc.sourceip.twilio.TwilioClient;
import dev.byoc.sourceip.twilio.TwilioEndpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires the operator: accounts and their snapshots, the reconciler, JOSDK with patching that works
 * on any API server (no server-side apply), and the periodic resync.
 */
public final class SourceIpOperator implements AutoCloseable {
  private final Operator operator;
  private final SnapshotRefresher refresher;

  private SourceIpOperator(Operator operator, SnapshotRefresher refresher) {
    this.operator = operator;
    this.refresher = refresher;
  }

  /**
   * Starts against {@code kubernetes} with the Twilio account from {@code config}; without usable
   * credentials, with none, every resource reporting why.
   *
   * @throws dev.byoc.sourceip.config.ConfigException when a Twilio host setting is unusable
   */
  public static SourceIpOperator start(OperatorConfig config, KubernetesClient kubernetes) {
    var problem = config.credentialsProblem();
    if (problem.isPresent()) {
      TwilioEndpoints.from(config.twilio()); // a bad host setting is still refused at start
      return start(config, kubernetes, new MissingCredentials(problem.get()));
    }
    return start(config, kubernetes, new HttpTwilioClient(config.twilio()));
  }

  /** Starts with a given Twilio client (tests pass one with a recording listener). */
  public static SourceIpOperator start(
      OperatorConfig config, KubernetesClient kubernetes, TwilioClient twilio) {
    TwilioAccount account =
        new TwilioAccount(
            twilio.accountSid(), twilio, new AccountSnapshot(twilio, Clock.systemUTC()));
    return start(config, kubernetes, new SingleAccount(account));
  }

  private static SourceIpOperator start(
      OperatorConfig config, KubernetesClient kubernetes, TwilioAccounts accounts) {
    CredentialHeaderFilter.install(); // at TRACE the Kubernetes client would log its bearer token
    Clock clock = Clock.systemUTC();
    SourceIpMappingReconciler reconciler =
        new SourceIpMappingReconciler(
            accounts, new EventRecorder(kubernetes), config.resyncInterval(), clock);
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(kubernetes)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withConcurrentReconciliationThreads(config.reconcileConcurrency())
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(10))
                    .withResourceCloner(
                        new UnreadableKeepingCloner(kubernetes.getKubernetesSerialization())));
    GenericRetry retry =
        new GenericRetry()
            .setInitialInterval(Duration.ofSeconds(1))
            .setIntervalMultiplier(2)
            .setMaxInterval(Duration.ofMinutes(5).toMillis())
            .withoutMaxAttempts();
    operator.register(
        reconciler,
        c -> {
          c.withName("sourceipmapping")
              .withFinalizer(SourceIpMapping.FINALIZER)
              .withGenerationAware(false)
              .withOnUpdateFilter(new RelevantChangeFilter())
              .withRetry(retry);
          if (config.allNamespaces()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.namespaces());
          }
        });
    SnapshotRefresher refresher = new SnapshotRefresher(accounts, config.resyncInterval());
    operator.start();
    refresher.start();
    return new SourceIpOperator(operator, refresher);
  }

  @Override
  public void close() {
    refresher.close();
    operator.stop();
  }
}
