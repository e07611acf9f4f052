package dev.byoc.sourceip.config;

import static dev.byoc.sourceip.config.Setting.*;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything the operator process needs, read once at start. Missing or malformed Twilio
 * credentials are not a reason to exit (see {@link #credentialsProblem}); any other bad setting is.
 */
public record OperatorConfig(
    Scope scope,
    Duration resyncInterval,
    int reconcileConcurrency,
    TwilioConfig twilio,
    Logging logging,
    int managementPort,
    LeaderElection leaderElection,
    String credentialsSecret,
    Accounts accounts) {

  /**
   * Where ClusterTwilioAccounts' Secrets are (null: the kubeconfig's namespace) and whether they
   * are served at all.
   */
  public record Accounts(String operatorNamespace, boolean clusterAccounts) {
    /** Cluster accounts served, their Secrets in the kubeconfig's namespace. */
    public static final Accounts DEFAULT = new Accounts(null, true);
  }

  /** Without the account settings: the defaults. */
  public OperatorConfig(
      Scope scope,
      Duration resyncInterval,
      int reconcileConcurrency,
      TwilioConfig twilio,
      Logging logging,
      int managementPort,
      LeaderElection leaderElection,
      String credentialsSecret) {
    this(
        scope,
        resyncInterval,
        reconcileConcurrency,
        twilio,
        logging,
        managementPort,
        leaderElection,
        credentialsSecret,
        Accounts.DEFAULT);
  }

  /** Which SourceIpMappings are watched: these namespaces (all when empty), these labels. */
  public record Scope(Set<String> namespaces, String labelSelector) {
    public Scope {
      namespaces = Set.copyOf(namespaces);
    }

    /** True when every namespace is watched. */
    public boolean allNamespaces() {
      return namespaces.isEmpty();
    }
  }

  /** The log level (upper case) and the format of log lines. */
  public record Logging(String level, LogFormat format) {
    public static final Logging DEFAULT = new Logging(LOG_LEVEL.defaultValue(), LogFormat.TEXT);
  }

  /** Leader election: off, or the Lease's name and namespace (null: the client's namespace). */
  public record LeaderElection(boolean enabled, String leaseName, String leaseNamespace) {
    public static final LeaderElection OFF = new LeaderElection(false, null, null);
  }

  private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  /** With the default log level and format and no management endpoint (tests, the sandbox). */
  public OperatorConfig(
      Set<String> namespaces,
      Duration resyncInterval,
      int reconcileConcurrency,
      TwilioConfig twilio) {
    this(
        new Scope(namespaces, null),
        resyncInterval,
        reconcileConcurrency,
        twilio,
        Logging.DEFAULT,
        0,
        LeaderElection.OFF,
        null);
  }

  public OperatorConfig {
    if (resyncInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException(SOURCEIP_RESYNC_INTERVAL.envName() + " must be at least 1s.");
    }
  }

  public static OperatorConfig from(Settings s) {
    String ns = s.string(SOURCEIP_NAMESPACES);
    Set<String> namespaces = new TreeSet<>();
    if (ns != null) {
      Arrays.stream(ns.split(","))
          .map(String::trim)
          .filter(x -> !x.isEmpty())
          .forEach(namespaces::add);
    }
    for (String n : namespaces) {
      if (!n.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw Settings.invalid(SOURCEIP_NAMESPACES, ns, "namespace names separated by commas");
      }
    }
    String level = s.string(LOG_LEVEL).toUpperCase(java.util.Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw Settings.invalid(LOG_LEVEL, level, "one of TRACE, DEBUG, INFO, WARN, ERROR");
    }
    return new OperatorConfig(
        new Scope(namespaces, s.string(SOURCEIP_LABEL_SELECTOR)),
        s.duration(SOURCEIP_RESYNC_INTERVAL),
        s.integer(SOURCEIP_RECONCILE_CONCURRENCY, 1, 1000),
        TwilioConfig.from(s),
        new Logging(level, LogFormat.from(s)),
        s.integer(SOURCEIP_MANAGEMENT_PORT, 0, 65535),
        leaderElection(s),
        s.string(SOURCEIP_CREDENTIALS_SECRET),
        accounts(s));
  }

  private static Accounts accounts(Settings s) {
    String namespace = s.string(SOURCEIP_OPERATOR_NAMESPACE);
    if (namespace == null) {
      namespace = s.string(SOURCEIP_LEASE_NAMESPACE);
    }
    if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw Settings.invalid(SOURCEIP_OPERATOR_NAMESPACE, namespace, "a namespace name");
    }
    return new Accounts(namespace, s.bool(SOURCEIP_CLUSTER_ACCOUNTS));
  }

  private static LeaderElection leaderElection(Settings s) {
    if (!s.bool(SOURCEIP_LEADER_ELECTION)) {
      return LeaderElection.OFF;
    }
    String name = s.string(SOURCEIP_LEASE_NAME);
    String namespace = s.string(SOURCEIP_LEASE_NAMESPACE);
    String dns = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    if (name.length() > 253 || !name.matches(dns + "(\\." + dns + ")*")) {
      throw Settings.invalid(SOURCEIP_LEASE_NAME, name, "a Kubernetes object name");
    }
    if (namespace != null && !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw Settings.invalid(SOURCEIP_LEASE_NAMESPACE, namespace, "a namespace name");
    }
    return new LeaderElection(true, name, namespace);
  }

  /**
   * Why the operator cannot talk to Twilio, for every resource's CredentialsInvalid condition: what
   * is missing or malformed and where to fix it; empty when the credentials are usable.
   */
  public java.util.Optional<String> credentialsProblem() {
    return twilio
        .credentialsProblem()
        .map(
            problem ->
                "no usable Twilio credentials: "
                    + problem
                    + "; "
                    + (credentialsSecret == null
                        ? "set them in the operator's environment"
                        : "check that Secret " + credentialsSecret + " exists and holds these keys")
                    + ", then restart the operator");
  }
}
