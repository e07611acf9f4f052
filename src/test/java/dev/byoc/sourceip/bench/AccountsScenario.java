package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;
import static dev.byoc.sourceip.bench.Benchmark.OPERATOR;
import static dev.byoc.sourceip.bench.Benchmark.TOKEN;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.api.v1alpha1.CredentialsSecretRef;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccountSpec;
import dev.byoc.sourceip.emulator.FaultSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Two teams, two accounts (issue 13): account B's cold converge of N mappings while Twilio answers
 * 429 to 90% of account A's requests and A's N mappings wait in the same operator, against B's
 * converge alone (the same N and settings, A absent). Both accounts have the emulator's concurrency
 * limit C; the operator is told C, as in the cold scenario.
 *
 * <p>"Throttled to 429s" is modelled by a 429 probability, not by a concurrency limit of 1: Twilio
 * throttles an account by answering 429 to most of its requests whatever the operator's
 * concurrency, which is what drives the account's limiter down and keeps its reconciles waiting;
 * each 429 still takes the latency L, as a real answer does. A is given a head start (its mappings
 * applied first, B's applied once A has been answered 429s for a while), so that B's mappings
 * arrive while A's already hold whatever reconcile threads A may hold.
 */
final class AccountsScenario implements Scenario {
  static final String THROTTLED = "AC" + "a7".repeat(16);
  static final String THROTTLED_TOKEN = "bench-throttled-token-0123456789ab";
  static final double PROBABILITY_429 = 0.9;

  /** The target: B converges within this factor of B alone while A is throttled. */
  static final double TARGET_RATIO = 1.2;

  /** A's head start: until the operator has been answered this many 429s, or {@link #HEAD}. */
  static final long HEAD_429S = 50;

  static final Duration HEAD = Duration.ofSeconds(20);

  private static final String OPERATOR_NAMESPACE = "sourceip-system";

  @Override
  public String name() {
    return "accounts";
  }

  @Override
  public void run(Bench b) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "accounts (B alone, then B while A is answered 429 to %.0f%% of its requests) ...%n",
        100 * PROBABILITY_429);
    b.emulator.addAccount(THROTTLED, THROTTLED_TOKEN);
    List<String> ipsA = new ArrayList<>();
    for (int i = 0; i < b.n; i++) {
      ipsA.add(
          b.emulator.createIpRecord(
              THROTTLED,
              "10.%d.%d.%d".formatted(128 + i / 65536 % 128, i / 256 % 256, i % 256),
              32,
              null));
    }
    String domainA = b.emulator.createSipDomain(THROTTLED, "bench-throttled.sip.twilio.com");
    ObjectNode node = b.run.putObject("accounts");
    node.put("throttledAccount", THROTTLED);
    node.put("healthyAccount", ACCOUNT);
    node.put("probability429", PROBABILITY_429);
    node.put("emulatorConcurrencyLimit", b.o.concurrency());
    node.put("boundSeconds", b.twilioBound());

    ObjectNode alone = converge(b, "alone", null, null);
    node.set("alone", alone);
    ObjectNode throttled = converge(b, "throttled", ipsA, domainA);
    node.set("throttled", throttled);
    double ratio = throttled.path("seconds").asDouble() / alone.path("seconds").asDouble();
    node.put("ratioToAlone", ratio);
    node.put("targetRatio", TARGET_RATIO);
    rows(b, node);
  }

  /**
   * One operator, B's N mappings cold (and, with {@code ipsA}, A's N first, A throttled): B's time
   * from its apply to all Ready, A's progress then, the operator's per-account series.
   */
  private static ObjectNode converge(Bench b, String label, List<String> ipsA, String domainA)
      throws Exception {
    boolean withA = ipsA != null;
    System.out.printf(Locale.ROOT, "  %s ...%n", label);
    ObjectNode node = Report.JSON.createObjectNode();
    for (String account : List.of(ACCOUNT, THROTTLED)) { // cold: no mappings at Twilio
      b.emulator
          .sourceIpMappings(account)
          .forEach(m -> b.emulator.deleteSourceIpMapping(account, m.sid()));
    }
    FaultSettings healthy =
        FaultSettings.none().withLatencyMs(b.o.latencyMs()).withConcurrencyLimit(b.o.concurrency());
    b.emulator.faults().update(healthy);
    b.emulator.faults().clearAccounts();
    String nsB = "accounts-" + label + "-b";
    String nsA = "accounts-" + label + "-a";
    team(b, nsB, ACCOUNT, TOKEN);
    if (withA) {
      team(b, nsA, THROTTLED, THROTTLED_TOKEN);
      b.emulator.faults().update(THROTTLED, healthy.withProbability429(PROBABILITY_429));
    }

    int port = freePort();
    OperatorProcess saved = b.op;
    ResourceView viewB = new ResourceView(b.bench, nsB);
    ResourceView viewA = withA ? new ResourceView(b.bench, nsA) : null;
    HttpClient http = HttpClient.newHttpClient();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    Map<String, Gauges> gauges = new LinkedHashMap<>();
    gauges.put(ACCOUNT, new Gauges());
    if (withA) {
      gauges.put(THROTTLED, new Gauges());
    }
    try {
      b.op = start(b, label, withA ? List.of(nsA, nsB) : List.of(nsB), port);
      sampler.scheduleAtFixedRate(() -> sample(http, port, gauges), 0, 200, TimeUnit.MILLISECONDS);
      // B's account ready (Secret read, snapshot listed) before anything is measured, in both runs
      if (!Benchmark.await(Duration.ofSeconds(60), () -> accountReady(b, nsB))) {
        throw new IllegalStateException("TwilioAccount " + nsB + "/default is not Ready");
      }
      b.resetCounts();
      if (withA) {
        long h0 = System.nanoTime();
        b.applyInOrder(b.bench, mappings(b, nsA, ipsA, domainA));
        Benchmark.await(
            HEAD, () -> b.emulator.counters().faults().getOrDefault("429", 0L) >= HEAD_429S);
        node.put("headStartSeconds", Benchmark.secs(h0));
        node.put("aReadyAtBStart", readyCount(viewA));
      }
      double cpu0 = b.op.cpuSeconds();
      long t0 = System.nanoTime();
      b.applyInOrder(b.bench, mappings(b, nsB, b.ips, b.domainA));
      node.put("appliedSeconds", Benchmark.secs(t0));
      boolean completed =
          Benchmark.await(
              Duration.ofSeconds((long) Math.max(180, 10 * b.twilioBound())),
              () -> readyCount(viewB) == b.n && b.emulator.mappingCount(ACCOUNT) == b.n);
      double seconds = Benchmark.secs(t0);
      node.put("seconds", seconds);
      node.put("completed", completed);
      node.put("ratioToBound", seconds / b.twilioBound());
      node.put("cpuSeconds", b.op.cpuSeconds() - cpu0);
      node.put("loadAverage", Benchmark.loadAverage());
      if (withA) {
        node.put("aReadyAtBDone", readyCount(viewA));
        node.put("aMappingsAtTwilioAtBDone", b.emulator.mappingCount(THROTTLED));
      }
      node.put("bMappingsAtTwilio", b.emulator.mappingCount(ACCOUNT));
      node.set("twilio", b.twilio());
      ObjectNode maxInFlight = node.putObject("maxInFlightByAccount");
      maxInFlight.put(ACCOUNT, b.emulator.counters().maxInFlight(ACCOUNT));
      if (withA) {
        maxInFlight.put(THROTTLED, b.emulator.counters().maxInFlight(THROTTLED));
      }
      sampler.shutdownNow();
      node.set("metrics", metrics(http, port, gauges));
      // A healthy again, so that the operator stops promptly (its reconciles leave the limiter)
      b.emulator.faults().clearAccounts();
      node.put("operatorExitCode", b.op.stop());
      System.out.printf(
          Locale.ROOT,
          "    B: %.1f s (bound %.1f s)%s%n",
          seconds,
          b.twilioBound(),
          withA
              ? "; A: %d of %d Ready at B's end".formatted(node.path("aReadyAtBDone").asInt(), b.n)
              : "");
    } finally {
      sampler.shutdownNow();
      b.emulator.faults().clearAccounts();
      viewB.close();
      if (viewA != null) {
        viewA.close();
      }
      if (b.op != saved && b.op != null) {
        b.op.close();
      }
      b.op = saved;
    }
    return node;
  }

  /** A namespace with the account's credentials Secret and its default TwilioAccount. */
  private static void team(Bench b, String ns, String sid, String token) {
    b.bench
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    b.bench
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("twilio")
                .withNamespace(ns)
                .withLabels(Map.of(CredentialsSecretRef.LABEL, "true"))
                .endMetadata()
                .withData(Map.of("accountSid", base64(sid), "authToken", base64(token)))
                .build())
        .create();
    TwilioAccount account = new TwilioAccount();
    account.setMetadata(Bench.meta("default", ns));
    TwilioAccountSpec spec = new TwilioAccountSpec();
    spec.setCredentialsSecretRef(new CredentialsSecretRef("twilio"));
    account.setSpec(spec);
    b.bench.resource(account).create();
  }

  /** The operator as in the cold scenario (told C), without credentials of its own. */
  private static OperatorProcess start(Bench b, String label, List<String> namespaces, int port)
      throws Exception {
    Path kubeconfig = b.kube.writeKubeconfig(b.dir.resolve("kubeconfig"), OPERATOR);
    Map<String, String> env =
        Map.of(
            "KUBECONFIG",
            kubeconfig.toAbsolutePath().toString(),
            "TWILIO_BASE_URL",
            b.emulator.baseUrl(),
            "SOURCEIP_OPERATOR_NAMESPACE",
            OPERATOR_NAMESPACE,
            "SOURCEIP_MANAGEMENT_PORT",
            String.valueOf(port));
    List<String> args =
        List.of(
            "--namespaces",
            String.join(",", namespaces),
            "--resync-interval",
            b.o.resync().toSeconds() + "s",
            "--twilio-max-concurrent-requests",
            String.valueOf(b.o.concurrency()));
    OperatorProcess p =
        OperatorProcess.start(
            b.o.jar(),
            b.o.jvmFlags(),
            env,
            args,
            b.dir.resolve("operator-accounts-" + label + ".log"));
    if (!p.awaitLog("sourceip-operator started", Duration.ofSeconds(120))) {
      throw new IllegalStateException("the operator did not start:\n" + p.logText());
    }
    return p;
  }

  private static List<HasMetadata> mappings(Bench b, String ns, List<String> ips, String domain) {
    List<HasMetadata> mappings = new ArrayList<>();
    for (int i = 0; i < b.n; i++) {
      SourceIpMapping r = new SourceIpMapping();
      r.setMetadata(Bench.meta(b.names.get(i), ns));
      r.setSpec(new SourceIpMappingSpec(ips.get(i), domain));
      mappings.add(r);
    }
    return mappings;
  }

  private static boolean accountReady(Bench b, String ns) {
    TwilioAccount a =
        b.bench.resources(TwilioAccount.class).inNamespace(ns).withName("default").get();
    return a != null
        && a.getStatus() != null
        && a.getStatus().getConditions() != null
        && a.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static long readyCount(ResourceView view) {
    return view.count(s -> s.readyNow() && s.sid() != null);
  }

  // ---- the operator's per-account series -----------------------------------------------------

  /** An account's gauges sampled every 200 ms: reconciles holding it, its adaptive limit. */
  static final class Gauges {
    double reconcilesMax = Double.NaN;
    double limitMin = Double.NaN;
    double limitMax = Double.NaN;
    double limitSum;
    int samples;

    synchronized void add(double reconciles, double limit) {
      if (!Double.isNaN(reconciles)) {
        reconcilesMax =
            Double.isNaN(reconcilesMax) ? reconciles : Math.max(reconcilesMax, reconciles);
      }
      if (!Double.isNaN(limit)) {
        limitMin = Double.isNaN(limitMin) ? limit : Math.min(limitMin, limit);
        limitMax = Double.isNaN(limitMax) ? limit : Math.max(limitMax, limit);
        limitSum += limit;
        samples++;
      }
    }
  }

  private static void sample(HttpClient http, int port, Map<String, Gauges> gauges) {
    String text = scrape(http, port);
    if (text == null) {
      return;
    }
    gauges.forEach(
        (sid, g) ->
            g.add(
                sum(text, "sourceip_account_reconciles", sid),
                sum(text, "sourceip_twilio_concurrency_limit", sid)));
  }

  /** At B's end: per account, the operator's requests and 429s, and the sampled gauges. */
  private static ObjectNode metrics(HttpClient http, int port, Map<String, Gauges> gauges) {
    String text = scrape(http, port);
    ObjectNode m = Report.JSON.createObjectNode();
    gauges.forEach(
        (sid, g) -> {
          ObjectNode a = m.putObject(sid);
          if (text != null) {
            a.put("twilioRequests", count(text, "sourceip_twilio_requests_seconds_count", sid));
            a.put("rateLimited429", count(text, "sourceip_twilio_rate_limited_total", sid));
            a.put("retries", count(text, "sourceip_twilio_retries_total", sid));
            a.put("accountReconcilesNow", sum(text, "sourceip_account_reconciles", sid));
            a.put("concurrencyLimitNow", sum(text, "sourceip_twilio_concurrency_limit", sid));
          }
          synchronized (g) {
            a.put("accountReconcilesMax", g.reconcilesMax);
            a.put("concurrencyLimitMin", g.limitMin);
            a.put("concurrencyLimitMean", g.samples == 0 ? Double.NaN : g.limitSum / g.samples);
            a.put("concurrencyLimitMax", g.limitMax);
            a.put("samples", g.samples);
          }
        });
    return m;
  }

  private static String scrape(HttpClient http, int port) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (Exception e) {
      return null; // not up yet, or gone
    }
  }

  /** The sum of a series' samples labelled with the account; NaN when there is none. */
  static double sum(String text, String name, String account) {
    double total = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && line.contains("account=\"" + account + "\"")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? total : Double.NaN;
  }

  /** A counter's total for the account: 0 when it has not counted yet. */
  static long count(String text, String name, String account) {
    double v = sum(text, name, account);
    return Double.isNaN(v) ? 0 : Math.round(v);
  }

  // ---- the table -----------------------------------------------------------------------------

  private static void rows(Bench b, ObjectNode node) {
    ObjectNode alone = (ObjectNode) node.path("alone");
    ObjectNode throttled = (ObjectNode) node.path("throttled");
    double bound = node.path("boundSeconds").asDouble();
    Report.row(
        b.rows,
        "Accounts: B's cold converge alone (A absent)",
        Benchmark.secs(alone.path("seconds").asDouble(), alone.path("completed").asBoolean()),
        "%.1f s".formatted(bound),
        "%.2fx".formatted(alone.path("seconds").asDouble() / bound),
        Report.twilioShort(alone.path("twilio")),
        alone.path("twilio").path("throttled429").asText(),
        "",
        "%.1f s".formatted(alone.path("cpuSeconds").asDouble()),
        "one TwilioAccount, C = %d; B's limit gauge min %s / max %s; load %s"
            .formatted(
                b.o.concurrency(),
                Benchmark.fmt(
                    alone.path("metrics").path(ACCOUNT).path("concurrencyLimitMin").asDouble()),
                Benchmark.fmt(
                    alone.path("metrics").path(ACCOUNT).path("concurrencyLimitMax").asDouble()),
                alone.path("loadAverage").asText()));
    ObjectNode mA = (ObjectNode) throttled.path("metrics").path(THROTTLED);
    ObjectNode mB = (ObjectNode) throttled.path("metrics").path(ACCOUNT);
    Report.row(
        b.rows,
        "Accounts: B's cold converge while A is throttled (%.0f%% 429s)"
            .formatted(100 * PROBABILITY_429),
        Benchmark.secs(
            throttled.path("seconds").asDouble(), throttled.path("completed").asBoolean()),
        "%.1f s".formatted(bound),
        "%.2fx".formatted(throttled.path("seconds").asDouble() / bound),
        Report.twilioShort(throttled.path("twilio")),
        throttled.path("twilio").path("throttled429").asText(),
        "",
        "%.1f s".formatted(throttled.path("cpuSeconds").asDouble()),
        ("%.2fx B alone (target <= %s); A: %d of %d Ready at B's end (%d at B's start, after a"
                + " %.0f s head start); operator's 429s A %s / B %s; A's reconciles max %s, A's"
                + " limit gauge min %s / mean %s; B's limit min %s / max %s; load %s")
            .formatted(
                node.path("ratioToAlone").asDouble(),
                Benchmark.fmt(TARGET_RATIO),
                throttled.path("aReadyAtBDone").asLong(),
                b.n,
                throttled.path("aReadyAtBStart").asLong(),
                throttled.path("headStartSeconds").asDouble(),
                mA.path("rateLimited429").asText(),
                mB.path("rateLimited429").asText(),
                Benchmark.fmt(mA.path("accountReconcilesMax").asDouble()),
                Benchmark.fmt(mA.path("concurrencyLimitMin").asDouble()),
                Benchmark.fmt(mA.path("concurrencyLimitMean").asDouble()),
                Benchmark.fmt(mB.path("concurrencyLimitMin").asDouble()),
                Benchmark.fmt(mB.path("concurrencyLimitMax").asDouble()),
                throttled.path("loadAverage").asText()));
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
