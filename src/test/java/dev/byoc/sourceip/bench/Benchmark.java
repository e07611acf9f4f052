package dev.byoc.sourceip.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordReference;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.bench.KubeApi.Kind;
import dev.byoc.sourceip.bench.ResourceView.State;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.emulator.StoredSourceIpMapping;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.testing.EmulatorExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The benchmark: the shipped operator as its own process against fabric8's CRUD mock server and the
 * Twilio emulator (latency L, concurrency limit C), scenario by scenario at each N, beside the
 * Kubernetes floor and a script on Twilio's own helper library. Prints a table and writes JSON.
 *
 * <p>Run it with {@code bench/run} (see {@code bench/run --help}).
 */
public final class Benchmark {
  static final String ACCOUNT = "AC" + "be".repeat(16);
  static final String TOKEN = "bench-auth-token-0123456789abcdef";
  static final String NS = "bench";
  static final String FLOOR_NS = "floor";
  static final String OPERATOR = "operator"; // bearer tokens: who sent a Kubernetes request
  static final String FLOOR = "floor";
  static final String BENCH = "bench";
  static final int RECONCILE_CONCURRENCY = 20; // the operator's default
  static final List<String> ALL_SCENARIOS =
      List.of("cold", "steady", "drift", "restart", "update", "delete", "refs", "script");
  static final List<String> KNOWN_SCENARIOS =
      List.of("floor", "cold", "steady", "drift", "restart", "update", "delete", "refs", "script");

  /** The seed of the refs scenario's apply order (mappings often before their IpRecords). */
  static final long REFS_SEED = 12;

  static final String REF_IP_RECORD_PREFIX = "ref-ip-";
  static final String REF_MAPPING_PREFIX = "ref-m-";
  static final String DOMAIN_A_NAME = "bench-a.sip.twilio.com";
  static final String SIP_DOMAINS = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json";

  /**
   * The container's JVM flags, the image's own (the pom's {@code container.jvmFlags}, read from a
   * filtered test resource): a small fixed heap and metaspace, the serial collector (no GC threads,
   * least overhead), the C1 compiler only (the operator waits on I/O: C2's compile threads cost
   * more CPU and memory than they save), smaller thread stacks, and exit on OutOfMemoryError so
   * that Kubernetes restarts the pod. The manifests' memory request and limit are sized from what
   * the benchmark measures with them.
   */
  public static final List<String> CONTAINER_JVM_FLAGS = containerJvmFlags();

  /** The pom's {@code container.jvmFlags} (comma-separated), as the test resources carry it. */
  public static List<String> containerJvmFlags() {
    String resource = "/container-jvm-flags.properties";
    try (var in = Benchmark.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath: build with Maven");
      }
      var properties = new Properties();
      properties.load(in);
      String flags = properties.getProperty("container.jvmFlags", "");
      if (flags.isBlank() || flags.contains("${")) {
        throw new IllegalStateException(resource + " was not filtered: " + flags);
      }
      return Arrays.stream(flags.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Benchmark() {}

  record Options(
      List<Integer> sizes,
      long latencyMs,
      int concurrency,
      Set<String> scenarios,
      Duration resync,
      int steadyIntervals,
      int scriptMaxN,
      int applyThreads,
      Path jar,
      List<String> jvmFlags,
      Path out,
      String hostKind,
      boolean quick,
      boolean floorEvents) {

    static Options parse(String[] args) {
      List<Integer> sizes = List.of(100, 1000, 5000);
      long latency = 200;
      int concurrency = 10;
      Set<String> scenarios = new LinkedHashSet<>(ALL_SCENARIOS);
      Duration resync = Duration.ofSeconds(10);
      int steadyIntervals = 3;
      int scriptMaxN = Integer.MAX_VALUE;
      int applyThreads = 4;
      Path jar = Path.of("target/sourceip-operator.jar");
      List<String> flags = CONTAINER_JVM_FLAGS;
      Path out = Path.of("bench/results");
      String hostKind = Report.defaultHostKind();
      boolean quick = false;
      boolean floorEvents = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String v = i + 1 < args.length ? args[i + 1] : null;
        switch (a) {
          case "--n" -> {
            sizes = Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
            i++;
          }
          case "--latency-ms" -> {
            latency = Long.parseLong(v);
            i++;
          }
          case "--concurrency" -> {
            concurrency = Integer.parseInt(v);
            i++;
          }
          case "--scenarios" -> {
            scenarios = new LinkedHashSet<>(Arrays.asList(v.split(",")));
            scenarios.retainAll(KNOWN_SCENARIOS);
            i++;
          }
          case "--resync-seconds" -> {
            resync = Duration.ofSeconds(Long.parseLong(v));
            i++;
          }
          case "--steady-intervals" -> {
            steadyIntervals = Integer.parseInt(v);
            i++;
          }
          case "--script-max-n" -> {
            scriptMaxN = Integer.parseInt(v);
            i++;
          }
          case "--apply-threads" -> {
            applyThreads = Integer.parseInt(v);
            i++;
          }
          case "--jar" -> {
            jar = Path.of(v);
            i++;
          }
          case "--jvm-flags" -> {
            flags = split(v);
            i++;
          }
          case "--out" -> {
            out = Path.of(v);
            i++;
          }
          case "--host-kind" -> {
            hostKind = v;
            i++;
          }
          case "--quick" -> quick = true;
          case "--floor-events" -> floorEvents = true;
          default -> throw new IllegalArgumentException("unknown argument " + a);
        }
      }
      if (quick) {
        sizes = List.of(100);
        steadyIntervals = Math.min(steadyIntervals, 2);
      }
      return new Options(
          sizes,
          latency,
          concurrency,
          scenarios,
          resync,
          steadyIntervals,
          scriptMaxN,
          applyThreads,
          jar,
          flags,
          out,
          hostKind,
          quick,
          floorEvents);
    }

    private static List<String> split(String flags) {
      return Arrays.stream(flags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
  }

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    Options o = Options.parse(args);
    if (!Files.isRegularFile(o.jar())) {
      System.err.println("error: " + o.jar() + " not found: build it first (mvn package)");
      System.exit(2);
    }
    ObjectNode results = Report.JSON.createObjectNode();
    results.put(
        "benchmark",
        "sourceip-operator converge, steady state, drift, restart, references, script");
    results.put(
        "date", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
    results.put("commit", Report.gitCommit());
    results.set("machine", Report.machine(o.hostKind()));
    ObjectNode settings = results.putObject("settings");
    settings.put("latencyMs", o.latencyMs());
    settings.put("concurrencyLimit", o.concurrency());
    settings.put("resyncInterval", o.resync().toSeconds() + "s");
    settings.put("steadyIntervals", o.steadyIntervals());
    settings.put("reconcileConcurrency", RECONCILE_CONCURRENCY);
    settings.put("applyThreads", o.applyThreads());
    settings.put("floorWithEvents", o.floorEvents());
    ArrayNode flags = settings.putArray("operatorJvmFlags");
    o.jvmFlags().forEach(flags::add);
    settings.put(
        "operatorCommand",
        "java <operatorJvmFlags> -jar sourceip-operator.jar operator --namespaces "
            + NS
            + " --resync-interval "
            + o.resync().toSeconds()
            + "s --twilio-max-concurrent-requests "
            + o.concurrency());
    ArrayNode scenarios = settings.putArray("scenarios");
    o.scenarios().forEach(scenarios::add);
    ArrayNode runs = results.putArray("runs");
    Path work = Path.of("target/bench");
    Files.createDirectories(work);
    warmUp(o, work);
    for (int n : o.sizes()) {
      System.out.printf(Locale.ROOT, "%n== N = %d ==%n", n);
      ObjectNode run = runs.addObject();
      run.put("n", n);
      try (Run r = new Run(o, n, run, work.resolve("n" + n))) {
        r.execute();
      } catch (Exception e) {
        System.out.println("run for N = " + n + " failed: " + e);
        e.printStackTrace(System.out);
        run.put("error", String.valueOf(e));
      }
    }
    results.set("targets", Targets.evaluate(results));
    String base = LocalDate.now(ZoneOffset.UTC) + "-" + o.hostKind() + (o.quick() ? "-quick" : "");
    Path json = o.out().resolve(base + ".json");
    Report.write(json, results);
    String md = Report.markdown(results);
    Files.writeString(o.out().resolve(base + ".md"), md);
    System.out.println();
    System.out.println(md);
    System.out.println("results: " + json);
    System.exit(0);
  }

  /**
   * Runs the Kubernetes floor once on a few hundred resources and throws the result away: the mock
   * server and the Kubernetes client live in this JVM, and the first N measured should not pay for
   * their class loading and JIT compilation. (The operator always starts as a new process: its
   * start-up is part of what is measured.)
   */
  static void warmUp(Options o, Path work) throws Exception {
    System.out.println("warming up the mock server and client in this JVM ...");
    try (Run r = new Run(o, 300, Report.JSON.createObjectNode(), work.resolve("warm-up"))) {
      r.floor();
    }
  }

  /** Everything of one N: emulator, mock servers, operator processes, scenarios in order. */
  static final class Run implements AutoCloseable {
    private final Options o;
    private final int n;
    private final ObjectNode run;
    private final ArrayNode rows;
    private final Path dir;
    private final TwilioEmulator emulator;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> ips = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final String domainA;
    private final String domainB;
    private KubeApi kube;
    private KubernetesClient bench;
    private ResourceView view;
    private OperatorProcess op;
    private double lowerBound;
    private double floorCold = Double.NaN;
    private double floorUpdate = Double.NaN;
    private double floorDelete = Double.NaN;
    private double coldSeconds = Double.NaN;
    private long peakRssKib;

    Run(Options o, int n, ObjectNode run, Path dir) throws IOException {
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
                ACCOUNT,
                "10.%d.%d.%d".formatted(i / 65536 % 256, i / 256 % 256, i % 256),
                32,
                null));
        names.add("m-%05d".formatted(i));
      }
      domainA = emulator.createSipDomain(ACCOUNT, DOMAIN_A_NAME);
      domainB = emulator.createSipDomain(ACCOUNT, "bench-b.sip.twilio.com");
    }

    double twilioBound() {
      return n * o.latencyMs() / 1000.0 / o.concurrency();
    }

    void execute() throws Exception {
      run.put("loadAverageAtStart", loadAverage());
      floor();
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
      cold();
      if (o.scenarios().contains("steady")) {
        steady();
      }
      if (o.scenarios().contains("drift")) {
        drift();
      }
      if (o.scenarios().contains("restart")) {
        restart();
      }
      if (o.scenarios().contains("update")) {
        massUpdate();
      }
      if (o.scenarios().contains("delete")) {
        massDelete();
      }
      if (o.scenarios().contains("refs")) {
        refs();
      }
      memory("end", false);
      run.put("operatorPeakRssMiB", mib(peakRssKib));
      run.put("operatorExitCode", op.stop()); // 143: SIGTERM, after a graceful shutdown
      run.put("loadAverageAtEnd", loadAverage());
      if (o.scenarios().contains("script")) {
        script();
      }
    }

    // ---- scenarios ---------------------------------------------------------------------------

    /**
     * The Kubernetes floor: the same N resources applied to a fresh mock server, converged by a
     * controller that only adds its finalizer and writes status; then the same mass update and mass
     * delete. No Twilio, no Events.
     */
    void floor() throws Exception {
      System.out.println("Kubernetes floor ...");
      ObjectNode floor = run.putObject("floor");
      try (KubeApi floorApi = KubeApi.start();
          KubernetesClient floorClient = floorApi.client(FLOOR);
          KubernetesClient client = floorApi.client(BENCH)) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(FLOOR_NS).endMetadata().build())
            .create();
        Operator controller =
            FloorController.start(floorClient, FLOOR_NS, RECONCILE_CONCURRENCY, o.floorEvents());
        try (ResourceView floorView = new ResourceView(client, FLOOR_NS)) {
          Duration max = Duration.ofSeconds(120 + n / 10);
          floorApi.resetCounts();
          long t0 = System.nanoTime();
          apply(client, FLOOR_NS);
          boolean done = await(max, () -> floorView.count(State::readyNow) == n);
          floorCold = floorPhase(floor, "cold", floorApi, t0, done);

          floorApi.resetCounts();
          t0 = System.nanoTime();
          patchAll(client, FLOOR_NS, domainB);
          done =
              await(
                  max,
                  () ->
                      floorView.count(s -> s.readyNow() && domainB.equals(s.sipDomainSid())) == n);
          floorUpdate = floorPhase(floor, "update", floorApi, t0, done);

          floorApi.resetCounts();
          t0 = System.nanoTime();
          deleteAll(client, FLOOR_NS);
          done = await(max, () -> floorView.size() == 0);
          floorDelete = floorPhase(floor, "delete", floorApi, t0, done);
        } finally {
          controller.stop();
        }
      }
      row(
          "Kubernetes floor: apply, finalizer + status",
          "%.1f s".formatted(floorCold),
          "",
          "",
          "0",
          "",
          perResource(floor.path("cold").path("writes").asLong(), "writes"),
          "",
          (o.floorEvents()
                  ? "diagnostic: the floor controller records one Event per write, as the operator"
                  : "fresh mock server, controller without Twilio or Events")
              + "; update %.1f s, delete %.1f s".formatted(floorUpdate, floorDelete));
      System.out.printf(
          Locale.ROOT,
          "  floor: cold %.1f s, update %.1f s, delete %.1f s%n",
          floorCold,
          floorUpdate,
          floorDelete);
    }

    private double floorPhase(ObjectNode floor, String key, KubeApi api, long t0, boolean done) {
      double seconds = secs(t0);
      ObjectNode phase = floor.putObject(key);
      phase.put("seconds", seconds);
      phase.put("completed", done);
      phase.put("writes", api.writes(FLOOR, null));
      phase.put("writesPerResource", (double) api.writes(FLOOR, null) / n);
      phase.put("benchRequests", api.requests(BENCH));
      phase.set("benchRequestsByKind", api.countsJson(BENCH));
      phase.set("kubernetesRequests", api.countsJson(FLOOR));
      phase.put("storedObjectsAfter", api.storedObjects());
      return done ? seconds : Double.NaN;
    }

    void cold() throws Exception {
      System.out.println("cold converge ...");
      ObjectNode cold = run.putObject("cold");
      cold.set("mockServerBefore", probe());
      resetCounts();
      double cpu0 = op.cpuSeconds();
      double testbed0 = selfCpuSeconds();
      long t0 = System.nanoTime();
      double seconds;
      boolean done;
      try (Timeline timeline = new Timeline(t0, "POST", "/v1/SourceIpMappings")) {
        apply(bench, NS);
        cold.put("appliedSeconds", secs(t0));
        done =
            await(
                Duration.ofSeconds((long) Math.max(180, 6 * lowerBound)),
                () -> allReady(s -> true) && emulator.mappingCount(ACCOUNT) == n);
        seconds = secs(t0);
        cold.set("phases", timeline.phases());
      }
      double cpu = op.cpuSeconds() - cpu0;
      cold.put("testbedCpuSeconds", selfCpuSeconds() - testbed0);
      awaitQuiet(Duration.ofSeconds(1), Duration.ofSeconds(20));
      coldSeconds = done ? seconds : Double.NaN;
      cold.put("seconds", seconds);
      cold.put("completed", done);
      cold.put("lowerBoundSeconds", lowerBound);
      cold.put("ratioToLowerBound", seconds / lowerBound);
      cold.put("cpuSeconds", cpu);
      ObjectNode twilio = twilio();
      cold.set("twilio", twilio);
      ObjectNode k8s = kubernetes();
      cold.set("kubernetes", k8s);
      cold.set("memory", memory("afterCold", true));
      row(
          "Cold converge",
          secs(seconds, done),
          "%.1f s".formatted(lowerBound),
          "%.2fx".formatted(seconds / lowerBound),
          twilioShort(twilio),
          twilio.path("throttled429").asText(),
          k8sShort(k8s),
          "%.1f s".formatted(cpu),
          "RSS %d MiB, heap after GC %d MiB"
              .formatted(
                  cold.path("memory").path("rssMiB").asLong(),
                  cold.path("memory").path("heapAfterGcMiB").asLong()));
      System.out.printf(Locale.ROOT, "  cold: %.1f s (lower bound %.1f s)%n", seconds, lowerBound);
    }

    /** Whole resync rounds with nothing changed: the window runs from the end of one to another. */
    void steady() throws Exception {
      System.out.println("steady state ...");
      long pages = Math.max(1, (n + 999) / 1000);
      Duration max = o.resync().multipliedBy(3).plusSeconds(30);
      long roundEnd = awaitRound(max); // the end of a round in progress or the next one
      if (roundEnd == 0) {
        throw new IllegalStateException("no resync round seen within " + max);
      }
      resetCounts();
      double cpu0 = op.cpuSeconds();
      long start = roundEnd;
      long end = start;
      for (int i = 0; i < o.steadyIntervals(); i++) {
        end = awaitRound(max);
        if (end == 0) {
          throw new IllegalStateException("resync round " + (i + 1) + " not seen within " + max);
        }
      }
      double cpu = op.cpuSeconds() - cpu0;
      double windowSeconds = (end - start) / 1e9;
      int k = o.steadyIntervals();
      ObjectNode steady = run.putObject("steady");
      steady.put("intervals", k);
      steady.put("windowSeconds", windowSeconds);
      steady.put("measuredIntervalSeconds", windowSeconds / k);
      ObjectNode twilio = twilio();
      steady.set("twilio", twilio);
      steady.put("twilioRequestsPerInterval", twilio.path("total").asDouble() / k);
      steady.put("listRequestsPerInterval", twilio.path("lists").asDouble() / k);
      steady.put("expectedListRequestsPerInterval", pages);
      ObjectNode k8s = kubernetes();
      steady.set("kubernetes", k8s);
      steady.put("cpuSecondsPerInterval", cpu / k);
      steady.set("memory", memory("steady", true));
      row(
          "Steady state, per resync interval",
          "%.1f s".formatted(windowSeconds / k),
          "",
          "",
          "%s lists (expected %d)".formatted(fmt(twilio.path("lists").asDouble() / k), pages)
              + (twilio.path("total").asLong() == twilio.path("lists").asLong()
                  ? ""
                  : ", %s other"
                      .formatted(
                          fmt(
                              (twilio.path("total").asDouble() - twilio.path("lists").asDouble())
                                  / k))),
          twilio.path("throttled429").asText(),
          "%d writes, %d requests"
              .formatted(k8s.path("writes").path("total").asLong(), k8s.path("requests").asLong()),
          "%.2f s".formatted(cpu / k),
          "%d intervals of --resync-interval %ds; RSS %d MiB"
              .formatted(k, o.resync().toSeconds(), steady.path("memory").path("rssMiB").asLong()));
      System.out.printf(
          Locale.ROOT,
          "  steady: %s Twilio requests per interval, %d Kubernetes writes%n",
          fmt(twilio.path("total").asDouble() / k),
          k8s.path("writes").path("total").asLong());
    }

    void drift() throws Exception {
      System.out.println("drift repair ...");
      Map<String, String> sidByIp = new HashMap<>();
      for (StoredSourceIpMapping m : emulator.sourceIpMappings(ACCOUNT)) {
        sidByIp.put(m.ipRecordSid(), m.sid());
      }
      List<Integer> drifted = new ArrayList<>();
      for (int i = 0; i < n; i += 10) {
        drifted.add(i);
      }
      resetCounts();
      double cpu0 = op.cpuSeconds();
      long t0 = System.nanoTime();
      for (int i : drifted) {
        emulator.deleteSourceIpMapping(ACCOUNT, sidByIp.get(ips.get(i)));
      }
      boolean done =
          await(
              o.resync().multipliedBy(3).plusSeconds((long) (3 * twilioBound()) + 30),
              () -> {
                if (emulator.mappingCount(ACCOUNT) != n) {
                  return false;
                }
                Map<String, String> now = new HashMap<>();
                emulator.sourceIpMappings(ACCOUNT).forEach(m -> now.put(m.ipRecordSid(), m.sid()));
                for (int i : drifted) {
                  State s = view.get(names.get(i));
                  if (s == null || !s.readyNow() || !now.get(ips.get(i)).equals(s.sid())) {
                    return false;
                  }
                }
                return true;
              });
      double seconds = secs(t0);
      double cpu = op.cpuSeconds() - cpu0;
      awaitQuiet(Duration.ofSeconds(1), Duration.ofSeconds(20));
      ObjectNode drift = run.putObject("drift");
      drift.put("deleted", drifted.size());
      drift.put("seconds", seconds);
      drift.put("completed", done);
      double bound =
          o.resync().toMillis() / 1000.0
              + drifted.size() * o.latencyMs() / 1000.0 / o.concurrency();
      drift.put("boundSeconds", bound);
      drift.put("cpuSeconds", cpu);
      ObjectNode twilio = twilio();
      drift.set("twilio", twilio);
      ObjectNode k8s = kubernetes();
      drift.set("kubernetes", k8s);
      row(
          "Drift repair (10% deleted at Twilio)",
          secs(seconds, done),
          "%.1f s".formatted(bound),
          "%.2fx".formatted(seconds / bound),
          twilioShort(twilio),
          twilio.path("throttled429").asText(),
          k8sShort(k8s, drifted.size()),
          "%.1f s".formatted(cpu),
          "bound: one resync interval to see it + 0.1N·L/C to recreate");
      System.out.printf(Locale.ROOT, "  drift: %.1f s%n", seconds);
    }

    void restart() throws Exception {
      System.out.println("restart ...");
      peakRssKib = Math.max(peakRssKib, op.statusKib("VmHWM"));
      int exit = op.stop();
      resetCounts();
      op = startOperator("operator-2.log");
      long t0 = op.startedNanos();
      boolean started = op.awaitLog("sourceip-operator started", Duration.ofSeconds(120));
      double startedSeconds = secs(t0);
      boolean dispatched = await(Duration.ofSeconds(120), () -> op.dispatchedResources() >= n);
      long last = awaitQuiet(Duration.ofSeconds(3), Duration.ofSeconds(60));
      double seconds = (last - t0) / 1e9;
      ObjectNode restart = run.putObject("restart");
      restart.put("previousExitCode", exit);
      restart.put("startedSeconds", startedSeconds);
      restart.put("seconds", seconds);
      restart.put("completed", started && dispatched);
      restart.put("reconciled", op.dispatchedResources());
      restart.put("dispatches", op.dispatches());
      restart.put("cpuSeconds", op.cpuSeconds());
      ObjectNode twilio = twilio();
      restart.set("twilio", twilio);
      ObjectNode k8s = kubernetes();
      restart.set("kubernetes", k8s);
      restart.set("memory", memory("afterRestart", true));
      row(
          "Restart with N converged",
          secs(seconds, started && dispatched),
          "",
          "",
          twilioShort(twilio),
          twilio.path("throttled429").asText(),
          "%d writes, %d requests"
              .formatted(k8s.path("writes").path("total").asLong(), k8s.path("requests").asLong()),
          "%.1f s".formatted(op.cpuSeconds()),
          "process start to the last request and the last of N reconciles (JVM start %.1f s)"
              .formatted(startedSeconds));
      System.out.printf(Locale.ROOT, "  restart: steady after %.1f s%n", seconds);
    }

    void massUpdate() throws Exception {
      System.out.println("mass update ...");
      ObjectNode node = run.putObject("update");
      node.set("mockServerBefore", probe());
      resetCounts();
      double cpu0 = op.cpuSeconds();
      double testbed0 = selfCpuSeconds();
      long t0 = System.nanoTime();
      double seconds;
      boolean done;
      try (Timeline timeline = new Timeline(t0, "POST", "/v1/SourceIpMappings/{Sid}")) {
        patchAll(bench, NS, domainB);
        done =
            await(
                Duration.ofSeconds((long) Math.max(180, 6 * lowerBound)),
                () ->
                    allReady(s -> domainB.equals(s.sipDomainSid()))
                        && emulator.sourceIpMappings(ACCOUNT).stream()
                            .allMatch(m -> m.sipDomainSid().equals(domainB)));
        seconds = secs(t0);
        node.set("phases", timeline.phases());
      }
      node.put("testbedCpuSeconds", selfCpuSeconds() - testbed0);
      double cpu = op.cpuSeconds() - cpu0;
      awaitQuiet(Duration.ofSeconds(1), Duration.ofSeconds(20));
      mass(node, "Mass update (new domain on all)", floorUpdate, seconds, done, cpu);
    }

    void massDelete() throws Exception {
      System.out.println("mass delete ...");
      ObjectNode node = run.putObject("delete");
      node.set("mockServerBefore", probe());
      resetCounts();
      double cpu0 = op.cpuSeconds();
      double testbed0 = selfCpuSeconds();
      long t0 = System.nanoTime();
      double seconds;
      boolean done;
      try (Timeline timeline = new Timeline(t0, "DELETE", "/v1/SourceIpMappings/{Sid}")) {
        deleteAll(bench, NS);
        done =
            await(
                Duration.ofSeconds((long) Math.max(180, 6 * lowerBound)),
                () -> view.size() == 0 && emulator.mappingCount(ACCOUNT) == 0);
        seconds = secs(t0);
        node.set("phases", timeline.phases());
      }
      node.put("testbedCpuSeconds", selfCpuSeconds() - testbed0);
      double cpu = op.cpuSeconds() - cpu0;
      awaitQuiet(Duration.ofSeconds(1), Duration.ofSeconds(20));
      mass(node, "Mass delete", floorDelete, seconds, done, cpu);
    }

    /**
     * N IpRecords (distinct addresses) and N mappings naming them by {@code ipRecordRef} and the
     * SIP domain by {@code sipDomainName}, applied at once in a seeded random order (mappings often
     * before their IpRecords, which then wait as ReferenceNotReady): until all 2N are Ready. The
     * bound is 2N·L/C, as both kinds are created at Twilio through one account's limit. Then all 2N
     * are deleted at once (an IpRecord in use waits for its mapping) and the cleanup is timed too,
     * so that the namespace and the account are as before.
     */
    void refs() throws Exception {
      System.out.println("references: N IpRecords + N mappings by name, one apply ...");
      ObjectNode node = run.putObject("refs");
      List<HasMetadata> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        IpRecord ip = new IpRecord();
        ip.setMetadata(
            new ObjectMetaBuilder()
                .withName(REF_IP_RECORD_PREFIX + "%05d".formatted(i))
                .withNamespace(NS)
                .build());
        // 172.16.0.0/12: apart from the 10.x addresses of the IP records the other scenarios use
        ip.setSpec(
            new IpRecordSpec(
                "172.%d.%d.%d".formatted(16 + i / 65536 % 16, i / 256 % 256, i % 256)));
        all.add(ip);
        SourceIpMapping m = new SourceIpMapping();
        m.setMetadata(
            new ObjectMetaBuilder()
                .withName(REF_MAPPING_PREFIX + "%05d".formatted(i))
                .withNamespace(NS)
                .build());
        SourceIpMappingSpec spec = new SourceIpMappingSpec();
        spec.setIpRecordRef(new IpRecordReference(ip.getMetadata().getName()));
        spec.setSipDomainName(DOMAIN_A_NAME);
        m.setSpec(spec);
        all.add(m);
      }
      Collections.shuffle(all, new Random(REFS_SEED));
      Map<String, Integer> position = new HashMap<>();
      for (int i = 0; i < all.size(); i++) {
        position.put(all.get(i).getMetadata().getName(), i);
      }
      int mappingsFirst = 0;
      for (int i = 0; i < n; i++) {
        String suffix = "%05d".formatted(i);
        if (position.get(REF_MAPPING_PREFIX + suffix)
            < position.get(REF_IP_RECORD_PREFIX + suffix)) {
          mappingsFirst++;
        }
      }
      node.put("seed", REFS_SEED);
      node.put("mappingsAppliedBeforeTheirIpRecord", mappingsFirst);
      node.set("mockServerBefore", probe());
      int ipRecordsBefore = emulator.ipRecordCount(ACCOUNT);
      int mappingsBefore = emulator.mappingCount(ACCOUNT);
      double bound = 2.0 * n * o.latencyMs() / 1000.0 / o.concurrency();
      Duration max = Duration.ofSeconds((long) Math.max(180, 6 * bound));
      try (ResourceView ipView = new ResourceView(bench, NS, IpRecord.class)) {
        resetCounts();
        double cpu0 = op.cpuSeconds();
        double testbed0 = selfCpuSeconds();
        long t0 = System.nanoTime();
        double seconds;
        boolean done;
        try (Timeline ipWrites = new Timeline(t0, "POST", "/v1/IpRecords");
            Timeline mappingWrites = new Timeline(t0, "POST", "/v1/SourceIpMappings")) {
          applyInOrder(bench, all);
          node.put("appliedSeconds", secs(t0));
          done =
              await(
                  max,
                  () ->
                      ipView.count(s -> s.readyNow() && s.sid() != null) == n
                          && view.count(
                                  s ->
                                      s.name().startsWith(REF_MAPPING_PREFIX)
                                          && s.readyNow()
                                          && s.sid() != null)
                              == n);
          seconds = secs(t0);
          ObjectNode phases = node.putObject("phases");
          phases.set("ipRecords", ipWrites.phases());
          phases.set("mappings", mappingWrites.phases());
        }
        node.put("testbedCpuSeconds", selfCpuSeconds() - testbed0);
        double cpu = op.cpuSeconds() - cpu0;
        awaitQuiet(Duration.ofSeconds(1), Duration.ofSeconds(20));
        int wrong = 0;
        for (int i = 0; i < n; i++) {
          String suffix = "%05d".formatted(i);
          State ip = ipView.get(REF_IP_RECORD_PREFIX + suffix);
          State m = view.get(REF_MAPPING_PREFIX + suffix);
          if (ip == null
              || m == null
              || ip.sid() == null
              || !ip.sid().equals(m.ipRecordSid())
              || !domainA.equals(m.sipDomainSid())) {
            wrong++;
          }
        }
        node.put("seconds", seconds);
        node.put("completed", done);
        node.put("boundSeconds", bound);
        node.put("ratioToBound", seconds / bound);
        node.put("kubernetesFloorSeconds", floorCold);
        node.put("cpuSeconds", cpu);
        node.put("mappingsNotOnTheirIpRecordAndDomain", wrong);
        node.put("twilioIpRecordsAdded", emulator.ipRecordCount(ACCOUNT) - ipRecordsBefore);
        node.put("twilioMappingsAdded", emulator.mappingCount(ACCOUNT) - mappingsBefore);
        ObjectNode twilio = twilio();
        node.set("twilio", twilio);
        ObjectNode k8s = kubernetes();
        node.set("kubernetes", k8s);
        JsonNode w = k8s.path("writes");
        long resourceWrites =
            w.path("mapping").asLong()
                + w.path("status").asLong()
                + w.path("ipRecord").asLong()
                + w.path("ipRecordStatus").asLong();
        node.put("resourceWritesPerResource", (double) resourceWrites / (2 * n));
        node.set("memory", memory("afterRefs", true));
        row(
            "References: N IpRecords + N mappings by name, one apply in random order",
            secs(seconds, done),
            "%.1f s".formatted(bound),
            "%.2fx".formatted(seconds / bound),
            "%d creates (%d IpRecords + %d mappings), %d list pages (%d IpRecords, %d mappings,"
                    .formatted(
                        twilio.path("creates").asLong(),
                        twilio.path("ipRecordCreates").asLong(),
                        twilio.path("mappingCreates").asLong(),
                        twilio.path("lists").asLong(),
                        twilio.path("ipRecordLists").asLong(),
                        twilio.path("mappingLists").asLong())
                + " %d domains), %d GETs"
                    .formatted(
                        twilio.path("sipDomainLists").asLong(),
                        twilio.path("perResourceGets").asLong())
                + (twilio.path("total").asLong()
                        == twilio.path("creates").asLong()
                            + twilio.path("lists").asLong()
                            + twilio.path("perResourceGets").asLong()
                    ? ""
                    : ", %d other"
                        .formatted(
                            twilio.path("total").asLong()
                                - twilio.path("creates").asLong()
                                - twilio.path("lists").asLong()
                                - twilio.path("perResourceGets").asLong())),
            twilio.path("throttled429").asText(),
            "%s/resource (%d mapping + %d status, %d IpRecord + %d status) + %s Events/resource"
                .formatted(
                    fmt((double) resourceWrites / (2 * n)),
                    w.path("mapping").asLong(),
                    w.path("status").asLong(),
                    w.path("ipRecord").asLong(),
                    w.path("ipRecordStatus").asLong(),
                    fmt((double) w.path("event").asLong() / (2 * n))),
            "%.1f s".formatted(cpu),
            ("bound: 2N·L/C (Kubernetes floor for N: %.1f s); %d of %d mappings applied before"
                    + " their IpRecord (seed %d); %d mappings not on their IpRecord's SID and"
                    + " the domain; mock server held %d objects before; RSS %d MiB (peak %d),"
                    + " heap after GC %d MiB")
                .formatted(
                    floorCold,
                    mappingsFirst,
                    n,
                    REFS_SEED,
                    wrong,
                    node.path("mockServerBefore").path("objects").asLong(),
                    node.path("memory").path("rssMiB").asLong(),
                    node.path("memory").path("peakRssMiB").asLong(),
                    node.path("memory").path("heapAfterGcMiB").asLong()));
        System.out.printf(
            Locale.ROOT,
            "  refs: %.1f s (bound %.1f s, %.2fx), %d creates, %d GETs, %d list pages%n",
            seconds,
            bound,
            seconds / bound,
            twilio.path("creates").asLong(),
            twilio.path("perResourceGets").asLong(),
            twilio.path("lists").asLong());
        refsCleanup(all, ipView, ipRecordsBefore, mappingsBefore, bound, max);
      }
    }

    /** Deletes the refs scenario's 2N resources at once and waits until they are gone. */
    private void refsCleanup(
        List<HasMetadata> all,
        ResourceView ipView,
        int ipRecordsBefore,
        int mappingsBefore,
        double bound,
        Duration max)
        throws Exception {
      System.out.println("references: delete all 2N at once ...");
      ObjectNode node = run.putObject("refsCleanup");
      resetCounts();
      double cpu0 = op.cpuSeconds();
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(o.applyThreads());
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (HasMetadata r : all) {
          futures.add(
              pool.submit(
                  () ->
                      bench
                          .resources(r.getClass())
                          .inNamespace(NS)
                          .withName(r.getMetadata().getName())
                          .delete()));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      boolean done =
          await(
              max,
              () ->
                  ipView.size() == 0
                      && view.count(s -> s.name().startsWith(REF_MAPPING_PREFIX)) == 0
                      && emulator.ipRecordCount(ACCOUNT) == ipRecordsBefore
                      && emulator.mappingCount(ACCOUNT) == mappingsBefore);
      double seconds = secs(t0);
      double cpu = op.cpuSeconds() - cpu0;
      awaitQuiet(Duration.ofSeconds(1), Duration.ofSeconds(20));
      node.put("seconds", seconds);
      node.put("completed", done);
      node.put("boundSeconds", bound);
      node.put("ratioToBound", seconds / bound);
      node.put("cpuSeconds", cpu);
      ObjectNode twilio = twilio();
      node.set("twilio", twilio);
      ObjectNode k8s = kubernetes();
      node.set("kubernetes", k8s);
      row(
          "References: cleanup, all 2N deleted at once",
          secs(seconds, done),
          "%.1f s".formatted(bound),
          "%.2fx".formatted(seconds / bound),
          twilioShort(twilio),
          twilio.path("throttled429").asText(),
          "%d writes (%d mapping, %d IpRecord, %d Events)"
              .formatted(
                  k8s.path("writes").path("total").asLong(),
                  k8s.path("writes").path("mapping").asLong()
                      + k8s.path("writes").path("status").asLong(),
                  k8s.path("writes").path("ipRecord").asLong()
                      + k8s.path("writes").path("ipRecordStatus").asLong(),
                  k8s.path("writes").path("event").asLong()),
          "%.1f s".formatted(cpu),
          "bound: 2N·L/C (N mapping deletes, then N IpRecord deletes); no target");
      System.out.printf(Locale.ROOT, "  refs cleanup: %.1f s (bound %.1f s)%n", seconds, bound);
    }

    private void mass(
        ObjectNode node, String title, double floor, double seconds, boolean done, double cpu) {
      double bound = Math.max(twilioBound(), floor);
      node.put("seconds", seconds);
      node.put("completed", done);
      node.put("kubernetesFloorSeconds", floor);
      node.put("boundSeconds", bound);
      node.put("ratioToBound", seconds / bound);
      node.put("cpuSeconds", cpu);
      ObjectNode twilio = twilio();
      node.set("twilio", twilio);
      ObjectNode k8s = kubernetes();
      node.set("kubernetes", k8s);
      row(
          title,
          secs(seconds, done),
          "%.1f s".formatted(bound),
          "%.2fx".formatted(seconds / bound),
          twilioShort(twilio),
          twilio.path("throttled429").asText(),
          k8sShort(k8s),
          "%.1f s".formatted(cpu),
          "bound: max(N·L/C, its Kubernetes floor %.1f s); mock server held %d objects before"
              .formatted(floor, node.path("mockServerBefore").path("objects").asLong()));
      System.out.printf(Locale.ROOT, "  %s: %.1f s (bound %.1f s)%n", title, seconds, bound);
    }

    /** Twilio's helper library, one create after another, then idempotent re-runs. */
    void script() throws Exception {
      ObjectNode script = run.putObject("script");
      if (n > o.scriptMaxN()) {
        script.put("skipped", "N above --script-max-n " + o.scriptMaxN());
        return;
      }
      System.out.println("script (Twilio helper library, sequential) ...");
      // start from no mappings at all, as the operator's cold converge did
      emulator
          .sourceIpMappings(ACCOUNT)
          .forEach(m -> emulator.deleteSourceIpMapping(ACCOUNT, m.sid()));
      SdkScript sdk = new SdkScript(emulator.baseUrl(), ACCOUNT, TOKEN);
      emulator.counters().reset();
      long t0 = System.nanoTime();
      sdk.createAll(ips, domainA);
      double seconds = secs(t0);
      ObjectNode first = script.putObject("createAll");
      first.put("seconds", seconds);
      first.set("twilio", twilio());
      first.put("operatorColdSeconds", coldSeconds);
      first.put("operatorToScriptRatio", coldSeconds / seconds);
      row(
          "Script: helper library, creates one by one",
          "%.1f s".formatted(seconds),
          "%.1f s".formatted(n * o.latencyMs() / 1000.0),
          "",
          twilioShort((ObjectNode) first.get("twilio")),
          first.path("twilio").path("throttled429").asText(),
          "",
          "",
          "operator cold converge / script = %.2f (%.1fx faster)"
              .formatted(coldSeconds / seconds, seconds / coldSeconds));
      System.out.printf(Locale.ROOT, "  script: %.1f s%n", seconds);

      emulator.counters().reset();
      t0 = System.nanoTime();
      int created = sdk.createMissing(ips, domainA);
      seconds = secs(t0);
      ObjectNode rerun = script.putObject("rerunNothingMissing");
      rerun.put("seconds", seconds);
      rerun.put("created", created);
      rerun.set("twilio", twilio());
      row(
          "Script: idempotent re-run, nothing missing",
          "%.1f s".formatted(seconds),
          "",
          "",
          twilioShort((ObjectNode) rerun.get("twilio")),
          rerun.path("twilio").path("throttled429").asText(),
          "",
          "",
          "list, then create what is missing (compare: steady state)");

      Map<String, String> sidByIp = new HashMap<>();
      emulator.sourceIpMappings(ACCOUNT).forEach(m -> sidByIp.put(m.ipRecordSid(), m.sid()));
      for (int i = 0; i < n; i += 10) {
        emulator.deleteSourceIpMapping(ACCOUNT, sidByIp.get(ips.get(i)));
      }
      emulator.counters().reset();
      t0 = System.nanoTime();
      created = sdk.createMissing(ips, domainA);
      seconds = secs(t0);
      ObjectNode repair = script.putObject("rerunTenPercentMissing");
      repair.put("seconds", seconds);
      repair.put("created", created);
      repair.set("twilio", twilio());
      double opDrift = run.path("drift").path("seconds").asDouble(Double.NaN);
      row(
          "Script: idempotent re-run, 10% missing",
          "%.1f s".formatted(seconds),
          "",
          "",
          twilioShort((ObjectNode) repair.get("twilio")),
          repair.path("twilio").path("throttled429").asText(),
          "",
          "",
          "compare: drift repair (%.1f s, which includes waiting for the next resync)"
              .formatted(opDrift));
    }

    /**
     * Where the time of a mass change goes: until the first Twilio write, the writes, and from the
     * last write until done. Samples the emulator's counter every 20 ms in the background.
     */
    final class Timeline implements AutoCloseable {
      private final long t0;
      private final String method;
      private final String path;
      private final ScheduledExecutorService timer;
      private long first;
      private long last;
      private long count;

      Timeline(long t0, String method, String path) {
        this.t0 = t0;
        this.method = method;
        this.path = path;
        this.timer =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "bench-timeline");
                  t.setDaemon(true);
                  return t;
                });
        timer.scheduleAtFixedRate(this::sample, 0, 20, TimeUnit.MILLISECONDS);
      }

      private synchronized void sample() {
        long now = System.nanoTime();
        long c = emulator.counters().count(method, path);
        if (c > 0 && first == 0) {
          first = now;
        }
        if (c != count) {
          count = c;
          last = now;
        }
      }

      synchronized ObjectNode phases() {
        long end = System.nanoTime();
        ObjectNode p = Report.JSON.createObjectNode();
        p.put("twilioWrites", count);
        p.put("untilFirstWriteSeconds", (first - t0) / 1e9);
        p.put("firstToLastWriteSeconds", (last - first) / 1e9);
        p.put("writesPerSecond", last == first ? 0 : (count - 1) / ((last - first) / 1e9));
        p.put("lastWriteToDoneSeconds", (end - last) / 1e9);
        return p;
      }

      @Override
      public void close() {
        timer.shutdownNow();
      }
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

    // ---- helpers -----------------------------------------------------------------------------

    void apply(KubernetesClient client, String namespace) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(o.applyThreads());
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          SourceIpMapping r = new SourceIpMapping();
          r.setMetadata(
              new ObjectMetaBuilder().withName(names.get(i)).withNamespace(namespace).build());
          r.setSpec(new SourceIpMappingSpec(ips.get(i), domainA));
          futures.add(pool.submit(() -> client.resource(r).create()));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
    }

    /** Creates each resource, in this order, on --apply-threads threads (as the cold apply). */
    void applyInOrder(KubernetesClient client, List<HasMetadata> resources) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(o.applyThreads());
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (HasMetadata r : resources) {
          futures.add(pool.submit(() -> client.resource(r).create()));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
    }

    /** One JSON merge patch per resource (through a stub: fabric8 then sends no GET first). */
    void patchAll(KubernetesClient client, String namespace, String domain) throws Exception {
      String patch = "{\"spec\":{\"sipDomainSid\":\"" + domain + "\"}}";
      parallel(
          name -> {
            SourceIpMapping stub = new SourceIpMapping();
            stub.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
            client.resource(stub).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
          });
    }

    void deleteAll(KubernetesClient client, String namespace) throws Exception {
      parallel(
          name ->
              client
                  .resources(SourceIpMapping.class)
                  .inNamespace(namespace)
                  .withName(name)
                  .delete());
    }

    void parallel(Consumer<String> action) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(o.applyThreads());
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (String name : names) {
          futures.add(pool.submit(() -> action.accept(name)));
        }
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
    }

    boolean allReady(java.util.function.Predicate<State> and) {
      return view.size() == n
          && view.count(s -> s.readyNow() && s.sid() != null && and.test(s)) == n;
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

    long lists() {
      return emulator.counters().count("GET", "/v1/SourceIpMappings");
    }

    /**
     * Waits until the operator has been quiet (no Twilio request, no Kubernetes request, no
     * dispatch) for {@code quiet}; the nanoTime of the last activity.
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

    void row(
        String scenario,
        String time,
        String bound,
        String ratio,
        String twilio,
        String throttled,
        String kubernetes,
        String cpu,
        String notes) {
      ObjectNode r = rows.addObject();
      r.put("scenario", scenario);
      r.put("time", time);
      r.put("bound", bound);
      r.put("ratio", ratio);
      r.put("twilio", twilio);
      r.put("throttled", throttled);
      r.put("kubernetes", kubernetes);
      r.put("cpu", cpu);
      r.put("notes", notes);
    }

    String twilioShort(ObjectNode t) {
      List<String> parts = new ArrayList<>();
      if (t.path("creates").asLong() > 0) {
        parts.add(t.path("creates").asLong() + " creates");
      }
      if (t.path("updates").asLong() > 0) {
        parts.add(t.path("updates").asLong() + " updates");
      }
      if (t.path("deletes").asLong() > 0) {
        parts.add(t.path("deletes").asLong() + " deletes");
      }
      if (t.path("lists").asLong() > 0) {
        parts.add(t.path("lists").asLong() + " list pages");
      }
      parts.add(t.path("perResourceGets").asLong() + " GETs");
      long other =
          t.path("total").asLong()
              - t.path("creates").asLong()
              - t.path("updates").asLong()
              - t.path("deletes").asLong()
              - t.path("lists").asLong()
              - t.path("perResourceGets").asLong();
      if (other > 0) {
        parts.add(other + " other");
      }
      return String.join(", ", parts);
    }

    String k8sShort(ObjectNode k) {
      return k8sShort(k, n);
    }

    String k8sShort(ObjectNode k, int per) {
      JsonNode w = k.path("writes");
      long resource = w.path("mapping").asLong() + w.path("status").asLong();
      return "%s/resource (%d object + %d status) + %s Events/resource"
          .formatted(
              fmt((double) resource / per),
              w.path("mapping").asLong(),
              w.path("status").asLong(),
              fmt((double) w.path("event").asLong() / per));
    }

    String perResource(long writes, String what) {
      return "%s %s/resource".formatted(fmt((double) writes / n), what);
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

  // ---- small helpers -------------------------------------------------------------------------

  static boolean await(Duration timeout, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** CPU seconds of this JVM: the mock server, the emulator and the benchmark itself. */
  static double selfCpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** The 1, 5 and 15 minute load averages: other work on the machine skews the figures. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static String secs(double seconds, boolean completed) {
    return completed ? "%.1f s".formatted(seconds) : "timeout after %.0f s".formatted(seconds);
  }

  static long mib(long kib) {
    return kib < 0 ? -1 : Math.round(kib / 1024.0);
  }

  static String fmt(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : "%.2f".formatted(value);
  }
}
