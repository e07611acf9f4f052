package dev.byoc.sourceip.twilio;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.config.TwilioCredentials;
import dev.byoc.sourceip.config.TwilioEndpoints;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.EventListener;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TwilioClient} over HTTPS with OkHttp and Jackson: Basic auth, the account's limiter,
 * retries by {@link RetryRules}, paging, and typed errors. One instance per account.
 */
public final class HttpTwilioClient implements TwilioClient {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTwilioClient.class);
  private static final String VOICE = "voice.v1";
  private static final String API = "api.v2010";
  private static final String MAPPINGS = "SourceIpMappings";
  private static final String IP_RECORDS = "IpRecords";
  private static final String DOMAINS = "SipDomains";
  private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

  private final TwilioConfig config;
  private final TwilioEndpoints endpoints;
  private final OkHttpClient http;
  private final AccountLimiter limiter;
  private final TwilioRequestListener listener;
  private final ObjectMapper json;
  private volatile String authorization;
  private final RetryPolicy<JsonNode> idempotentPolicy;
  private final RetryPolicy<JsonNode> createPolicy;
  private final String userAgent;

  /** A client with its own connection pool and limiter; see the full constructor to share them. */
  public HttpTwilioClient(TwilioConfig config) {
    this(
        config,
        new OkHttpClient(),
        new AccountLimiter(config.limits()),
        TwilioRequestListener.NONE);
  }

  /**
   * @param sharedHttp an OkHttp client whose dispatcher and pool may be shared (its settings are
   *     copied, then timeouts and retry behaviour are set for Twilio)
   * @param limiter the account's limiter, shared by every client of the same account
   * @param listener told of every request attempt (metrics)
   */
  public HttpTwilioClient(
      TwilioConfig config,
      OkHttpClient sharedHttp,
      AccountLimiter limiter,
      TwilioRequestListener listener) {
    this.config = Objects.requireNonNull(config).requireCredentials();
    this.endpoints = config.endpoints();
    this.limiter = Objects.requireNonNull(limiter);
    this.listener = Objects.requireNonNull(listener);
    this.http =
        sharedHttp
            .newBuilder()
            .connectTimeout(config.timeouts().connect())
            .readTimeout(config.timeouts().read())
            .writeTimeout(config.timeouts().read())
            // bounds a body that trickles in forever, which per-read timeouts alone never end
            .callTimeout(config.timeouts().connect().plus(config.timeouts().read().multipliedBy(2)))
            // OkHttp would otherwise silently repeat a request on some connection failures,
            // a POST included: retries are decided here, by RetryRules, and never for a sent
            // create.
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .connectionPool(
                new ConnectionPool(
                    limiter.maxConcurrent(), 5, java.util.concurrent.TimeUnit.MINUTES))
            .eventListenerFactory(SendTracker::listenerFor)
            .build();
    this.json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    this.authorization =
        Credentials.basic(config.credentials().username(), config.credentials().password());
    RetryRules rules =
        new RetryRules(
            config.retry().maxRetries(), config.retry().baseDelay(), config.retry().maxDelay());
    this.idempotentPolicy = rules.policy(true);
    this.createPolicy = rules.policy(false);
    this.userAgent = "sourceip-operator/" + dev.byoc.sourceip.BuildVersion.get() + " okhttp";
  }

  @Override
  public String accountSid() {
    return config.accountSid();
  }

  /**
   * Rotated credentials of the same account: every request attempt from now on (those waiting for a
   * permit and retries included) sends them; one already on the wire cannot be called back.
   *
   * @throws IllegalArgumentException when they are unusable or name another account, which needs
   *     another client (its own snapshot and limiter)
   */
  public void useCredentials(TwilioCredentials credentials) {
    credentials
        .problem()
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    if (!config.accountSid().equals(credentials.accountSid())) {
      throw new IllegalArgumentException(
          "credentials of account "
              + credentials.accountSid()
              + " given to the client of "
              + config.accountSid());
    }
    authorization = Credentials.basic(credentials.username(), credentials.password());
  }

  // ---- Source IP Mappings -------------------------------------------------------------------

  @Override
  public TwilioMapping createSourceIpMapping(String ipRecordSid, String sipDomainSid) {
    FormBody body =
        new FormBody.Builder()
            .add("IpRecordSid", ipRecordSid)
            .add("SipDomainSid", sipDomainSid)
            .build();
    return as(
        create(VOICE, MAPPINGS, endpoints.voicePath("v1", MAPPINGS), body), TwilioMapping.class);
  }

  /** GET one; on no interface: reconciles read the snapshot, never one by one. */
  public TwilioMapping fetchSourceIpMapping(String sid) {
    return as(get(VOICE, MAPPINGS, endpoints.voicePath("v1", MAPPINGS, sid)), TwilioMapping.class);
  }

  @Override
  public List<TwilioMapping> listSourceIpMappings() {
    return list(
        VOICE,
        MAPPINGS,
        endpoints.voicePath("v1", MAPPINGS),
        "source_ip_mappings",
        new TypeReference<>() {});
  }

  @Override
  public TwilioMapping updateSourceIpMapping(String sid, String sipDomainSid) {
    FormBody body = new FormBody.Builder().add("SipDomainSid", sipDomainSid).build();
    return as(
        update(VOICE, MAPPINGS, endpoints.voicePath("v1", MAPPINGS, sid), body),
        TwilioMapping.class);
  }

  @Override
  public void deleteSourceIpMapping(String sid) {
    delete(VOICE, MAPPINGS, endpoints.voicePath("v1", MAPPINGS, sid));
  }

  // ---- IP Records ---------------------------------------------------------------------------

  @Override
  public TwilioIpRecord createIpRecord(
      String ipAddress, String friendlyName, Integer cidrPrefixLength) {
    FormBody.Builder body = new FormBody.Builder().add("IpAddress", ipAddress);
    if (friendlyName != null) {
      body.add("FriendlyName", friendlyName);
    }
    if (cidrPrefixLength != null) {
      body.add("CidrPrefixLength", Integer.toString(cidrPrefixLength));
    }
    return as(
        create(VOICE, IP_RECORDS, endpoints.voicePath("v1", IP_RECORDS), body.build()),
        TwilioIpRecord.class);
  }

  /** GET one; on no interface: reconciles read the snapshot, never one by one. */
  public TwilioIpRecord fetchIpRecord(String sid) {
    return as(
        get(VOICE, IP_RECORDS, endpoints.voicePath("v1", IP_RECORDS, sid)), TwilioIpRecord.class);
  }

  @Override
  public List<TwilioIpRecord> listIpRecords() {
    return list(
        VOICE,
        IP_RECORDS,
        endpoints.voicePath("v1", IP_RECORDS),
        "ip_records",
        new TypeReference<>() {});
  }

  @Override
  public TwilioIpRecord updateIpRecord(String sid, String friendlyName) {
    FormBody body = new FormBody.Builder().add("FriendlyName", friendlyName).build();
    return as(
        update(VOICE, IP_RECORDS, endpoints.voicePath("v1", IP_RECORDS, sid), body),
        TwilioIpRecord.class);
  }

  @Override
  public void deleteIpRecord(String sid) {
    delete(VOICE, IP_RECORDS, endpoints.voicePath("v1", IP_RECORDS, sid));
  }

  // ---- SIP Domains (API 2010) ---------------------------------------------------------------

  /** GET one; on no interface: reconciles read the snapshot, never one by one. */
  public SipDomain fetchSipDomain(String sid) {
    return as(get(API, DOMAINS, domains(sid + ".json")), SipDomain.class);
  }

  @Override
  public List<SipDomain> listSipDomains() {
    return list(API, DOMAINS, domains(null), "domains", new TypeReference<>() {});
  }

  private HttpUrl domains(String instance) {
    return instance == null
        ? endpoints.apiPath("2010-04-01", "Accounts", config.accountSid(), "SIP", "Domains.json")
        : endpoints.apiPath(
            "2010-04-01", "Accounts", config.accountSid(), "SIP", "Domains", instance);
  }

  // ---- transport ----------------------------------------------------------------------------

  private JsonNode get(String api, String resource, HttpUrl url) {
    return execute(new Exchange(api, resource, "GET", url, null, true));
  }

  private JsonNode create(String api, String resource, HttpUrl url, RequestBody body) {
    return execute(new Exchange(api, resource, "POST", url, body, false));
  }

  private JsonNode update(String api, String resource, HttpUrl url, RequestBody body) {
    return execute(new Exchange(api, resource, "POST", url, body, true));
  }

  private void delete(String api, String resource, HttpUrl url) {
    execute(new Exchange(api, resource, "DELETE", url, null, true));
  }

  /**
   * Follows the pages of a list, at {@code PageSize} from the config, until the last; bounded by
   * {@code maxPages} and refusing a page URL seen before.
   */
  private <T> List<T> list(
      String api, String resource, HttpUrl first, String key, TypeReference<List<T>> type) {
    List<T> all = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    HttpUrl url =
        first
            .newBuilder()
            .addQueryParameter("PageSize", Integer.toString(config.paging().pageSize()))
            .build();
    for (int page = 1; url != null; page++) {
      if (page > config.paging().maxPages() || !seen.add(url.toString())) {
        throw new TwilioTransportException(
            "Gave up listing "
                + resource
                + " after "
                + (page - 1)
                + " pages: the server keeps"
                + " returning more (last page URL "
                + url.encodedPath()
                + ")",
            null,
            false);
      }
      JsonNode body = get(api, resource, url);
      JsonNode items = body.path(key);
      if (!items.isArray()) {
        throw new TwilioTransportException(
            "Twilio's " + resource + " page has no '" + key + "' array", null, false);
      }
      all.addAll(json.convertValue(items, type));
      url =
          nextPage(
              api.equals(API)
                  ? body.path("next_page_uri")
                  : body.path("meta").path("next_page_url"),
              url);
      if (url == null) {
        listener.onListed(api, resource, page, all.size());
      }
    }
    return all;
  }

  /**
   * The next page on OUR configured host: Twilio's absolute {@code next_page_url} (or 2010's
   * relative {@code next_page_uri}) keeps its path and query; scheme, host and port stay ours, so
   * credentials never follow a link elsewhere.
   */
  private static HttpUrl nextPage(JsonNode next, HttpUrl current) {
    if (next == null || next.isNull() || next.isMissingNode() || next.asText().isBlank()) {
      return null;
    }
    HttpUrl resolved = current.resolve(next.asText());
    if (resolved == null) {
      throw new TwilioTransportException("Twilio sent an unusable next page link", null, false);
    }
    return resolved
        .newBuilder()
        .scheme(current.scheme())
        .host(current.host())
        .port(current.port())
        .build();
  }

  private JsonNode execute(Exchange exchange) {
    RetryPolicy<JsonNode> policy = exchange.idempotent ? idempotentPolicy : createPolicy;
    try {
      return Failsafe.with(policy).get(ctx -> attempt(exchange, ctx.getAttemptCount() > 0));
    } catch (TwilioOutcomeUnknownException e) {
      listener.onOutcomeUnknown(exchange.api, exchange.resource);
      throw e;
    } catch (TwilioApiException e) {
      if (!exchange.idempotent && !e.isRateLimited() && e.isServerError()) {
        listener.onOutcomeUnknown(exchange.api, exchange.resource);
        throw new TwilioOutcomeUnknownException(
            "Create "
                + exchange.describe()
                + " answered "
                + e.status()
                + "; the resource may or may not exist: look it up before creating again",
            e);
      }
      throw e;
    }
  }

  private JsonNode attempt(Exchange exchange, boolean retry) {
    long waitStart = System.nanoTime();
    try (AccountLimiter.Permit permit = limiter.acquire()) {
      listener.onLimiterWait(Duration.ofNanos(System.nanoTime() - waitStart));
      SendTracker sent = new SendTracker();
      Request.Builder request =
          new Request.Builder()
              .url(exchange.url)
              // read after the permit: a request that waited sends the credentials current now
              .header("Authorization", authorization)
              .header("Accept", "application/json")
              .header("User-Agent", userAgent)
              .tag(SendTracker.class, sent);
      request.method(exchange.method, exchange.body);
      long start = System.nanoTime();
      int status;
      byte[] bytes;
      String retryAfter;
      IOException tooLarge = null;
      try (Response response = http.newCall(request.build()).execute()) {
        status = response.code();
        retryAfter = response.header("Retry-After");
        try {
          bytes = readBounded(response);
        } catch (BodyTooLargeException e) {
          tooLarge = e;
          bytes = new byte[0];
        }
      } catch (IOException e) {
        report(exchange, 0, start, retry);
        if (!sent.sent) {
          throw new TwilioTransportException(
              "Could not reach Twilio for " + exchange.describe() + ": " + e.getMessage(), e);
        }
        if (exchange.idempotent) {
          throw new TwilioTransportException(
              "No answer from Twilio for " + exchange.describe() + ": " + e.getMessage(), e);
        }
        throw unknownOutcome(exchange, e.getMessage(), e);
      }
      report(exchange, status, start, retry);
      if (tooLarge != null) {
        throw unreadable(exchange, status, tooLarge.getMessage(), tooLarge);
      }
      if (status < 200 || status >= 300) {
        TwilioApiException error =
            ErrorResponses.toException(
                json, exchange.method, exchange.url.encodedPath(), status, retryAfter, bytes);
        if (error.isThrottled()) {
          permit.throttled();
        }
        throw error;
      }
      permit.succeeded();
      if (bytes.length == 0) {
        if (exchange.method.equals("DELETE")) {
          return json.nullNode();
        }
        throw unreadable(exchange, status, "no body", null);
      }
      try {
        return json.readTree(bytes);
      } catch (IOException e) {
        throw unreadable(exchange, status, e.getMessage(), e);
      }
    }
  }

  /**
   * A 2xx Twilio sent but we cannot use: for a create the outcome is unknown (look first), for
   * anything else a recoverable error that is not repeated at once.
   */
  private static TwilioException unreadable(
      Exchange exchange, int status, String detail, Throwable cause) {
    String why = "an unreadable " + status + " response (" + detail + ")";
    if (!exchange.idempotent) {
      return unknownOutcome(exchange, why, cause);
    }
    return new TwilioTransportException(
        "Twilio sent " + why + " to " + exchange.describe(), cause, false);
  }

  private static TwilioOutcomeUnknownException unknownOutcome(
      Exchange exchange, String why, Throwable cause) {
    return new TwilioOutcomeUnknownException(
        "No usable answer from Twilio for create "
            + exchange.describe()
            + " ("
            + why
            + "); the resource may or may not exist: look it up before creating again",
        cause);
  }

  /** The body, refusing more than {@link #MAX_BODY_BYTES}: a page of 1000 records is ~300 KB. */
  private static byte[] readBounded(Response response) throws IOException {
    if (response.body() == null) {
      return new byte[0];
    }
    okio.BufferedSource source = response.body().source();
    if (source.request(MAX_BODY_BYTES + 1)) {
      throw new BodyTooLargeException();
    }
    return source.getBuffer().readByteArray();
  }

  /** The body went past {@link #MAX_BODY_BYTES}: an answer, but not one to read. */
  private static final class BodyTooLargeException extends IOException {
    BodyTooLargeException() {
      super("body larger than " + MAX_BODY_BYTES + " bytes");
    }
  }

  private void report(Exchange exchange, int status, long startNanos, boolean retry) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    LOG.debug(
        "{} -> {} in {} ms",
        exchange.describe(),
        status == 0 ? "no response" : status,
        elapsed.toMillis());
    listener.onRequest(
        new TwilioRequestListener.RequestEvent(
            exchange.api, exchange.resource, exchange.method, status, elapsed, retry));
  }

  private <T> T as(JsonNode node, Class<T> type) {
    try {
      return json.treeToValue(node, type);
    } catch (IOException e) {
      throw new TwilioTransportException(
          "Twilio sent a " + type.getSimpleName() + " we cannot read: " + e.getMessage(), e, false);
    }
  }

  /** One logical request: what to send and whether repeating it is harmless. */
  private record Exchange(
      String api,
      String resource,
      String method,
      HttpUrl url,
      RequestBody body,
      boolean idempotent) {
    String describe() {
      return method + " " + url.encodedPath();
    }
  }

  /**
   * Records whether a call got as far as writing its request: before that, a failure means Twilio
   * never saw it and any call may be repeated; after it, only idempotent ones.
   */
  private static final class SendTracker extends EventListener {
    private volatile boolean sent;

    static EventListener listenerFor(Call call) {
      SendTracker tracker = call.request().tag(SendTracker.class);
      if (tracker == null) {
        return EventListener.NONE;
      }
      return new EventListener() {
        @Override
        public void requestHeadersStart(Call c) {
          tracker.sent = true;
        }
      };
    }
  }
}
