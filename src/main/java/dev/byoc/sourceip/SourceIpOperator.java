package dev.byoc.sourceip;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountDirectory;
import dev.byoc.sourceip.account.AccountInformers;
import dev.byoc.sourceip.account.AccountSnapshot;
import dev.byoc.sourceip.account.HttpConnections;
import dev.byoc.sourceip.account.MissingCredentials;
import dev.byoc.sourceip.account.ReconcileGate;
import dev.byoc.sourceip.account.SingleAccount;
import dev.byoc.sourceip.account.SnapshotRefresher;
import dev.byoc.sourceip.account.TwilioAccounts;
import dev.byoc.sourceip.api.v1alpha1.ClusterTwilioAccount;
import dev.byoc.sourceip.api.v1alpha1.ConditionedStatus;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import dev.byoc.sourceip.config.OperatorConfig;
import dev.byoc.sourceip.health.Check;
import dev.byoc.sourceip.health.ManagementServer;
import dev.byoc.sourceip.logging.CredentialHeaderFilter;
import dev.byoc.sourceip.metrics.OperatorMetrics;
import dev.byoc.sourceip.reconciler.ClusterTwilioAccountReconciler;
import dev.byoc.sourceip.reconciler.EventRecorder;
import dev.byoc.sourceip.reconciler.IpRecordReconciler;
import dev.byoc.sourceip.reconciler.RelevantChangeFilter;
import dev.byoc.sourceip.reconciler.SourceIpMappingReconciler;
import dev.byoc.sourceip.reconciler.TwilioAccountReconciler;
import dev.byoc.sourceip.reconciler.UnreadableKeepingCloner;
import dev.byoc.sourceip.twilio.AccountLimiter;
import dev.byoc.sourceip.twilio.HttpTwilioClient;
import dev.byoc.sourceip.twilio.TwilioClient;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;

/**
 * Wires the operator: accounts and their snapshots, the reconciler, JOSDK with patching that works
 * on any API server (no server-side apply), the periodic resync, metrics, and the probes' answers.
 */
public final class SourceIpOperator implements AutoCloseable, ManagementServer.Probes {
  /** Reconciles in flight get this long to finish on stop; below any pod's grace period. */
  public static final Duration TERMINATION_TIMEOUT = Duration.ofSeconds(10);

  private final Operator operator;
  private final AccountInformers informers;
  private final SnapshotRefresher refresher;
  private final TwilioAccounts accounts;
  private final OperatorMetrics metrics;
  private final Leadership leadership;
  private volatile boolean closed;

  private SourceIpOperator(
      Operator operator,
      AccountInformers informers,
      SnapshotRefresher refresher,
      TwilioAccounts accounts,
      OperatorMetrics metrics,
      Leadership leadership) {
    this.operator = operator;
    this.informers = informers;
    this.refresher = refresher;
    this.accounts = accounts;
    this.metrics = metrics;
    this.leadership = leadership;
  }

  /**
   * Starts with fresh metrics; see {@link #start(OperatorConfig, KubernetesClient,
   * OperatorMetrics)}.
   */
  public static SourceIpOperator start(OperatorConfig config, KubernetesClient kubernetes) {
    return start(config, kubernetes, new OperatorMetrics());
  }

  /**
   * Starts against {@code kubernetes} with the Twilio account from {@code config}; without usable
   * credentials, with none, every resource reporting why. The config's host settings were checked
   * when it was read.
   */
  public static SourceIpOperator start(
      OperatorConfig config, KubernetesClient kubernetes, OperatorMetrics metrics) {
    var problem = config.credentialsProblem();
    if (problem.isPresent()) {
      return start(config, kubernetes, new MissingCredentials(problem.get()), metrics);
    }
    var twilio = config.twilio();
    AccountLimiter limiter = new AccountLimiter(twilio.limits());
    HttpTwilioClient client =
        new HttpTwilioClient(
            twilio, new OkHttpClient(), limiter, metrics.twilioListener(twilio.accountSid()));
    Account account =
        new Account(
            client.accountSid(),
            client,
            new AccountSnapshot(client, Clock.systemUTC()),
            ReconcileGate.of(limiter));
    metrics.watchAccount(account, limiter);
    return start(config, kubernetes, new SingleAccount(account), metrics);
  }

  /** Starts with a given Twilio client (tests pass one with a recording listener). */
  public static SourceIpOperator start(
      OperatorConfig config, KubernetesClient kubernetes, TwilioClient twilio) {
    OperatorMetrics metrics = new OperatorMetrics();
    Account account = account(twilio);
    metrics.watchAccount(account, null);
    return start(config, kubernetes, new SingleAccount(account), metrics);
  }

  private static Account account(TwilioClient twilio) {
    return new Account(twilio.accountSid(), twilio, new AccountSnapshot(twilio, Clock.systemUTC()));
  }

  /**
   * @param fallback the operator's own account, for resources that name none in a namespace without
   *     a {@code default} TwilioAccount
   */
  private static SourceIpOperator start(
      OperatorConfig config,
      KubernetesClient kubernetes,
      TwilioAccounts fallback,
      OperatorMetrics metrics) {
    CredentialHeaderFilter.install(); // at TRACE the Kubernetes client would log its bearer token
    Clock clock = Clock.systemUTC();
    // synced before any controller starts: a resource never resolves against an empty cache
    AccountInformers informers = AccountInformers.start(kubernetes, config);
    AccountDirectory accounts =
        new AccountDirectory(
            informers,
            new HttpConnections(config.twilio(), new OkHttpClient(), metrics, clock),
            fallback);
    informers.addObjectListener(accounts::objectsChanged);
    // the operator's own account; account objects are listed by their reconcilers, each at its
    // own resyncInterval
    SnapshotRefresher refresher = new SnapshotRefresher(fallback, config.resyncInterval());
    // only the leader lists Twilio: a standby's refresher starts when it takes the lease
    Leadership leadership = new Leadership(config.leaderElection(), refresher::start);
    metrics.watchLeadership(leadership::isLeader);
    SourceIpMappingReconciler reconciler =
        new SourceIpMappingReconciler(
            accounts,
            new EventRecorder(kubernetes, metrics),
            config.resyncInterval(),
            clock,
            metrics);
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(kubernetes)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withConcurrentReconciliationThreads(config.reconcileConcurrency())
                    .withReconciliationTerminationTimeout(TERMINATION_TIMEOUT)
                    .withMetrics(metrics.reconcileMetrics())
                    .withLeaderElectionConfiguration(leadership.configuration())
                    .withResourceCloner(
                        new UnreadableKeepingCloner(kubernetes.getKubernetesSerialization())));
    GenericRetry retry =
        new GenericRetry()
            .setInitialInterval(Duration.ofSeconds(1))
            .setIntervalMultiplier(2)
            .setMaxInterval(Duration.ofMinutes(5).toMillis())
            .withoutMaxAttempts();
    IpRecordReconciler ipRecords =
        new IpRecordReconciler(
            accounts,
            new EventRecorder(kubernetes, metrics),
            config.resyncInterval(),
            clock,
            metrics);
    register(operator, reconciler, "sourceipmapping", SourceIpMapping.FINALIZER, retry, config);
    register(operator, ipRecords, "iprecord", IpRecord.FINALIZER, retry, config);
    registerAccounts(operator, accounts, informers, kubernetes, config, clock, metrics, retry);
    operator.start();
    leadership.startIfAlone();
    return new SourceIpOperator(operator, informers, refresher, accounts, metrics, leadership);
  }

  /**
   * The account controllers: TwilioAccounts where resources are watched, ClusterTwilioAccounts
   * (unless switched off) cluster-wide with their Secrets in the operator's namespace.
   */
  private static void registerAccounts(
      Operator operator,
      AccountDirectory accounts,
      AccountInformers informers,
      KubernetesClient kubernetes,
      OperatorConfig config,
      Clock clock,
      OperatorMetrics metrics,
      GenericRetry retry) {
    operator.register(
        new TwilioAccountReconciler(
            accounts,
            informers,
            new EventRecorder(kubernetes, metrics),
            config.resyncInterval(),
            clock,
            partialView(config)),
        c -> {
          c.withName("twilioaccount").withFinalizer(TwilioAccount.FINALIZER).withRetry(retry);
          scope(c, config);
        });
    if (config.accounts().clusterAccounts()) {
      String namespace = config.accounts().operatorNamespace();
      if (namespace == null) {
        namespace = kubernetes.getNamespace() == null ? "default" : kubernetes.getNamespace();
      }
      operator.register(
          new ClusterTwilioAccountReconciler(
              accounts,
              informers,
              new EventRecorder(kubernetes, metrics, namespace),
              config.resyncInterval(),
              clock,
              partialView(config),
              namespace),
          c -> {
            c.withName("clustertwilioaccount")
                .withFinalizer(ClusterTwilioAccount.FINALIZER)
                .withRetry(retry)
                .watchingAllNamespaces();
            if (config.scope().labelSelector() != null) {
              c.withLabelSelector(config.scope().labelSelector());
            }
          });
    }
  }

  /**
   * Why pruning cannot delete: this operator does not see every resource that may claim a Twilio
   * object (it watches some namespaces, or some labels); null when it sees them all.
   */
  public static String partialView(OperatorConfig config) {
    if (config.scope().allNamespaces() && config.scope().labelSelector() == null) {
      return null;
    }
    return "this operator sees only "
        + (config.scope().allNamespaces()
            ? "resources labelled " + config.scope().labelSelector()
            : "namespaces "
                + String.join(", ", new java.util.TreeSet<>(config.scope().namespaces()))
                + (config.scope().labelSelector() == null
                    ? ""
                    : " (and labels " + config.scope().labelSelector() + ")"))
        + ", so resources it does not see may claim these objects: pruning deletes only from an"
        + " operator that watches every namespace without a label selector";
  }

  /** The watched namespaces and labels, the same for every namespaced kind. */
  private static void scope(
      io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider<?> c,
      OperatorConfig config) {
    if (config.scope().labelSelector() != null) {
      c.withLabelSelector(config.scope().labelSelector());
    }
    if (config.scope().allNamespaces()) {
      c.watchingAllNamespaces();
    } else {
      c.settingNamespaces(config.scope().namespaces());
    }
  }

  /** Registers one kind's reconciler: its finalizer, filter, retry and the watched scope. */
  private static <R extends CustomResource<?, ? extends ConditionedStatus>> void register(
      Operator operator,
      Reconciler<R> reconciler,
      String name,
      String finalizer,
      GenericRetry retry,
      OperatorConfig config) {
    operator.register(
        reconciler,
        c -> {
          c.withName(name)
              .withFinalizer(finalizer)
              .withGenerationAware(false)
              .withOnUpdateFilter(new RelevantChangeFilter<R>())
              .withRetry(retry);
          scope(c, config);
        });
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  @Override
  public Check live() {
    if (closed) {
      return Check.failing("stopping");
    }
    if (!refresher.isRunning()) {
      return Check.failing("the snapshot refresher has stopped");
    }
    return Check.ok("running");
  }

  @Override
  public Check ready() {
    if (closed) {
      return Check.failing("stopping");
    }
    RuntimeInfo runtime = operator.getRuntimeInfo();
    if (!runtime.isStarted()) {
      return Check.failing("the controllers have not started");
    }
    if (!runtime.allEventSourcesAreHealthy()) {
      return Check.failing(
          "event sources not healthy: "
              + runtime.unhealthyEventSources().entrySet().stream()
                  .map(e -> e.getKey() + " " + e.getValue().keySet())
                  .collect(Collectors.joining(", ")));
    }
    if (!leadership.isLeader()) {
      return Check.ok("standby: informers synced, waiting for the lease");
    }
    List<String> waiting =
        accounts.all().stream()
            .filter(a -> !a.snapshot().firstListEnded())
            .map(Account::accountSid)
            .toList();
    if (!waiting.isEmpty()) {
      return Check.failing("waiting for the first list of Twilio account(s) " + waiting);
    }
    return Check.ok("informers synced, " + accounts.all().size() + " Twilio account(s) listed");
  }

  /**
   * Stops taking new work and waits up to {@link #TERMINATION_TIMEOUT} for reconciles in flight.
   */
  @Override
  public void close() {
    closed = true;
    refresher.close();
    operator.stop();
    informers.close();
  }
}
