package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.bench.Bench.Measured;
import dev.byoc.sourceip.bench.Bench.Writes;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.emulator.NeighbourCounters;
import dev.byoc.sourceip.emulator.NeighbourSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One cold converge by a fresh operator at its shipped defaults (not told C), in a namespace of its
 * own, against an emulator limit and neighbour the benchmark sets: how the adaptive limit copes.
 */
final class DefaultsConverge {
  /** The operator's shipped TWILIO_MAX_CONCURRENT_REQUESTS, the adaptive limit's ceiling. */
  static final int DEFAULT_CEILING = 10;

  private static final String GAUGE = "sourceip_twilio_concurrency_limit";

  /**
   * How long a neighbour with requests of its own runs alone before the operator starts: its 429s
   * then are the ones it has without the operator, so that those the operator causes can be told.
   */
  static final Duration NEIGHBOUR_ALONE = Duration.ofSeconds(30);

  private DefaultsConverge() {}

  /**
   * Runs it and returns its node: seconds, the bound from the concurrency actually available
   * (min(ceiling, C − held slots − the neighbour's own requests in flight)), the operator's and the
   * neighbour's requests and 429s, and the concurrency-limit gauge sampled every 100 ms.
   */
  static ObjectNode run(Bench b, String label, int c, NeighbourSettings neighbour)
      throws Exception {
    System.out.printf(Locale.ROOT, "  %s: C = %d, neighbour %s ...%n", label, c, neighbour);
    ObjectNode node = Report.JSON.createObjectNode();
    String ns = "defaults-" + label.replaceAll("[^a-z0-9]+", "-");
    // no mappings in Twilio: every sub-run starts cold
    b.emulator
        .sourceIpMappings(ACCOUNT)
        .forEach(m -> b.emulator.deleteSourceIpMapping(ACCOUNT, m.sid()));
    b.emulator.neighbour().update(NeighbourSettings.off());
    b.emulator
        .faults()
        .update(FaultSettings.none().withLatencyMs(b.o.latencyMs()).withConcurrencyLimit(c));
    b.emulator.neighbour().update(neighbour);
    if (neighbour.requestsPerSecond() > 0) {
      node.set("neighbourAlone", neighbourAlone(b));
    }
    b.bench
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();

    double neighbourInFlight = neighbour.requestsPerSecond() * b.o.latencyMs() / 1000.0;
    double available = Math.min(DEFAULT_CEILING, c - neighbour.slots() - neighbourInFlight);
    double bound = b.n * b.o.latencyMs() / 1000.0 / available;
    node.put("emulatorConcurrencyLimit", c);
    node.put("operatorCeiling", DEFAULT_CEILING);
    node.put("neighbourSlots", neighbour.slots());
    node.put("neighbourRequestsPerSecond", neighbour.requestsPerSecond());
    node.put("neighbourRequestsInFlight", neighbourInFlight);
    node.put("availableConcurrency", available);
    node.put("boundSeconds", bound);

    int port = freePort();
    OperatorProcess saved = b.op;
    ResourceView view = new ResourceView(b.bench, ns);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    List<Double> samples = new ArrayList<>();
    long[] neighbourAtDone = new long[3];
    try {
      b.op = b.startOperatorAtDefaults("operator-" + ns + ".log", ns, port);
      HttpClient http = HttpClient.newHttpClient();
      sampler.scheduleAtFixedRate(
          () -> {
            double v = gauge(http, port);
            if (!Double.isNaN(v)) {
              synchronized (samples) {
                samples.add(v);
              }
            }
          },
          0,
          100,
          TimeUnit.MILLISECONDS);
      Measured m =
          b.measure(
              node,
              () -> b.applyInOrder(b.bench, mappings(b, ns)),
              true,
              Duration.ofSeconds((long) Math.max(180, 6 * bound)),
              () -> {
                boolean done =
                    view.size() == b.n
                        && view.count(s -> s.readyNow() && s.sid() != null) == b.n
                        && b.emulator.mappingCount(ACCOUNT) == b.n;
                if (done) {
                  NeighbourCounters nc = b.emulator.neighbourCounters();
                  neighbourAtDone[0] = nc.attempted();
                  neighbourAtDone[1] = nc.served();
                  neighbourAtDone[2] = nc.refused();
                }
                return done;
              },
              new Writes("", "POST", "/v1/SourceIpMappings"));
      sampler.shutdownNow();
      node.put("seconds", m.seconds());
      node.put("completed", m.completed());
      node.put("ratioToBound", m.seconds() / bound);
      node.put("cpuSeconds", m.cpuSeconds());
      node.set("twilio", b.twilio());
      ObjectNode nb = node.putObject("neighbour");
      nb.put("attempted", neighbourAtDone[0]);
      nb.put("served", neighbourAtDone[1]);
      nb.put("refused", neighbourAtDone[2]);
      nb.put(
          "refusedShare",
          neighbourAtDone[0] == 0 ? 0 : (double) neighbourAtDone[2] / neighbourAtDone[0]);
      ObjectNode g = node.putObject("concurrencyLimitGauge");
      synchronized (samples) {
        g.put("samples", samples.size());
        g.put("min", samples.stream().mapToDouble(d -> d).min().orElse(Double.NaN));
        g.put("max", samples.stream().mapToDouble(d -> d).max().orElse(Double.NaN));
        g.put("mean", samples.stream().mapToDouble(d -> d).average().orElse(Double.NaN));
        g.put("last", samples.isEmpty() ? Double.NaN : samples.get(samples.size() - 1));
      }
      node.put("operatorExitCode", b.op.stop());
    } finally {
      sampler.shutdownNow();
      view.close();
      if (b.op != saved && b.op != null) {
        b.op.close();
      }
      b.op = saved;
      b.emulator.neighbour().update(NeighbourSettings.off());
      b.emulator
          .faults()
          .update(
              FaultSettings.none()
                  .withLatencyMs(b.o.latencyMs())
                  .withConcurrencyLimit(b.o.concurrency()));
    }
    return node;
  }

  /** The neighbour's requests and 429s over {@link #NEIGHBOUR_ALONE}, with no operator running. */
  private static ObjectNode neighbourAlone(Bench b) throws InterruptedException {
    System.out.printf(
        Locale.ROOT, "    the neighbour alone for %d s ...%n", NEIGHBOUR_ALONE.toSeconds());
    b.emulator.counters().reset();
    Thread.sleep(NEIGHBOUR_ALONE.toMillis());
    NeighbourCounters nc = b.emulator.neighbourCounters();
    ObjectNode alone = Report.JSON.createObjectNode();
    alone.put("seconds", NEIGHBOUR_ALONE.toSeconds());
    alone.put("attempted", nc.attempted());
    alone.put("refused", nc.refused());
    alone.put("refusedShare", nc.attempted() == 0 ? 0 : (double) nc.refused() / nc.attempted());
    return alone;
  }

  /** The node's table row. */
  static void row(Bench b, String title, ObjectNode node) {
    double seconds = node.path("seconds").asDouble();
    double bound = node.path("boundSeconds").asDouble();
    ObjectNode t = (ObjectNode) node.path("twilio");
    ObjectNode g = (ObjectNode) node.path("concurrencyLimitGauge");
    ObjectNode nb = (ObjectNode) node.path("neighbour");
    Report.row(
        b.rows,
        title,
        Benchmark.secs(seconds, node.path("completed").asBoolean()),
        "%.1f s".formatted(bound),
        "%.2fx".formatted(seconds / bound),
        Report.twilioShort(t),
        t.path("throttled429").asText(),
        "",
        "%.1f s".formatted(node.path("cpuSeconds").asDouble()),
        ("operator at defaults (ceiling %d); available %s; limit gauge min %s / mean %s / max %s"
                + " / last %s; max in flight %d%s")
            .formatted(
                DEFAULT_CEILING,
                Benchmark.fmt(node.path("availableConcurrency").asDouble()),
                Benchmark.fmt(g.path("min").asDouble()),
                Benchmark.fmt(g.path("mean").asDouble()),
                Benchmark.fmt(g.path("max").asDouble()),
                Benchmark.fmt(g.path("last").asDouble()),
                t.path("maxInFlight").asInt(),
                node.path("neighbourSlots").asInt() == 0 && nb.path("attempted").asLong() == 0
                    ? ""
                    : "; neighbour refused %d of %d%s"
                        .formatted(
                            nb.path("refused").asLong(),
                            nb.path("attempted").asLong(),
                            node.has("neighbourAlone")
                                ? " (alone, before the operator: %d of %d)"
                                    .formatted(
                                        node.path("neighbourAlone").path("refused").asLong(),
                                        node.path("neighbourAlone").path("attempted").asLong())
                                : "")));
    System.out.printf(
        Locale.ROOT,
        "    %.1f s (bound %.1f s), 429s %d of %d, neighbour refused %d of %d, gauge %s..%s%n",
        seconds,
        bound,
        t.path("throttled429").asLong(),
        t.path("total").asLong(),
        nb.path("refused").asLong(),
        nb.path("attempted").asLong(),
        Benchmark.fmt(g.path("min").asDouble()),
        Benchmark.fmt(g.path("max").asDouble()));
  }

  private static List<HasMetadata> mappings(Bench b, String ns) {
    List<HasMetadata> mappings = new ArrayList<>();
    for (int i = 0; i < b.n; i++) {
      SourceIpMapping r = new SourceIpMapping();
      r.setMetadata(Bench.meta(b.names.get(i), ns));
      r.setSpec(new SourceIpMappingSpec(b.ips.get(i), b.domainA));
      mappings.add(r);
    }
    return mappings;
  }

  /** The operator's concurrency-limit gauge for the account; NaN when unreadable. */
  private static double gauge(HttpClient http, int port) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      for (String line : r.body().split("\n")) {
        if (line.startsWith(GAUGE + "{") && line.contains(ACCOUNT)) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    } catch (Exception e) {
      // not up yet, or gone
    }
    return Double.NaN;
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
