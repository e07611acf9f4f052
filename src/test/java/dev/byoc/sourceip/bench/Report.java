package dev.byoc.sourceip.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The machine's description, and the results as JSON and as Markdown tables, in one place. */
final class Report {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Report() {}

  static ObjectNode machine(String hostKind) {
    ObjectNode m = JSON.createObjectNode();
    m.put("kind", hostKind);
    m.put("nproc", Runtime.getRuntime().availableProcessors());
    m.put("memoryMiB", memTotalKib() / 1024);
    m.put("cpu", firstMatch(read(Path.of("/proc/cpuinfo")), "model name"));
    m.put("os", osName());
    m.put("kernel", run("uname", "-srm"));
    m.put("java", run(javaBin("java"), "-version").lines().findFirst().orElse("?"));
    m.put("javaRuntime", run(javaBin("java"), "-version").replace('\n', ' ').trim());
    return m;
  }

  /** e.g. "linux-x86_64-2cpu-24gib". */
  static String defaultHostKind() {
    long gib = Math.round(memTotalKib() / 1024.0 / 1024.0);
    return "linux-"
        + System.getProperty("os.arch")
        + "-"
        + Runtime.getRuntime().availableProcessors()
        + "cpu-"
        + gib
        + "gib";
  }

  static String gitCommit() {
    String head = run("git", "rev-parse", "--short", "HEAD").trim();
    if (head.isEmpty() || head.contains(" ")) {
      return "unknown";
    }
    String dirty = run("git", "status", "--porcelain", "--untracked-files=no").trim();
    return dirty.isEmpty() ? head : head + "+changes";
  }

  static void write(Path file, JsonNode node) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, JSON.writeValueAsString(node) + "\n");
  }

  // ---- the results file --------------------------------------------------------------------

  /** The results' head: what was run, when, on what, with which settings. */
  static ObjectNode results(Benchmark.Options o) {
    ObjectNode results = JSON.createObjectNode();
    results.put(
        "benchmark",
        "sourceip-operator converge, steady state, drift, restart, references, script");
    results.put(
        "date", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toString());
    results.put("commit", gitCommit());
    results.set("machine", machine(o.hostKind()));
    ObjectNode settings = results.putObject("settings");
    settings.put("latencyMs", o.latencyMs());
    settings.put("concurrencyLimit", o.concurrency());
    settings.put("resyncInterval", o.resync().toSeconds() + "s");
    settings.put("steadyIntervals", o.steadyIntervals());
    settings.put("reconcileConcurrency", Benchmark.RECONCILE_CONCURRENCY);
    settings.put("applyThreads", o.applyThreads());
    settings.put("floorWithEvents", o.floorEvents());
    ArrayNode flags = settings.putArray("operatorJvmFlags");
    o.jvmFlags().forEach(flags::add);
    settings.put(
        "operatorCommand",
        "java <operatorJvmFlags> -jar sourceip-operator.jar operator --namespaces "
            + Benchmark.NS
            + " --resync-interval "
            + o.resync().toSeconds()
            + "s --twilio-max-concurrent-requests "
            + o.concurrency());
    ArrayNode scenarios = settings.putArray("scenarios");
    o.scenarios().forEach(scenarios::add);
    return results;
  }

  /** Writes the results as JSON and Markdown under --out, and prints the tables. */
  static void save(Benchmark.Options o, ObjectNode results) throws IOException {
    String base = LocalDate.now(ZoneOffset.UTC) + "-" + o.hostKind() + (o.quick() ? "-quick" : "");
    Path json = o.out().resolve(base + ".json");
    write(json, results);
    String md = markdown(results);
    Files.writeString(o.out().resolve(base + ".md"), md);
    System.out.println();
    System.out.println(md);
    System.out.println("results: " + json);
  }

  // ---- table rows --------------------------------------------------------------------------

  /** One row of the scenario table, in the order of its columns. */
  static void row(
      ArrayNode rows,
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

  /** The row of a measured change: its time against its bound, the requests, the CPU. */
  static void row(
      ArrayNode rows,
      String scenario,
      Bench.Measured m,
      double bound,
      String twilio,
      JsonNode twilioCounters,
      String kubernetes,
      String notes) {
    row(
        rows,
        scenario,
        Benchmark.secs(m.seconds(), m.completed()),
        "%.1f s".formatted(bound),
        "%.2fx".formatted(m.seconds() / bound),
        twilio,
        twilioCounters.path("throttled429").asText(),
        kubernetes,
        "%.1f s".formatted(m.cpuSeconds()),
        notes);
  }

  /** The Twilio column: the emulator's counters, by kind of request. */
  static String twilioShort(JsonNode t) {
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

  /** The Kubernetes column: the operator's writes per resource, of {@code per} resources. */
  static String k8sShort(JsonNode k, int per) {
    JsonNode w = k.path("writes");
    long resource = w.path("mapping").asLong() + w.path("status").asLong();
    return "%s/resource (%d object + %d status) + %s Events/resource"
        .formatted(
            Benchmark.fmt((double) resource / per),
            w.path("mapping").asLong(),
            w.path("status").asLong(),
            Benchmark.fmt((double) w.path("event").asLong() / per));
  }

  /** The Kubernetes column when only totals matter: writes and requests. */
  static String k8sTotals(JsonNode k) {
    return "%d writes, %d requests"
        .formatted(k.path("writes").path("total").asLong(), k.path("requests").asLong());
  }

  // ---- Markdown ----------------------------------------------------------------------------

  /** The README's tables: targets, then every scenario of every N. */
  static String markdown(ObjectNode results) {
    StringBuilder md = new StringBuilder();
    ObjectNode s = (ObjectNode) results.get("settings");
    JsonNode machine = results.get("machine");
    md.append(
        String.format(
            Locale.ROOT,
            "Machine: %s (%d CPUs, %d MiB, %s; %s). Emulator latency L = %d ms, concurrency"
                + " limit C = %d; resync interval %s; operator JVM: `%s`. Commit %s, %s.%n%n",
            machine.path("kind").asText(),
            machine.path("nproc").asInt(),
            machine.path("memoryMiB").asLong(),
            machine.path("os").asText(),
            machine.path("java").asText(),
            s.path("latencyMs").asLong(),
            s.path("concurrencyLimit").asInt(),
            s.path("resyncInterval").asText(),
            String.join(" ", strings(s.path("operatorJvmFlags"))),
            results.path("commit").asText(),
            results.path("date").asText()));
    md.append("| Target | N | Goal | Measured | Met |\n|---|---:|---|---|:---:|\n");
    for (JsonNode t : results.path("targets")) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s |%n",
              t.path("target").asText(),
              t.path("n").asText(),
              t.path("goal").asText(),
              t.path("measured").asText()
                  + (t.path("note").asText().isEmpty() ? "" : " (" + t.path("note").asText() + ")"),
              t.path("met").isNull() ? "n/a" : t.path("met").asBoolean() ? "yes" : "**no**"));
    }
    md.append(
        "\n| Scenario | N | Time | Bound | Ratio | Twilio requests | 429s | Kubernetes writes"
            + " | Operator CPU | Notes |\n|---|---:|---:|---:|---:|---|---:|---|---:|---|\n");
    for (JsonNode run : results.path("runs")) {
      for (JsonNode row : run.path("rows")) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                row.path("scenario").asText(),
                run.path("n").asInt(),
                row.path("time").asText(),
                row.path("bound").asText(),
                row.path("ratio").asText(),
                row.path("twilio").asText(),
                row.path("throttled").asText(),
                row.path("kubernetes").asText(),
                row.path("cpu").asText(),
                row.path("notes").asText()));
      }
    }
    return md.toString();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  // ---- machine facts -----------------------------------------------------------------------

  private static long memTotalKib() {
    String line = firstMatch(read(Path.of("/proc/meminfo")), "MemTotal");
    try {
      return Long.parseLong(line.replaceAll("[^0-9]", ""));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String osName() {
    String release = read(Path.of("/etc/os-release"));
    for (String line : release.lines().toList()) {
      if (line.startsWith("PRETTY_NAME=")) {
        return line.substring("PRETTY_NAME=".length()).replace("\"", "");
      }
    }
    return System.getProperty("os.name") + " " + System.getProperty("os.version");
  }

  private static String firstMatch(String text, String key) {
    for (String line : text.lines().toList()) {
      if (line.startsWith(key)) {
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(colon + 1).trim();
      }
    }
    return "?";
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static String javaBin(String tool) {
    return Path.of(System.getProperty("java.home"), "bin", tool).toString();
  }

  static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out.trim();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
