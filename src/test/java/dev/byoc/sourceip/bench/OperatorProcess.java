package dev.byoc.sourceip.bench;

import dev.byoc.sourceip.testing.ShippedJar;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped jar running {@code operator} as its own process, measured from outside: CPU seconds
 * and memory from /proc, heap after a full GC with jcmd, and the resources JOSDK dispatched, from
 * its debug line "Handling dispatch for resource name: ..." (the one logger the benchmark turns
 * on).
 */
final class OperatorProcess implements AutoCloseable {
  static final String DISPATCH_LOGGER =
      "io.javaoperatorsdk.operator.processing.event.ReconciliationDispatcher";
  private static final Pattern DISPATCH =
      Pattern.compile("Handling dispatch for resource name: (\\S+) namespace: (\\S+)");
  private static final long TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

  private final Process process;
  private final Path log;
  private final long startedNanos;
  private long logPosition;
  private final Set<String> dispatched = new HashSet<>();
  private long dispatchEvents;

  private OperatorProcess(Process process, Path log, long startedNanos) {
    this.process = process;
    this.log = log;
    this.startedNanos = startedNanos;
  }

  /** Starts {@code java <jvmFlags> -jar <jar> operator <args>} with exactly {@code env} added. */
  static OperatorProcess start(
      Path jar, List<String> jvmFlags, Map<String, String> env, List<String> args, Path log)
      throws IOException {
    Path logback = log.resolveSibling("logback-operator.xml");
    Files.writeString(
        logback,
        """
        <configuration>
          <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
            <target>System.err</target>
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
          </appender>
          <logger name="okhttp3" level="WARN"/>
          <logger name="DISPATCH_LOGGER" level="DEBUG"/>
          <root level="INFO"><appender-ref ref="STDERR"/></root>
        </configuration>
        """
            .replace("DISPATCH_LOGGER", DISPATCH_LOGGER));
    List<String> flags = new ArrayList<>(jvmFlags);
    flags.add("-Dlogback.configurationFile=" + logback.toAbsolutePath());
    List<String> operatorArgs = new ArrayList<>(List.of("operator"));
    operatorArgs.addAll(args);
    Map<String, String> withEndpoint = new java.util.HashMap<>(env);
    // measured as shipped: the management endpoint on (a free port, so runs never collide)
    withEndpoint.putIfAbsent("SOURCEIP_MANAGEMENT_PORT", Integer.toString(freePort()));
    ProcessBuilder builder =
        ShippedJar.process(jar, flags, operatorArgs, withEndpoint)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    long started = System.nanoTime();
    return new OperatorProcess(builder.start(), log, started);
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  long startedNanos() {
    return startedNanos;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until the log contains {@code text}; false if the process exits or time runs out. */
  boolean awaitLog(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (logText().contains(text)) {
        return true;
      }
      if (!process.isAlive()) {
        return false;
      }
      Thread.sleep(50);
    }
    return false;
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** User + system CPU seconds the process has used so far. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
      // fields after the command name, which is in parentheses and may contain spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(f[11]);
      long stime = Long.parseLong(f[12]);
      return (utime + stime) / (double) TICKS_PER_SECOND;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** A field of /proc/PID/status in KiB, e.g. VmRSS or VmHWM; -1 if unreadable. */
  long statusKib(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // gone
    }
    return -1;
  }

  /** Heap in use and metaspace after a full GC, in KiB: {heapUsed, heapCommitted, metaspace}. */
  long[] heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    long used = 0;
    long committed = 0;
    long metaspace = -1;
    Matcher gen =
        Pattern.compile(
                "(?m)^\\s*(?:def new generation|tenured generation|[\\w-]+ heap)\\s+total"
                    + " (\\d+)K, used (\\d+)K")
            .matcher(info);
    while (gen.find()) {
      committed += Long.parseLong(gen.group(1));
      used += Long.parseLong(gen.group(2));
    }
    Matcher meta = Pattern.compile("Metaspace\\s+used (\\d+)K").matcher(info);
    if (meta.find()) {
      metaspace = Long.parseLong(meta.group(1));
    }
    return new long[] {used, committed, metaspace};
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), command)
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    p.waitFor(60, TimeUnit.SECONDS);
    return new String(out, StandardCharsets.UTF_8);
  }

  /** Reads new log lines; returns how many distinct resources were dispatched since the reset. */
  synchronized int dispatchedResources() {
    readNewLines();
    return dispatched.size();
  }

  /** Dispatches (reconciles and cleanups started) seen since the reset, repeats included. */
  synchronized long dispatches() {
    readNewLines();
    return dispatchEvents;
  }

  synchronized void resetDispatched() {
    readNewLines();
    dispatched.clear();
    dispatchEvents = 0;
  }

  private void readNewLines() {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      if (length <= logPosition) {
        return;
      }
      byte[] bytes = new byte[(int) (length - logPosition)];
      file.seek(logPosition);
      file.readFully(bytes);
      int end = lastNewline(bytes);
      if (end < 0) {
        return;
      }
      logPosition += end + 1;
      String text = new String(bytes, 0, end + 1, StandardCharsets.UTF_8);
      Matcher m = DISPATCH.matcher(text);
      while (m.find()) {
        dispatched.add(m.group(2) + "/" + m.group(1));
        dispatchEvents++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** SIGTERM, then waits for the graceful shutdown; the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
  }
}
