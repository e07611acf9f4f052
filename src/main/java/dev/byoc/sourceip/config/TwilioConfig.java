package dev.byoc.sourceip.config;

import static dev.byoc.sourceip.config.Setting.*;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach and authenticate to one Twilio account, and how hard to press it. Immutable, read
 * once at start; its {@code toString} never shows a secret. Every setting but the credentials is
 * checked when read, the hosts included ({@link #endpoints}); the credentials are only reported
 * ({@link #credentialsProblem}), so that the operator can stay up without them and say so on every
 * resource, while one-shot commands refuse to start ({@link #requireCredentials}).
 */
public record TwilioConfig(
    TwilioCredentials credentials,
    TwilioEndpoints endpoints,
    Timeouts timeouts,
    Limits limits,
    Retry retry,
    Paging paging) {

  /** Connect and read timeout of one request. */
  public record Timeouts(Duration connect, Duration read) {
    public Timeouts {
      Objects.requireNonNull(connect, "connect");
      Objects.requireNonNull(read, "read");
    }
  }

  /**
   * Per account: requests in flight (the ceiling of an adaptive limit when {@code
   * adaptiveConcurrency}), requests started per second, longest wait for a permit.
   */
  public record Limits(
      int concurrentRequests,
      double requestsPerSecond,
      Duration maxWait,
      boolean adaptiveConcurrency) {
    public Limits {
      Objects.requireNonNull(maxWait, "maxWait");
      if (concurrentRequests < 1 || !(requestsPerSecond > 0)) {
        throw new ConfigException("Twilio limits must be positive.");
      }
    }

    /** With adaptive concurrency, the default. */
    public Limits(int concurrentRequests, double requestsPerSecond, Duration maxWait) {
      this(concurrentRequests, requestsPerSecond, maxWait, true);
    }
  }

  /** Retries after the first attempt, and the bounds of the backoff between them. */
  public record Retry(int maxRetries, Duration baseDelay, Duration maxDelay) {
    public Retry {
      Objects.requireNonNull(baseDelay, "baseDelay");
      Objects.requireNonNull(maxDelay, "maxDelay");
      if (maxRetries < 0) {
        throw new ConfigException("Twilio retries must not be negative.");
      }
    }
  }

  /** PageSize of a list request, and the most pages one list follows. */
  public record Paging(int pageSize, int maxPages) {
    public Paging {
      if (pageSize < 1 || pageSize > 1000) {
        throw new ConfigException(TWILIO_PAGE_SIZE.envName() + " must be from 1 to 1000.");
      }
      if (maxPages < 1) {
        throw new ConfigException(TWILIO_MAX_PAGES.envName() + " must be at least 1.");
      }
    }
  }

  public TwilioConfig {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(paging, "paging");
  }

  /**
   * Reads every Twilio setting; a bad value, a host setting included, fails with a message naming
   * it. Missing or malformed credentials do not fail here: see {@link #credentialsProblem}.
   */
  public static TwilioConfig from(Settings s) {
    return new TwilioConfig(
        TwilioCredentials.from(s),
        TwilioEndpoints.from(s),
        new Timeouts(s.duration(TWILIO_CONNECT_TIMEOUT), s.duration(TWILIO_READ_TIMEOUT)),
        new Limits(
            s.integer(TWILIO_MAX_CONCURRENT_REQUESTS, 1, 10_000),
            s.decimal(TWILIO_MAX_REQUESTS_PER_SECOND, 0),
            s.duration(TWILIO_LIMITER_MAX_WAIT),
            s.bool(TWILIO_ADAPTIVE_CONCURRENCY)),
        new Retry(
            s.integer(TWILIO_MAX_RETRIES, 0, 100),
            s.duration(TWILIO_RETRY_BASE_DELAY),
            s.duration(TWILIO_RETRY_MAX_DELAY)),
        new Paging(
            s.integer(TWILIO_PAGE_SIZE, 1, 1000), s.integer(TWILIO_MAX_PAGES, 1, 1_000_000)));
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

  /** The account's SID (also in {@link #credentials}). */
  public String accountSid() {
    return credentials.accountSid();
  }

  /**
   * What makes the credentials unusable, naming the variables (never a secret's value), or empty
   * when they are usable.
   */
  public Optional<String> credentialsProblem() {
    return credentials.problem();
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

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes a few parts of a valid config; each part is checked again as it is replaced. */
  public static final class Builder {
    private TwilioCredentials credentials;
    private TwilioEndpoints endpoints;
    private Timeouts timeouts;
    private Limits limits;
    private Retry retry;
    private Paging paging;

    private Builder(TwilioConfig c) {
      credentials = c.credentials;
      endpoints = c.endpoints;
      timeouts = c.timeouts;
      limits = c.limits;
      retry = c.retry;
      paging = c.paging;
    }

    public Builder credentials(TwilioCredentials credentials) {
      this.credentials = java.util.Objects.requireNonNull(credentials);
      return this;
    }

    public Builder endpoints(TwilioEndpoints endpoints) {
      this.endpoints = java.util.Objects.requireNonNull(endpoints);
      return this;
    }

    public Builder apiKey(String keySid, String secret) {
      credentials = credentials.withApiKey(keySid, secret);
      return this;
    }

    public Builder hosts(String baseUrl, String region, String edge, boolean allowInsecureHttp) {
      endpoints = TwilioEndpoints.of(baseUrl, region, edge, allowInsecureHttp);
      return this;
    }

    public Builder timeouts(Duration connect, Duration read) {
      timeouts = new Timeouts(connect, read);
      return this;
    }

    public Builder limits(int concurrent, double perSecond) {
      limits = new Limits(concurrent, perSecond, limits.maxWait(), limits.adaptiveConcurrency());
      return this;
    }

    /** Whether the concurrency limit adapts below its ceiling (on by default). */
    public Builder adaptiveConcurrency(boolean adaptive) {
      limits =
          new Limits(
              limits.concurrentRequests(), limits.requestsPerSecond(), limits.maxWait(), adaptive);
      return this;
    }

    public Builder retries(int retries, Duration baseDelay, Duration maxDelay) {
      retry = new Retry(retries, baseDelay, maxDelay);
      return this;
    }

    public Builder paging(int pageSize, int maxPages) {
      paging = new Paging(pageSize, maxPages);
      return this;
    }

    public TwilioConfig build() {
      return new TwilioConfig(credentials, endpoints, timeouts, limits, retry, paging);
    }
  }

  @Override
  public String toString() {
    return "TwilioConfig["
        + credentials
        + ", voice="
        + endpoints.voice()
        + ", api="
        + endpoints.api()
        + ", "
        + timeouts
        + ", "
        + limits
        + ", "
        + retry
        + ", "
        + paging
        + "]";
  }
}
