package dev.byoc.sourceip.config;

import static dev.byoc.sourceip.config.Setting.*;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach and authenticate to one Twilio account, and how hard to press it. Immutable, built
 * once at start; its {@code toString} never shows a secret. Every setting but the credentials is
 * checked on construction; the credentials are only reported ({@link #credentialsProblem}), so that
 * the operator can stay up without them and say so on every resource, while one-shot commands
 * refuse to start ({@link #requireCredentials}).
 */
public record TwilioConfig(
    String accountSid,
    String authToken,
    String apiKey,
    String apiSecret,
    String region,
    String edge,
    String baseUrl,
    boolean allowInsecureHttp,
    Duration connectTimeout,
    Duration readTimeout,
    int maxConcurrentRequests,
    double maxRequestsPerSecond,
    Duration limiterMaxWait,
    int maxRetries,
    Duration retryBaseDelay,
    Duration retryMaxDelay,
    int pageSize,
    int maxPages) {

  private static final Pattern ACCOUNT_SID = Pattern.compile("^AC[0-9a-fA-F]{32}$");
  private static final Pattern API_KEY_SID = Pattern.compile("^SK[0-9a-fA-F]{32}$");

  public TwilioConfig {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(limiterMaxWait, "limiterMaxWait");
    Objects.requireNonNull(retryBaseDelay, "retryBaseDelay");
    Objects.requireNonNull(retryMaxDelay, "retryMaxDelay");
    if (maxConcurrentRequests < 1 || maxRequestsPerSecond <= 0 || maxRetries < 0) {
      throw new ConfigException("Twilio limits must be positive and retries not negative.");
    }
    if (pageSize < 1 || pageSize > 1000) {
      throw new ConfigException(TWILIO_PAGE_SIZE.envName() + " must be from 1 to 1000.");
    }
    if (maxPages < 1) {
      throw new ConfigException(TWILIO_MAX_PAGES.envName() + " must be at least 1.");
    }
  }

  /**
   * What makes the credentials unusable, naming the variables (never a secret's value), or empty
   * when they are usable.
   */
  public java.util.Optional<String> credentialsProblem() {
    if (accountSid == null && authToken == null && apiKey == null && apiSecret == null) {
      return java.util.Optional.of(
          TWILIO_ACCOUNT_SID.envName()
              + " and "
              + TWILIO_AUTH_TOKEN.envName()
              + " (or "
              + TWILIO_API_KEY.envName()
              + " with "
              + TWILIO_API_SECRET.envName()
              + ") are not set");
    }
    java.util.List<String> problems = new java.util.ArrayList<>();
    if (accountSid == null) {
      problems.add(TWILIO_ACCOUNT_SID.envName() + " is not set");
    } else if (!ACCOUNT_SID.matcher(accountSid).matches()) {
      problems.add(TWILIO_ACCOUNT_SID.envName() + " is not an Account SID (AC + 32 hex digits)");
    }
    if (apiKey != null && !API_KEY_SID.matcher(apiKey).matches()) {
      problems.add(TWILIO_API_KEY.envName() + " is not an API Key SID (SK + 32 hex digits)");
    }
    if (apiKey != null && apiSecret == null) {
      problems.add(
          TWILIO_API_KEY.envName() + " is set but " + TWILIO_API_SECRET.envName() + " is not");
    } else if (apiKey == null && apiSecret != null) {
      problems.add(
          TWILIO_API_SECRET.envName() + " is set but " + TWILIO_API_KEY.envName() + " is not");
    } else if (apiKey == null && authToken == null) {
      problems.add(
          TWILIO_AUTH_TOKEN.envName()
              + ", or "
              + TWILIO_API_KEY.envName()
              + " with "
              + TWILIO_API_SECRET.envName()
              + ", is not set");
    }
    return problems.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(String.join("; ", problems));
  }

  /** This config, if its credentials are usable; else a {@link ConfigException} saying why. */
  public TwilioConfig requireCredentials() {
    credentialsProblem()
        .ifPresent(
            problem -> {
              throw new ConfigException(problem + ".");
            });
    return this;
  }

  /**
   * Reads every Twilio setting; a bad value fails with a message naming it. Missing or malformed
   * credentials do not fail here: see {@link #credentialsProblem}.
   */
  public static TwilioConfig from(Settings s) {
    Builder b = new Builder();
    b.accountSid = s.string(TWILIO_ACCOUNT_SID);
    b.authToken = s.string(TWILIO_AUTH_TOKEN);
    b.apiKey = s.string(TWILIO_API_KEY);
    b.apiSecret = s.string(TWILIO_API_SECRET);
    b.region = s.string(TWILIO_REGION);
    b.edge = s.string(TWILIO_EDGE);
    b.baseUrl = s.string(TWILIO_BASE_URL);
    b.allowInsecureHttp = s.bool(TWILIO_ALLOW_INSECURE_HTTP);
    b.connectTimeout = s.duration(TWILIO_CONNECT_TIMEOUT);
    b.readTimeout = s.duration(TWILIO_READ_TIMEOUT);
    b.maxConcurrentRequests = s.integer(TWILIO_MAX_CONCURRENT_REQUESTS, 1, 10_000);
    b.maxRequestsPerSecond = s.decimal(TWILIO_MAX_REQUESTS_PER_SECOND, 0);
    b.limiterMaxWait = s.duration(TWILIO_LIMITER_MAX_WAIT);
    b.maxRetries = s.integer(TWILIO_MAX_RETRIES, 0, 100);
    b.retryBaseDelay = s.duration(TWILIO_RETRY_BASE_DELAY);
    b.retryMaxDelay = s.duration(TWILIO_RETRY_MAX_DELAY);
    b.pageSize = s.integer(TWILIO_PAGE_SIZE, 1, 1000);
    b.maxPages = s.integer(TWILIO_MAX_PAGES, 1, 1_000_000);
    return b.build();
  }

  /** Defaults for everything but the account and base URL: a starting point for tests and tools. */
  public static Builder builder(String accountSid, String authToken, String baseUrl) {
    return from(
        Settings.from(
            name ->
                switch (name) {
                  case "TWILIO_ACCOUNT_SID" -> accountSid;
                  case "TWILIO_AUTH_TOKEN" -> authToken;
                  case "TWILIO_BASE_URL" -> baseUrl;
                  default -> null;
                }))
        .requireCredentials()
        .toBuilder();
  }

  /** The Basic-auth user name: the API key when one is set, else the Account SID. */
  public String username() {
    return apiKey != null ? apiKey : accountSid;
  }

  /** The Basic-auth password: the API secret when a key is set, else the Auth Token. */
  public String password() {
    return apiKey != null ? apiSecret : authToken;
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.accountSid = accountSid;
    b.authToken = authToken;
    b.apiKey = apiKey;
    b.apiSecret = apiSecret;
    b.region = region;
    b.edge = edge;
    b.baseUrl = baseUrl;
    b.allowInsecureHttp = allowInsecureHttp;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.maxConcurrentRequests = maxConcurrentRequests;
    b.maxRequestsPerSecond = maxRequestsPerSecond;
    b.limiterMaxWait = limiterMaxWait;
    b.maxRetries = maxRetries;
    b.retryBaseDelay = retryBaseDelay;
    b.retryMaxDelay = retryMaxDelay;
    b.pageSize = pageSize;
    b.maxPages = maxPages;
    return b;
  }

  /** Changes a few fields of a valid config; {@link #build} validates the result again. */
  public static final class Builder {
    private String accountSid;
    private String authToken;
    private String apiKey;
    private String apiSecret;
    private String region;
    private String edge;
    private String baseUrl;
    private boolean allowInsecureHttp;
    private Duration connectTimeout;
    private Duration readTimeout;
    private int maxConcurrentRequests;
    private double maxRequestsPerSecond;
    private Duration limiterMaxWait;
    private int maxRetries;
    private Duration retryBaseDelay;
    private Duration retryMaxDelay;
    private int pageSize;
    private int maxPages;

    private Builder() {}

    public Builder apiKey(String keySid, String secret) {
      this.authToken = null;
      this.apiKey = keySid;
      this.apiSecret = secret;
      return this;
    }

    public Builder hosts(String baseUrl, String region, String edge, boolean allowInsecureHttp) {
      this.baseUrl = baseUrl;
      this.region = region;
      this.edge = edge;
      this.allowInsecureHttp = allowInsecureHttp;
      return this;
    }

    public Builder timeouts(Duration connect, Duration read) {
      this.connectTimeout = connect;
      this.readTimeout = read;
      return this;
    }

    public Builder limits(int concurrent, double perSecond) {
      this.maxConcurrentRequests = concurrent;
      this.maxRequestsPerSecond = perSecond;
      return this;
    }

    public Builder retries(int retries, Duration baseDelay, Duration maxDelay) {
      this.maxRetries = retries;
      this.retryBaseDelay = baseDelay;
      this.retryMaxDelay = maxDelay;
      return this;
    }

    public Builder paging(int pageSize, int maxPages) {
      this.pageSize = pageSize;
      this.maxPages = maxPages;
      return this;
    }

    public TwilioConfig build() {
      return new TwilioConfig(
          accountSid,
          authToken,
          apiKey,
          apiSecret,
          region,
          edge,
          baseUrl,
          allowInsecureHttp,
          connectTimeout,
          readTimeout,
          maxConcurrentRequests,
          maxRequestsPerSecond,
          limiterMaxWait,
          maxRetries,
          retryBaseDelay,
          retryMaxDelay,
          pageSize,
          maxPages);
    }
  }

  @Override
  public String toString() {
    return "TwilioConfig[accountSid="
        + accountSid
        + ", auth="
        + (credentialsProblem().isPresent()
            ? "unusable"
            : apiKey != null ? "apiKey " + apiKey + " + secret ****" : "authToken ****")
        + ", region="
        + region
        + ", edge="
        + edge
        + ", baseUrl="
        + baseUrl
        + ", allowInsecureHttp="
        + allowInsecureHttp
        + ", connectTimeout="
        + connectTimeout
        + ", readTimeout="
        + readTimeout
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + ", maxRequestsPerSecond="
        + maxRequestsPerSecond
        + ", maxRetries="
        + maxRetries
        + ", pageSize="
        + pageSize
        + "]";
  }
}
