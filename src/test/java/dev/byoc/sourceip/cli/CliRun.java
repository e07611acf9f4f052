package dev.byoc.sourceip.cli;

import dev.byoc.sourceip.ProcessLogs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * One run of the command line in this process, through {@link Main#commandLine()}, with {@code env}
 * as the whole environment of the commands that read one; its exit code and output (also kept under
 * target/process-logs/ for the secret scan).
 */
record CliRun(int exitCode, String out, String err) {
  private static final Path OUTPUT =
      ProcessLogs.dir("CliRun").resolve("in-process-" + ProcessLogs.jvm() + ".log");

  static {
    try {
      Files.deleteIfExists(OUTPUT); // one file per test JVM and build
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CliRun run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    ((SandboxCommand) cli.getSubcommands().get("sandbox").getCommand()).environment = env;
    ((ExportCommand) cli.getSubcommands().get("export").getCommand()).environment = env;
    int code = cli.execute(args);
    CliRun run = new CliRun(code, out.toString(), err.toString());
    keep(args.length == 0 ? "" : args[0], run);
    return run;
  }

  /** A copy of every run's output under target/process-logs/, for the secret scan. */
  private static synchronized void keep(String command, CliRun run) {
    try {
      Files.writeString(
          OUTPUT,
          "== "
              + command
              + " exited "
              + run.exitCode()
              + "\n--- stdout\n"
              + run.out()
              + "--- stderr\n"
              + run.err(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code command args...}. */
  static CliRun command(Map<String, String> env, String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    return run(env, all.toArray(String[]::new));
  }
}
