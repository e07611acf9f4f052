package dev.byoc.sourceip.chaos;

import dev.byoc.sourceip.testing.ShippedJar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The shipped jar running {@code operator}, started again after every hard kill (SIGKILL: no
 * shutdown hook, no reconcile allowed to finish), each incarnation logging to its own file.
 */
final class KillableOperator implements AutoCloseable {
  /** What {@code Leadership} logs when the lease is lost, just before JOSDK exits the process. */
  static final String LOST_THE_LEASE = "Lost the lease";

  private final Path logDir;
  private final IntFunction<Map<String, String>> env;
  private final List<String> args;
  private Process process;
  private int incarnations;
  private int kills;
  private int selfExits;
  private int leaseLossExits;
  private boolean killed;
  private final List<Long> startedAt = new ArrayList<>(); // System.nanoTime(), by incarnation - 1

  KillableOperator(Path logDir, IntFunction<Map<String, String>> env, List<String> args) {
    this.logDir = logDir;
    this.env = env;
    this.args = args;
  }

  /** Starts a new incarnation unless one is running. */
  synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    if (process != null && !killed) {
      // it ended by itself: Kubernetes would restart it, so do we, and count it; a replica that
      // lost its lease exits by design (JOSDK) and is counted apart
      if (tail(Integer.MAX_VALUE).contains(LOST_THE_LEASE)) {
        leaseLossExits++;
      } else {
        selfExits++;
      }
    }
    killed = false;
    incarnations++;
    startedAt.add(System.nanoTime());
    ProcessBuilder builder =
        ShippedJar.process(
                List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                Stream.concat(Stream.of("operator"), args.stream()).toList(),
                env.apply(incarnations))
            .redirectErrorStream(true)
            .redirectOutput(log(incarnations).toFile());
    try {
      Files.createDirectories(logDir);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the operator: " + e.getMessage(), e);
    }
  }

  /** SIGKILL and wait until the process is gone; false if none was running. */
  synchronized boolean kill() {
    if (process == null || !process.isAlive()) {
      return false;
    }
    killed = true;
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("operator process " + process.pid() + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing the operator", e);
    }
    kills++;
    return true;
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** Whether the current incarnation is alive and has said it started (watching, snapshot read). */
  synchronized boolean up() {
    return alive() && tail(Integer.MAX_VALUE).contains("sourceip-operator started");
  }

  synchronized int incarnations() {
    return incarnations;
  }

  synchronized int kills() {
    return kills;
  }

  /** Incarnations that ended without being killed (a crash, or an exit on a fatal error). */
  synchronized int selfExits() {
    return selfExits;
  }

  /** Incarnations that exited because they lost the lease (leader election), not counted above. */
  synchronized int leaseLossExits() {
    return leaseLossExits;
  }

  /**
   * The incarnation that was started last at {@code nanoTime} (0 before the first): the one that
   * sent a request seen then, as long as a restart comes well after the previous one died.
   */
  synchronized int incarnationAt(long nanoTime) {
    int found = 0;
    for (int i = 0; i < startedAt.size() && startedAt.get(i) <= nanoTime; i++) {
      found = i + 1;
    }
    return found;
  }

  /** Starts a new incarnation if the last one ended by itself, as a kubelet would. */
  synchronized void restartIfExited() {
    if (process != null && !process.isAlive() && !killed) {
      start();
    }
  }

  /**
   * The reconcile threads of the current incarnation, from a thread dump it writes to its log
   * (SIGQUIT): what a resource that never converged is waiting for.
   */
  synchronized String reconcileThreads() {
    if (process == null || !process.isAlive()) {
      return "(the operator is not running)";
    }
    try {
      Path log = log(incarnations);
      long before = Files.size(log);
      new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor();
      Thread.sleep(2000);
      String written = Files.readString(log).substring((int) before);
      StringBuilder threads = new StringBuilder();
      for (String thread : written.split("\n\n")) {
        if (thread.contains("ReconcilerExecutor") && !thread.contains("LinkedBlockingQueue.take")) {
          threads.append(thread).append("\n\n");
        }
      }
      return threads.length() == 0 ? "(no reconcile thread busy)" : threads.toString();
    } catch (IOException e) {
      return "thread dump unreadable: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** The last {@code lines} lines of the current incarnation's log. */
  synchronized String tail(int lines) {
    try {
      Path log = log(incarnations);
      if (!Files.exists(log)) {
        return "";
      }
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "log unreadable: " + e.getMessage();
    }
  }

  Path log(int incarnation) {
    return logDir.resolve("operator-" + incarnation + ".log");
  }

  /** SIGTERM (the graceful stop) for the last incarnation. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
