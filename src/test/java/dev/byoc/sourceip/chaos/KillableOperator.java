package dev.byoc.sourceip.chaos;

import dev.byoc.sourceip.testing.ShippedJar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private final Path logDir;
  private final IntFunction<Map<String, String>> env;
  private final List<String> args;
  private Process process;
  private int incarnations;
  private int kills;
  private int selfExits;
  private boolean killed;

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
      selfExits++; // it ended by itself: Kubernetes would restart it, so do we, and count it
    }
    killed = false;
    incarnations++;
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

  /** Starts a new incarnation if the last one ended by itself, as a kubelet would. */
  synchronized void restartIfExited() {
    if (process != null && !process.isAlive() && !killed) {
      start();
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
