package dev.byoc.sourceip.config;

/**
 * Every setting the product reads from its environment, with its default and description in one
 * place, so that flags, help texts and the README table agree.
 */
public enum Setting {
  TWILIO_ACCOUNT_SID(
      null, null, "Twilio Account SID (AC...). Also the Basic-auth user unless an API key is set."),
  TWILIO_AUTH_TOKEN(null, null, "Auth Token of the account. Used when no API key is set."),
  TWILIO_API_KEY(null, null, "API Key SID (SK...) to authenticate with instead of the Auth Token."),
  TWILIO_API_SECRET(null, null, "Secret of the API key."),
  TWILIO_REGION(
      "--twilio-region",
      null,
      "Twilio region, e.g. au1 or ie1 (hosts become voice.{edge}.{region}...)."),
  TWILIO_EDGE("--twilio-edge", null, "Twilio edge location, e.g. sydney or dublin."),
  TWILIO_BASE_URL(
      "--twilio-base-url",
      null,
      "Send both Twilio APIs (voice and api) to this base URL instead, e.g. an emulator at"
          + " http://127.0.0.1:8080. Overrides region and edge."),
  TWILIO_ALLOW_INSECURE_HTTP(
      "--twilio-allow-insecure-http",
      "false",
      "Allow a plain-http TWILIO_BASE_URL on a non-loopback host (never in production)."),
  TWILIO_CONNECT_TIMEOUT("--twilio-connect-timeout", "10s", "Connect timeout for Twilio requests."),
  TWILIO_READ_TIMEOUT("--twilio-read-timeout", "30s", "Read timeout for Twilio requests."),
  TWILIO_MAX_CONCURRENT_REQUESTS(
      "--twilio-max-concurrent-requests",
      "10",
      "Most requests in flight to Twilio at once, per account (Twilio's limit is per account);"
          + " the ceiling of the adaptive limit unless TWILIO_ADAPTIVE_CONCURRENCY is false."),
  TWILIO_ADAPTIVE_CONCURRENCY(
      "--twilio-adaptive-concurrency",
      "true",
      "Adapt the requests in flight below TWILIO_MAX_CONCURRENT_REQUESTS: one below the level"
          + " a throttle (429) refused, which is tried again only after a hold (2 min, doubling);"
          + " one more per round of successes; a tenth less when latency rises."),
  TWILIO_MAX_REQUESTS_PER_SECOND(
      "--twilio-max-requests-per-second", "50", "Most requests started per second, per account."),
  TWILIO_LIMITER_MAX_WAIT(
      "--twilio-limiter-max-wait",
      "5m",
      "Longest a request waits for a concurrency or rate permit before it fails as recoverable."),
  TWILIO_MAX_RETRIES(
      "--twilio-max-retries",
      "4",
      "Retries after the first attempt: 429 for every call, 5xx, 408 and I/O errors only for"
          + " idempotent calls (a create that may have reached Twilio is never repeated)."),
  TWILIO_RETRY_BASE_DELAY(
      "--twilio-retry-base-delay",
      "250ms",
      "First backoff delay; doubles per retry, with equal jitter."),
  TWILIO_RETRY_MAX_DELAY(
      "--twilio-retry-max-delay", "20s", "Upper bound of one backoff delay, Retry-After included."),
  TWILIO_PAGE_SIZE("--twilio-page-size", "1000", "PageSize of list requests (1..1000)."),
  TWILIO_MAX_PAGES(
      "--twilio-max-pages",
      "10000",
      "Most pages one list follows before it gives up on a server that never ends."),
  LOG_LEVEL("--log-level", "INFO", "Log level of the operator: TRACE, DEBUG, INFO, WARN or ERROR."),
  LOG_FORMAT(
      "--log-format",
      "text",
      "Log lines as plain text, or as one JSON object per line (json) for a log pipeline; a"
          + " reconcile's lines carry the resource's namespace and name either way."),
  SOURCEIP_MANAGEMENT_PORT(
      "--management-port",
      Integer.toString(dev.byoc.sourceip.health.ManagementPaths.DEFAULT_PORT),
      "Port of the management HTTP endpoint (/healthz, /readyz, /metrics) on all interfaces;"
          + " 0 switches it off."),
  SOURCEIP_NAMESPACES(
      "--namespaces", null, "Comma-separated namespaces to watch; all namespaces when empty."),
  SOURCEIP_RESYNC_INTERVAL(
      "--resync-interval",
      "5m",
      "How often each account's mappings are listed to find drift (a resource may ask for less"
          + " with the voice.byoc.dev/resync-interval annotation)."),
  SOURCEIP_RECONCILE_CONCURRENCY(
      "--reconcile-concurrency",
      "20",
      "Resources reconciled at once (Twilio calls are further capped per account)."),
  SOURCEIP_LABEL_SELECTOR(
      "--label-selector",
      null,
      "Only SourceIpMappings with these labels (a Kubernetes label selector, e.g. shard=a) are"
          + " watched and touched, cleanup included; all when empty. Lets several operators,"
          + " each with its own lease, split a cluster."),
  SOURCEIP_LEADER_ELECTION(
      "--leader-election",
      "false",
      "Run as one of several replicas: only the holder of the Lease reconciles and talks to"
          + " Twilio; the others wait, ready, sending nothing to Twilio."),
  SOURCEIP_LEASE_NAME(
      "--lease-name",
      "sourceip-operator",
      "Name of the coordination.k8s.io Lease the replicas compete for (one per operator"
          + " deployment, e.g. per label-selector shard)."),
  SOURCEIP_LEASE_NAMESPACE(
      "--lease-namespace",
      null,
      "Namespace of the Lease, normally the operator's own (the manifests set it from the"
          + " downward API); the kubeconfig's namespace when empty."),
  SOURCEIP_OPERATOR_NAMESPACE(
      "--operator-namespace",
      null,
      "Namespace the operator runs in (the manifests set it from the downward API), where the"
          + " credentials Secrets of ClusterTwilioAccounts are read; when empty,"
          + " SOURCEIP_LEASE_NAMESPACE, else the kubeconfig's namespace."),
  SOURCEIP_CLUSTER_ACCOUNTS(
      "--cluster-accounts",
      "true",
      "Serve ClusterTwilioAccounts, which needs cluster-wide read of clustertwilioaccounts and"
          + " namespaces (for their namespaceSelector); false for an operator confined to Roles in"
          + " its watched namespaces, where only TwilioAccounts and the operator's own account"
          + " serve."),
  SOURCEIP_CREDENTIALS_SECRET(
      "--credentials-secret",
      null,
      "The Secret the TWILIO_* credentials come from, e.g. sourceip-system/twilio-credentials;"
          + " only named in the CredentialsInvalid condition when they are missing or malformed.");

  private final String flag;
  private final String defaultValue;
  private final String description;

  Setting(String flag, String defaultValue, String description) {
    this.flag = flag;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The environment variable that carries this setting (the enum name). */
  public String envName() {
    return name();
  }

  /** The command-line flag that overrides the environment, or null (secrets have none). */
  public String flag() {
    return flag;
  }

  /** The default, or null when the setting has none. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }
}
