package dev.byoc.sourceip.config;

/**
 * Every setting the product reads from its environment, with its default and description in one
 * place, so that flags, help texts and the README table agree.
 */
public enum Setting {
  TWILIO_ACCOUNT_SID(
      null, "Twilio Account SID (AC...). Also the Basic-auth user unless an API key is set."),
  TWILIO_AUTH_TOKEN(null, "Auth Token of the account. Used when no API key is set."),
  TWILIO_API_KEY(null, "API Key SID (SK...) to authenticate with instead of the Auth Token."),
  TWILIO_API_SECRET(null, "Secret of the API key."),
  TWILIO_REGION(null, "Twilio region, e.g. au1 or ie1 (hosts become voice.{edge}.{region}...)."),
  TWILIO_EDGE(null, "Twilio edge location, e.g. sydney or dublin."),
  TWILIO_BASE_URL(
      null,
      "Send both Twilio APIs (voice and api) to this base URL instead, e.g. an emulator at"
          + " http://127.0.0.1:8080. Overrides region and edge."),
  TWILIO_ALLOW_INSECURE_HTTP(
      "false", "Allow a plain-http TWILIO_BASE_URL on a non-loopback host (never in production)."),
  TWILIO_CONNECT_TIMEOUT("10s", "Connect timeout for Twilio requests."),
  TWILIO_READ_TIMEOUT("30s", "Read timeout for Twilio requests."),
  TWILIO_MAX_CONCURRENT_REQUESTS(
      "10",
      "Most requests in flight to Twilio at once, per account (Twilio's limit is per account)."),
  TWILIO_MAX_REQUESTS_PER_SECOND("50", "Most requests started per second, per account."),
  TWILIO_LIMITER_MAX_WAIT(
      "5m",
      "Longest a request waits for a concurrency or rate permit before it fails as recoverable."),
  TWILIO_MAX_RETRIES(
      "4",
      "Retries after the first attempt for 429, 503 and, for idempotent calls, 5xx and I/O errors."),
  TWILIO_RETRY_BASE_DELAY("250ms", "First backoff delay; doubles per retry, with full jitter."),
  TWILIO_RETRY_MAX_DELAY("20s", "Upper bound of one backoff delay, Retry-After included."),
  TWILIO_PAGE_SIZE("1000", "PageSize of list requests (1..1000)."),
  TWILIO_MAX_PAGES(
      "10000", "Most pages one list follows before it gives up on a server that never ends.");

  private final String defaultValue;
  private final String description;

  Setting(String defaultValue, String description) {
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The environment variable that carries this setting (the enum name). */
  public String envName() {
    return name();
  }

  /** The default, or null when the setting has none. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }
}
