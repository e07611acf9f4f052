package dev.byoc.sourceip.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's command line: the shipped operator as its own process against fabric8's CRUD mock
 * server and the Twilio emulator (latency L, concurrency limit C), scenario by scenario at each N,
 * beside the Kubernetes floor and a script on Twilio's own helper library; a table and JSON.
 *
 * <p>Run it with {@code bench/run} (see {@code bench/run --help}).
 */
@Command(
    name = "bench",
    sortOptions = false,
    description = {
      "Runs every scenario at each N against the operator process, the emulator and a mock"
          + " Kubernetes API server; prints a Markdown table and writes"
          + " <out>/<date>-<host-kind>[-quick].json and .md."
    })
public final class Benchmark implements Callable<Integer> {
  static final String ACCOUNT = "AC" + "be".repeat(16);
  static final String TOKEN = "bench-auth-token-0123456789abcdef";
  static final String NS = "bench";
  static final String FLOOR_NS = "floor";
  static final String OPERATOR = "operator"; // bearer tokens: who sent a Kubernetes request
  static final String FLOOR = "floor";
  static final String BENCH = "bench";
  static final int RECONCILE_CONCURRENCY = 20; // the operator's default
  static final List<String> ALL_SCENARIOS =
      List.of(
          "cold",
          "steady",
          "drift",
          "restart",
          "update",
          "delete",
          "refs",
          "script",
          "adaptive",
          "neighbour",
          "accounts",
          "sdk-threads");
  static final List<String> KNOWN_SCENARIOS =
      List.of(
          "floor",
          "cold",
          "steady",
          "drift",
          "restart",
          "update",
          "delete",
          "refs",
          "script",
          "adaptive",
          "neighbour",
          "accounts",
          "sdk-threads");

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

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;

  @Option(
      names = "--n",
      split = ",",
      defaultValue = "100,1000,5000",
      paramLabel = "N",
      description = "Sizes, comma-separated. Default: ${DEFAULT-VALUE}.")
  List<Integer> sizes;

  @Option(
      names = "--latency-ms",
      defaultValue = "200",
      paramLabel = "L",
      description = "Emulator latency per Twilio request. Default: ${DEFAULT-VALUE}.")
  long latencyMs;

  @Option(
      names = "--concurrency",
      defaultValue = "10",
      paramLabel = "C",
      description =
          "Emulator per-account concurrency limit, and the operator's"
              + " --twilio-max-concurrent-requests. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "NAME",
      description =
          "Subset of cold,steady,drift,restart,update,delete,refs,script,adaptive,neighbour,"
              + "accounts,sdk-threads (the floor and cold always run; adaptive and neighbour start"
              + " their own operators at its defaults, after the others; accounts starts its own,"
              + " told C, for B alone and B while A is throttled); \"floor\" alone runs only the Kubernetes floor. Unknown names are"
              + " ignored. Default: all.")
  List<String> scenarios = ALL_SCENARIOS;

  @Option(
      names = "--resync-seconds",
      defaultValue = "10",
      paramLabel = "S",
      description =
          "The operator's --resync-interval for the steady-state scenario."
              + " Default: ${DEFAULT-VALUE}.")
  long resyncSeconds;

  @Option(
      names = "--steady-intervals",
      defaultValue = "3",
      paramLabel = "K",
      description = "Resync intervals measured at rest. Default: ${DEFAULT-VALUE}.")
  int steadyIntervals;

  @Option(
      names = "--script-max-n",
      defaultValue = "2147483647",
      paramLabel = "N",
      description = "Skip the helper-library script above this N (it takes N·L seconds).")
  int scriptMaxN;

  @Option(
      names = "--limit-scenarios-max-n",
      defaultValue = "1000",
      paramLabel = "N",
      description =
          "Skip adaptive, neighbour, accounts and sdk-threads (the scenarios about Twilio's"
              + " concurrency limit, each several converges) above this N. Default:"
              + " ${DEFAULT-VALUE}, the N they are specified at.")
  int limitScenariosMaxN;

  @Option(
      names = "--apply-threads",
      defaultValue = "4",
      paramLabel = "T",
      description =
          "Threads the benchmark applies, patches and deletes on. Default: ${DEFAULT-VALUE}.")
  int applyThreads;

  @Option(
      names = "--jar",
      defaultValue = "target/sourceip-operator.jar",
      paramLabel = "JAR",
      description = "The operator's jar. Default: ${DEFAULT-VALUE}.")
  Path jar;

  @Option(
      names = "--jvm-flags",
      paramLabel = "\"FLAGS\"",
      description =
          "The operator's JVM flags, space-separated. Default: the pom's container.jvmFlags"
              + " (the image's).")
  String jvmFlags;

  @Option(
      names = "--out",
      defaultValue = "bench/results",
      paramLabel = "DIR",
      description = "Where results go. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--host-kind",
      paramLabel = "NAME",
      description = "Names the results file. Default: linux-<arch>-<cpus>cpu-<mem>gib.")
  String hostKind;

  @Option(names = "--quick", description = "N = 100 only, at most 2 steady intervals.")
  boolean quick;

  @Option(
      names = "--floor-events",
      description =
          "Diagnostic: the floor controller also records one Event per write, as the operator"
              + " does (then the floor is no longer the floor proper).")
  boolean floorEvents;

  /** The options, resolved. */
  record Options(
      List<Integer> sizes,
      long latencyMs,
      int concurrency,
      Set<String> scenarios,
      Duration resync,
      int steadyIntervals,
      int scriptMaxN,
      int limitScenariosMaxN,
      int applyThreads,
      Path jar,
      List<String> jvmFlags,
      Path out,
      String hostKind,
      boolean quick,
      boolean floorEvents) {}

  Options options() {
    Set<String> known = new LinkedHashSet<>(scenarios);
    known.retainAll(KNOWN_SCENARIOS);
    return new Options(
        quick ? List.of(100) : List.copyOf(sizes),
        latencyMs,
        concurrency,
        known,
        Duration.ofSeconds(resyncSeconds),
        quick ? Math.min(steadyIntervals, 2) : steadyIntervals,
        scriptMaxN,
        limitScenariosMaxN,
        applyThreads,
        jar,
        jvmFlags == null
            ? CONTAINER_JVM_FLAGS
            : Arrays.stream(jvmFlags.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
        out,
        hostKind == null ? Report.defaultHostKind() : hostKind,
        quick,
        floorEvents);
  }

  public static void main(String[] args) {
    Locale.setDefault(Locale.ROOT);
    System.exit(new CommandLine(new Benchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Options o = options();
    if (!Files.isRegularFile(o.jar())) {
      System.err.println("error: " + o.jar() + " not found: build it first (mvn package)");
      return 2;
    }
    ObjectNode results = Report.results(o);
    ArrayNode runs = results.putArray("runs");
    Path work = Path.of("target/bench");
    Files.createDirectories(work);
    warmUp(o, work);
    for (int n : o.sizes()) {
      System.out.printf(Locale.ROOT, "%n== N = %d ==%n", n);
      ObjectNode run = runs.addObject();
      run.put("n", n);
      try (Bench b = new Bench(o, n, run, work.resolve("n" + n))) {
        b.execute();
      } catch (Exception e) {
        System.out.println("run for N = " + n + " failed: " + e);
        e.printStackTrace(System.out);
        run.put("error", String.valueOf(e));
      }
    }
    results.set("targets", Targets.evaluate(results));
    Report.save(o, results);
    return 0;
  }

  /**
   * Runs the Kubernetes floor once on a few hundred resources and throws the result away: the mock
   * server and the Kubernetes client live in this JVM, and the first N measured should not pay for
   * their class loading and JIT compilation. (The operator always starts as a new process: its
   * start-up is part of what is measured.)
   */
  static void warmUp(Options o, Path work) throws Exception {
    System.out.println("warming up the mock server and client in this JVM ...");
    try (Bench b = new Bench(o, 300, Report.JSON.createObjectNode(), work.resolve("warm-up"))) {
      new FloorScenario().run(b);
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
