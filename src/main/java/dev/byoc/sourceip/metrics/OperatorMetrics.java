package dev.byoc.sourceip.metrics;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.twilio.AccountLimiter;
import dev.byoc.sourceip.twilio.TwilioRequestListener;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Every series the operator exposes, in one Prometheus registry: JOSDK's reconcile metrics, Twilio
 * requests per account, each account's snapshot and limiter, resources by reason, drift repairs and
 * Events. No label grows with the number of resources; no label ever holds a credential (the
 * account label is the Account SID).
 */
public final class OperatorMetrics {
  /** Prefix of the operator's own series. */
  public static final String PREFIX = "sourceip.";

  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public OperatorMetrics() {
    this(Clock.systemUTC());
  }

  OperatorMetrics(Clock clock) {
    this.clock = clock;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(new ReconcileMetricsFilter());
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every series, with gauges computed now. */
  public String scrape() {
    beforeScrape.forEach(Runnable::run);
    return registry.scrape();
  }

  /** JOSDK's reconcile metrics into this registry, without per-resource series. */
  public Metrics reconcileMetrics() {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /** The request listener for one account's Twilio client. */
  public TwilioRequestListener twilioListener(String accountSid) {
    return new TwilioMeters(registry, accountSid);
  }

  /**
   * Removes the gauges {@link #watchAccount} registered for this account object (its connection is
   * closed); the request counters of the Account SID stay, as another object may use the account.
   */
  public void forgetAccount(Account account) {
    registry.getMeters().stream()
        .filter(m -> m instanceof Gauge)
        .filter(m -> account.accountSid().equals(m.getId().getTag("account")))
        .toList()
        .forEach(registry::remove);
  }

  /** Gauges of one account: its snapshot (age, pages, mappings) and, if given, its limiter. */
  public void watchAccount(Account account, AccountLimiter limiter) {
    Tags tags = Tags.of("account", account.accountSid());
    Gauge.builder(
            PREFIX + "snapshot.age",
            account,
            a ->
                a.snapshot()
                    .listedAt()
                    .map(at -> Duration.between(at, clock.instant()).toMillis() / 1000.0)
                    .orElse(Double.NaN))
        .description("Seconds since the list behind the account's snapshot began (NaN before one)")
        .baseUnit("seconds")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    Gauge.builder(PREFIX + "account.reconciles", account, a -> a.gate().inside())
        .description(
            "Reconciles holding the account now (at most a few per request it may have in flight)")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    Gauge.builder(PREFIX + "twilio.mappings", account, a -> a.snapshot().size())
        .description("Source IP Mappings the account holds at Twilio, as its snapshot sees them")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    if (limiter != null) {
      Gauge.builder(PREFIX + "twilio.limiter.in.use", limiter, AccountLimiter::inUse)
          .description("Requests to Twilio in flight for the account (limiter slots held)")
          .tags(tags)
          .strongReference(true)
          .register(registry);
      Gauge.builder(PREFIX + "twilio.limiter.max", limiter, AccountLimiter::maxConcurrent)
          .description("Most requests to Twilio in flight at once for the account")
          .tags(tags)
          .strongReference(true)
          .register(registry);
      Gauge.builder(PREFIX + "twilio.concurrency.limit", limiter, AccountLimiter::limit)
          .description(
              "Requests to Twilio the account's adaptive limit lets in flight now (at most the max)")
          .tags(tags)
          .strongReference(true)
          .register(registry);
    }
  }

  /**
   * Gauges computed from a kind's resources at each scrape: resources by their Ready condition's
   * reason, and mappings named in status per account.
   *
   * @param reasons the reasons always reported (0 when no resource has them), in order
   */
  public void watchResources(String kind, List<String> reasons, Supplier<Census> census) {
    MultiGauge byReason =
        MultiGauge.builder(PREFIX + "resources")
            .description("Resources by the reason of their Ready condition")
            .register(registry);
    MultiGauge managed =
        MultiGauge.builder(PREFIX + "managed.mappings")
            .description("Twilio mappings named in the status of a resource, per account")
            .register(registry);
    beforeScrape.add(
        () -> {
          Census now = census.get();
          Map<String, Long> counts = new java.util.LinkedHashMap<>();
          reasons.forEach(r -> counts.put(r, 0L));
          counts.putAll(now.byReason());
          List<MultiGauge.Row<?>> rows = new ArrayList<>();
          counts.forEach(
              (reason, n) ->
                  rows.add(MultiGauge.Row.of(Tags.of("kind", kind, "reason", reason), n)));
          byReason.register(rows, true);
          List<MultiGauge.Row<?>> accounts = new ArrayList<>();
          now.managedByAccount()
              .forEach(
                  (account, n) ->
                      accounts.add(
                          MultiGauge.Row.of(Tags.of("kind", kind, "account", account), n)));
          managed.register(accounts, true);
        });
  }

  /** 1 while this replica may act (holds the lease, or runs without leader election), else 0. */
  public void watchLeadership(java.util.function.BooleanSupplier leader) {
    Gauge.builder(PREFIX + "leader", leader, l -> l.getAsBoolean() ? 1 : 0)
        .description("1 while this replica reconciles and talks to Twilio; 0 on a standby")
        .strongReference(true)
        .register(registry);
  }

  /** A reconcile set Twilio back to the spec after a change made outside the operator. */
  public void driftRepaired(String kind, DriftRepair repair) {
    Counter.builder(PREFIX + "drift.repairs")
        .description("Changes made at Twilio outside the operator that it undid")
        .tags("kind", kind, "repair", repair.label())
        .register(registry)
        .increment();
  }

  /** An Event was recorded (or an earlier one counted again). */
  public void eventEmitted(String kind, String type, String reason) {
    Counter.builder(PREFIX + "events")
        .description("Kubernetes Events the operator recorded, repeats included")
        .tags("kind", kind, "type", type, "reason", reason)
        .register(registry)
        .increment();
  }

  /** What a kind's resources look like now, for the gauges of {@link #watchResources}. */
  public record Census(Map<String, Long> byReason, Map<String, Long> managedByAccount) {}

  /** The two ways drift is repaired. */
  public enum DriftRepair {
    /** The mapping was deleted at Twilio and made again. */
    RECREATED("recreated"),
    /** The mapping was pointed at another SIP domain at Twilio and pointed back. */
    SET_BACK("set_back");

    private final String label;

    DriftRepair(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The latency buckets of every timer with a histogram, JOSDK's included: 25 ms to 30 s. */
  static final Duration[] BUCKETS = {
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  /** Twilio's request series of one account. */
  private static final class TwilioMeters implements TwilioRequestListener {
    private final MeterRegistry registry;
    private final String account;
    private final Map<String, AtomicInteger> pages = new ConcurrentHashMap<>();

    TwilioMeters(MeterRegistry registry, String account) {
      this.registry = registry;
      this.account = account;
    }

    @Override
    public void onRequest(RequestEvent e) {
      io.micrometer.core.instrument.Timer.builder(PREFIX + "twilio.requests")
          .description("HTTP requests to Twilio (every attempt) and their latency")
          .tags(
              "account",
              account,
              "api",
              e.api(),
              "resource",
              e.resource(),
              "method",
              e.method(),
              "status_class",
              statusClass(e.status()))
          .serviceLevelObjectives(BUCKETS)
          .register(registry)
          .record(e.elapsed());
      if (e.status() == 429) {
        count("twilio.rate.limited", "Requests Twilio answered 429 (Too Many Requests)", e);
      }
      if (e.retry()) {
        count("twilio.retries", "Requests that repeated an earlier attempt of the same call", e);
      }
    }

    private void count(String name, String description, RequestEvent e) {
      Counter.builder(PREFIX + name)
          .description(description)
          .tags("account", account, "api", e.api(), "resource", e.resource(), "method", e.method())
          .register(registry)
          .increment();
    }

    @Override
    public void onListed(String api, String resource, int pageCount, int items) {
      pages
          .computeIfAbsent(
              api + "/" + resource,
              k -> {
                AtomicInteger last = new AtomicInteger();
                Gauge.builder(PREFIX + "twilio.list.pages", last, AtomicInteger::get)
                    .description("Pages the last complete list of the resource took")
                    .tags("account", account, "api", api, "resource", resource)
                    .register(registry);
                return last;
              })
          .set(pageCount);
    }

    @Override
    public void onOutcomeUnknown(String api, String resource) {
      Counter.builder(PREFIX + "twilio.outcome.unknown")
          .description("Creates that ended without a usable answer (looked up before any retry)")
          .tags("account", account, "api", api, "resource", resource)
          .register(registry)
          .increment();
    }

    @Override
    public void onLimiterWait(Duration waited) {
      io.micrometer.core.instrument.Timer.builder(PREFIX + "twilio.limiter.wait")
          .description("Time requests waited for the account limiter before they were sent")
          .tags("account", account)
          .register(registry)
          .record(waited);
    }

    static String statusClass(int status) {
      return status == 0 ? "none" : (status / 100) + "xx";
    }
  }
}
