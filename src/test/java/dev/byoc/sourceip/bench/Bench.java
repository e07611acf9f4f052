package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;
import static dev.byoc.sourceip.bench.Benchmark.BENCH;
import static dev.byoc.sourceip.bench.Benchmark.DOMAIN_A_NAME;
import static dev.byoc.sourceip.bench.Benchmark.NS;
import static dev.byoc.sourceip.bench.Benchmark.OPERATOR;
import static dev.byoc.sourceip.bench.Benchmark.SIP_DOMAINS;
import static dev.byoc.sourceip.bench.Benchmark.TOKEN;
import static dev.byoc.sourceip.bench.Benchmark.mib;
import static dev.byoc.sourceip.bench.Benchmark.secs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.bench.KubeApi.Kind;
import dev.byoc.sourceip.bench.ResourceView.State;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.testing.EmulatorExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Everything of one N that the scenarios share, so that each scenario is only its own steps: the
 * emulator, the mock server, the operator process, the figures later scenarios compare with, and
 * the one way of measuring a change.
 */
final class Bench implements AutoCloseable {
  /** Run while the operator runs, in this order, each when --scenarios names it. */
  private static final List<Scenario> WITH_OPERATOR =
      List.of(
          new SteadyScenario(),
          new DriftScenario(),
          new RestartScenario(),
          new UpdateScenario(),
          new DeleteScenario(),
          new RefsScenario());

  /** Run after the operator has stopped. */
  private static final List<Scenario> AFTER_OPERATOR =
      List.of(
          new ScriptScenario(),
          new AdaptiveScenario(),
          new NeighbourScenario(),
          new AccountsScenario(),
          new SdkThreadsScenario());

  final Benchmark.Options o;
  final int n;
  final ObjectNode run;
  final ArrayNode rows;
  final Path dir;
  final TwilioEmulator emulator;
  private final HttpClient http = HttpClient.newHttpClient();
  final List<String> ips = new ArrayList<>();
  final List<String> names = new ArrayList<>();
  final String domainA;
  final String domainB;
  KubeApi kube;
  KubernetesClient bench;
  ResourceView view;
  OperatorProcess op;
  double lowerBound;
  double floorCold = Double.NaN;
  double floorUpdate = Double.NaN;
  double floorDelete = Double.NaN;
  double coldSeconds = Double.NaN;
  long peakRssKib;

  Bench(Benchmark.Options o, int n, ObjectNode run, Path dir) throws IOException {
    this.o = o;
    this.n = n;
    this.run = run;
    this.rows = run.putArray("rows");
    this.dir = dir;
    Files.createDirectories(dir);
    emulator =
        EmulatorExtension.create()
            .account(ACCOUNT, TOKEN)
            .faults(
                FaultSettings.none()
                    .withLatencyMs(o.latencyMs())
                    .withConcurrencyLimit(o.concurrency()))
            .start();
    for (int i = 0; i < n; i++) {
      ips.add(
          emulator.createIpRecord(
              ACCOUNT, "10.%d.%d.%d".formatted(i / 65536 % 256, i / 256 % 256, i % 256), 32, null));
      names.add("m-%05d".formatted(i));
    }
    domainA = emulator.createSipDomain(ACCOUNT, DOMAIN_A_NAME);
    domainB = emulator.createSipDomain(ACCOUNT, "bench-b.sip.twilio.com");
  }

  double twilioBound() {
    return n * o.latencyMs() / 1000.0 / o.concurrency();
  }

  /** The floor, the bounds, the operator's scenarios, then those without it. */
  void execute() throws Exception {
    run.put("loadAverageAtStart", Benchmark.loadAverage());
    new FloorScenario().run(this);
    ObjectNode bounds = run.putObject("bounds");
    bounds.put("twilioSeconds", twilioBound());
    bounds.put("kubernetesFloorSeconds", floorCold);
    lowerBound = Math.max(twilioBound(), floorCold);
    bounds.put("lowerBoundSeconds", lowerBound);
    bounds.put("setBy", twilioBound() >= floorCold ? "Twilio" : "Kubernetes (mock server)");
    bounds.put("updateFloorSeconds", floorUpdate);
    bounds.put("deleteFloorSeconds", floorDelete);

    if (o.scenarios().equals(Set.of("floor"))) {
      return; // --scenarios floor: the Kubernetes floor alone
    }
    kube = KubeApi.start();
    bench = kube.client(BENCH);
    bench
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    view = new ResourceView(bench, NS);
    op = startOperator("operator-1.log");
    new ColdScenario().run(this);
    runSelected(WITH_OPERATOR);
    memory("end", false);
    run.put("operatorPeakRssMiB", mib(peakRssKib));
    run.put("operatorExitCode", op.stop()); // 143: SIGTERM, after a graceful shutdown
    run.put("loadAverageAtEnd", Benchmark.loadAverage());
    runSelected(AFTER_OPERATOR);
  }

  /** The scenarios about Twilio's concurrency limit: skipped above --limit-scenarios-max-n. */
  static final Set<String> LIMIT_SCENARIOS =
      Set.of("adaptive", "neighbour", "accounts", "sdk-threads");

  private void runSelected(List<Scenario> scenarios) throws Exception {
    for (Scenario s : scenarios) {
      if (!o.scenarios().contains(s.name())) {
        continue;
      }
      if (LIMIT_SCENARIOS.contains(s.name()) && n > o.limitScenariosMaxN()) {
        System.out.printf("%s: skipped, N above --limit-scenarios-max-n%n", s.name());
        run.with("skipped")
            .put(s.name(), "N above --limit-scenarios-max-n " + o.limitScenariosMaxN());
        continue;
      }
      s.run(this);
    }
  }

  // ---- measuring ---------------------------------------------------------------------------

  /** A change the benchmark makes: applies, patches, deletes. */
  interface Change {
    void make() throws Exception;
  }

  /** Twilio writes whose timeline is recorded under {@code phases} (or phases.name, of several). */
  record Writes(String name, String method, String path) {}

  /** What a measured change took: wall time, whether it completed, the operator's CPU. */
  record Measured(double seconds, boolean completed, double cpuSeconds) {}

  /**
   * Measures one change: counters reset, the change made, then waited for until {@code done}; the
   * operator's CPU meanwhile and, with {@code writes}, the Twilio writes' timeline and this JVM's
   * CPU; then waits for the operator to be quiet so that the counters are complete.
   */
  Measured measure(
      ObjectNode node,
      Change change,
      boolean timeApply,
      Duration max,
      BooleanSupplier done,
      Writes... writes)
      throws Exception {
    resetCounts();
    double cpu0 = op.cpuSeconds();
    double testbed0 = Benchmark.selfCpuSeconds();
    long t0 = System.nanoTime();
    List<Timeline> timelines = new ArrayList<>();
    double seconds;
    boolean completed;
    try {
      for (Writes w : writes) {
        timelines.add(new Timeline(emulator, t0, w.method(), w.path()));
      }
      change.make();
      if (timeApply) {
        node.put("appliedSeconds", secs(t0));
      }
      completed = Benchmark.await(max, done);
      seconds = secs(t0);
      if (writes.length == 1) {
        node.set("phases", timelines.get(0).phases());
      } else if (writes.length > 1) {
        ObjectNode phases = node.putObject("phases");
        for (int i = 0; i < writes.length; i++) {
          phases.set(writes[i].name(), timelines.get(i).phases());
        }
      }
    } finally {
      timelines.forEach(Timeline::close);
    }
    if (writes.length > 0) {
      node.put("testbedCpuSeconds", Benchmark.selfCpuSeconds() - testbed0);
    }
    double cpu = op.cpuSeconds() - cpu0;
    awaitQuiet(Duration.ofSeconds(1), Duration.ofSeconds(20));
    return new Measured(seconds, completed, cpu);
  }

  /** The time a mass change may take: six times the lower bound, at least three minutes. */
  Duration massTimeout() {
    return Duration.ofSeconds((long) Math.max(180, 6 * lowerBound));
  }

  /** Twilio's and the operator's Kubernetes requests since the reset, put under the node. */
  record Requests(ObjectNode twilio, ObjectNode kubernetes) {}

  Requests requests(ObjectNode node) {
    ObjectNode twilio = twilio();
    node.set("twilio", twilio);
    ObjectNode k8s = kubernetes();
    node.set("kubernetes", k8s);
    return new Requests(twilio, k8s);
  }

  /** The mock server's size and speed now: objects held, milliseconds per GET (20 in a row). */
  ObjectNode probe() {
    long t0 = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      bench.namespaces().withName(NS).get();
    }
    ObjectNode p = Report.JSON.createObjectNode();
    p.put("objects", kube.storedObjects());
    p.put("msPerGet", (System.nanoTime() - t0) / 1e6 / 20);
    return p;
  }

  // ---- operator process --------------------------------------------------------------------

  OperatorProcess startOperator(String logName) throws Exception {
    Path kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), OPERATOR);
    Map<String, String> env =
        Map.of(
            "KUBECONFIG",
            kubeconfig.toAbsolutePath().toString(),
            "TWILIO_BASE_URL",
            emulator.baseUrl(),
            "TWILIO_ACCOUNT_SID",
            ACCOUNT,
            "TWILIO_AUTH_TOKEN",
            TOKEN);
    List<String> args =
        List.of(
            "--namespaces",
            NS,
            "--resync-interval",
            o.resync().toSeconds() + "s",
            "--twilio-max-concurrent-requests",
            String.valueOf(o.concurrency()));
    OperatorProcess p =
        OperatorProcess.start(o.jar(), o.jvmFlags(), env, args, dir.resolve(logName));
    if (!p.awaitLog("sourceip-operator started", Duration.ofSeconds(120))) {
      throw new IllegalStateException("the operator did not start:\n" + p.logText());
    }
    return p;
  }

  /**
   * The operator as shipped for the adaptive scenarios: not told C (the default ceiling), watching
   * {@code namespace}, its management endpoint on {@code managementPort}.
   */
  OperatorProcess startOperatorAtDefaults(String logName, String namespace, int managementPort)
      throws Exception {
    Path kubeconfig = kube.writeKubeconfig(dir.resolve("kubeconfig"), OPERATOR);
    Map<String, String> env =
        Map.of(
            "KUBECONFIG",
            kubeconfig.toAbsolutePath().toString(),
            "TWILIO_BASE_URL",
            emulator.baseUrl(),
            "TWILIO_ACCOUNT_SID",
            ACCOUNT,
            "TWILIO_AUTH_TOKEN",
            TOKEN,
            "SOURCEIP_MANAGEMENT_PORT",
            String.valueOf(managementPort));
    List<String> args =
        List.of("--namespaces", namespace, "--resync-interval", o.resync().toSeconds() + "s");
    OperatorProcess p =
        OperatorProcess.start(o.jar(), o.jvmFlags(), env, args, dir.resolve(logName));
    if (!p.awaitLog("sourceip-operator started", Duration.ofSeconds(120))) {
      throw new IllegalStateException("the operator did not start:\n" + p.logText());
    }
    return p;
  }

  ObjectNode memory(String when, boolean gc) throws Exception {
    ObjectNode m = run.with("memory").putObject(when);
    m.put("rssMiB", mib(op.statusKib("VmRSS")));
    m.put("peakRssMiB", mib(op.statusKib("VmHWM")));
    peakRssKib = Math.max(peakRssKib, op.statusKib("VmHWM"));
    if (gc) {
      long[] heap = op.heapAfterGc();
      m.put("heapAfterGcMiB", mib(heap[0]));
      m.put("heapCommittedMiB", mib(heap[1]));
      m.put("metaspaceMiB", mib(heap[2]));
      m.put("rssAfterGcMiB", mib(op.statusKib("VmRSS")));
    }
    return m;
  }

  // ---- the benchmark's writes --------------------------------------------------------------

  static ObjectMeta meta(String name, String namespace) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).build();
  }

  /** Creates the N mappings on --apply-threads threads. */
  void apply(KubernetesClient client, String namespace) throws Exception {
    List<HasMetadata> mappings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SourceIpMapping r = new SourceIpMapping();
      r.setMetadata(meta(names.get(i), namespace));
      r.setSpec(new SourceIpMappingSpec(ips.get(i), domainA));
      mappings.add(r);
    }
    applyInOrder(client, mappings);
  }

  /** Creates each resource, in this order, on --apply-threads threads (as the cold apply). */
  void applyInOrder(KubernetesClient client, List<HasMetadata> resources) throws Exception {
    inParallel(resources, r -> client.resource(r).create());
  }

  /** One JSON merge patch per resource (through a stub: fabric8 then sends no GET first). */
  void patchAll(KubernetesClient client, String namespace, String domain) throws Exception {
    String patch = "{\"spec\":{\"sipDomainSid\":\"" + domain + "\"}}";
    inParallel(
        names,
        name -> {
          SourceIpMapping stub = new SourceIpMapping();
          stub.setMetadata(meta(name, namespace));
          client.resource(stub).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        });
  }

  void deleteAll(KubernetesClient client, String namespace) throws Exception {
    inParallel(
        names,
        name ->
            client.resources(SourceIpMapping.class).inNamespace(namespace).withName(name).delete());
  }

  /** The action on every item, on --apply-threads threads; returns when all are done. */
  <T> void inParallel(List<T> items, Consumer<T> action) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(o.applyThreads());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit((Callable<Void>) () -> call(action, item)));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static <T> Void call(Consumer<T> action, T item) {
    action.accept(item);
    return null;
  }

  // ---- waiting -----------------------------------------------------------------------------

  boolean allReady(Predicate<State> and) {
    return view.size() == n && view.count(s -> s.readyNow() && s.sid() != null && and.test(s)) == n;
  }

  void resetCounts() {
    emulator.counters().reset();
    kube.resetCounts();
  }

  /**
   * Waits for the end of a resync round: the operator's list count rises, then stays put for a
   * second (a round of several pages is over). The nanoTime of its last page; 0 on timeout.
   */
  long awaitRound(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long before = lists();
    while (lists() == before) {
      if (System.nanoTime() > deadline) {
        return 0;
      }
      Thread.sleep(10);
    }
    long count = lists();
    long changed = System.nanoTime();
    while (System.nanoTime() - changed < 1_000_000_000L) {
      Thread.sleep(10);
      long now = lists();
      if (now != count) {
        count = now;
        changed = System.nanoTime();
      }
    }
    return changed;
  }

  private long lists() {
    return emulator.counters().count("GET", "/v1/SourceIpMappings");
  }

  /**
   * Waits until the operator has been quiet (no Twilio request, no Kubernetes request, no dispatch)
   * for {@code quiet}; the nanoTime of the last activity.
   */
  long awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    String last = activity();
    long changed = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(20);
      String now = activity();
      if (!now.equals(last)) {
        last = now;
        changed = System.nanoTime();
      } else if (System.nanoTime() - changed >= quiet.toNanos()) {
        break;
      }
    }
    return Math.max(changed, kube.lastRequestNanos(OPERATOR));
  }

  private String activity() {
    return emulator.counters().total()
        + "/"
        + kube.requests(OPERATOR)
        + "/"
        + (op == null ? 0 : op.dispatches());
  }

  // ---- counters ----------------------------------------------------------------------------

  /** The emulator's counters since the last reset, summed up. */
  ObjectNode twilio() {
    JsonNode counters;
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/_emulator/counters"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      counters = Report.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    ObjectNode t = Report.JSON.createObjectNode();
    ObjectNode by = t.putObject("byRequest");
    long total = 0;
    long creates = 0;
    long gets = 0;
    long lists = 0;
    long updates = 0;
    long deletes = 0;
    long throttled = 0;
    for (JsonNode r : counters.path("requests")) {
      String method = r.path("method").asText();
      String path = r.path("path").asText();
      int status = r.path("status").asInt();
      long count = r.path("count").asLong();
      by.put(method + " " + path + " " + status, count);
      total += count;
      boolean collection = path.equals("/v1/SourceIpMappings") || path.equals("/v1/IpRecords");
      boolean instance =
          path.equals("/v1/SourceIpMappings/{Sid}") || path.equals("/v1/IpRecords/{Sid}");
      if (collection && method.equals("POST")) {
        creates += count;
      } else if ((collection || path.equals(SIP_DOMAINS)) && method.equals("GET")) {
        lists += count;
      } else if (instance && method.equals("GET")) {
        gets += count;
      } else if (instance && method.equals("POST")) {
        updates += count;
      } else if (instance && method.equals("DELETE")) {
        deletes += count;
      }
      if (status == 429) {
        throttled += count;
      }
    }
    t.put("total", total);
    t.put("creates", creates);
    t.put("lists", lists);
    t.put("perResourceGets", gets);
    t.put("updates", updates);
    t.put("deletes", deletes);
    t.put("throttled429", throttled);
    t.put("ipRecordCreates", emulator.counters().count("POST", "/v1/IpRecords"));
    t.put("mappingCreates", emulator.counters().count("POST", "/v1/SourceIpMappings"));
    t.put("ipRecordLists", emulator.counters().count("GET", "/v1/IpRecords"));
    t.put("mappingLists", emulator.counters().count("GET", "/v1/SourceIpMappings"));
    t.put("sipDomainLists", emulator.counters().count("GET", SIP_DOMAINS));
    t.put("throttledShare", total == 0 ? 0 : (double) throttled / total);
    t.put("maxInFlight", counters.path("maxInFlight").path(ACCOUNT).asInt());
    return t;
  }

  /** The operator's Kubernetes requests since the last reset. */
  ObjectNode kubernetes() {
    ObjectNode k = Report.JSON.createObjectNode();
    ObjectNode w = k.putObject("writes");
    long mapping = kube.writes(OPERATOR, Kind.MAPPING);
    long status = kube.writes(OPERATOR, Kind.MAPPING_STATUS);
    long event = kube.writes(OPERATOR, Kind.EVENT);
    w.put("mapping", mapping);
    w.put("status", status);
    w.put("event", event);
    w.put("ipRecord", kube.writes(OPERATOR, Kind.IP_RECORD));
    w.put("ipRecordStatus", kube.writes(OPERATOR, Kind.IP_RECORD_STATUS));
    w.put("other", kube.writes(OPERATOR, Kind.OTHER));
    w.put("total", kube.writes(OPERATOR, null));
    k.put("resourceWritesPerResource", (double) (mapping + status) / n);
    k.put("eventWritesPerResource", (double) event / n);
    k.put("requests", kube.requests(OPERATOR));
    k.set("byRequest", kube.countsJson(OPERATOR));
    return k;
  }

  @Override
  public void close() throws Exception {
    if (op != null) {
      op.close();
    }
    if (view != null) {
      view.close();
    }
    if (bench != null) {
      bench.close();
    }
    if (kube != null) {
      kube.close();
    }
    emulator.close();
  }
}
