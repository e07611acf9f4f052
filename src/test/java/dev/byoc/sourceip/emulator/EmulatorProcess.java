package dev.byoc.sourceip.emulator;

import dev.byoc.sourceip.ProcessLogs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The built jar's `emulator` subcommand run as a separate process, for black-box tests; its stdout
 * and stderr are kept under target/process-logs/ for the secret scan.
 */
final class EmulatorProcess implements AutoCloseable {
  private static final String END = "\u0000end-of-stream";
  private static final AtomicInteger STARTED = new AtomicInteger();

  final Process process;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  final Path stderr;

  private EmulatorProcess(Process process, Path stdoutCopy, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  Writer copy = Files.newBufferedWriter(stdoutCopy, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                  copy.write(line + "\n");
                  copy.flush();
                  stdout.add(line);
                }
              } catch (IOException e) {
                // the process ended
              } finally {
                stdout.add(END);
              }
            },
            "emulator-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** The jar under test: -Dsourceip.jar, else target/sourceip-operator.jar. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("sourceip.jar", "target/sourceip-operator.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar.toAbsolutePath() + " is missing: run `mvn package` first");
    }
    return jar;
  }

  /** Starts `java -jar <jar> emulator <args>`. */
  static EmulatorProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.add("emulator");
    command.addAll(List.of(args));
    Path logs = ProcessLogs.dir("EmulatorProcess");
    String name = "emulator-" + ProcessLogs.jvm() + "-" + STARTED.incrementAndGet();
    Path stderr = logs.resolve(name + "-stderr.log");
    Process process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
            .start();
    return new EmulatorProcess(process, logs.resolve(name + "-stdout.log"), stderr);
  }

  /** Reads stdout until the banner's last line ("Admin API: ..."); all banner lines. */
  List<String> banner(long timeoutMillis) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : stdout.poll(left, TimeUnit.NANOSECONDS);
      if (line == null || line.equals(END)) {
        throw new IllegalStateException(
            "no banner within "
                + timeoutMillis
                + " ms; stdout "
                + lines
                + "; stderr "
                + stderrText());
      }
      lines.add(line);
      if (line.startsWith("Admin API: ")) {
        return lines;
      }
    }
  }

  /** The TWILIO_BASE_URL value of a banner. */
  static String value(List<String> banner, String name) {
    return banner.stream()
        .filter(l -> l.startsWith(name + "="))
        .map(l -> l.substring(name.length() + 1))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(name + " missing from " + banner));
  }

  String stderrText() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** SIGTERM, then wait for the exit; its exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
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
