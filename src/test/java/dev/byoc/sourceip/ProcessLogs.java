package dev.byoc.sourceip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the output of every process a test starts goes: under target/process-logs/, never a
 * temporary folder, so that the secret scan at the end of the build reads it too.
 */
public final class ProcessLogs {
  private ProcessLogs() {}

  /** The folder for one test's processes, created if missing. */
  public static Path dir(String name) {
    Path dir = Path.of(System.getProperty("sourceip.process.logs", "target/process-logs"), name);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Which test JVM this is ("surefire", "failsafe"), to keep their files apart. */
  public static String jvm() {
    return System.getProperty("sourceip.test.jvm", "tests");
  }
}
