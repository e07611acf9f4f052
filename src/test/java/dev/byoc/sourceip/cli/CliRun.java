package dev.byoc.sourceip.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * One run of the command line in this process, through {@link Main#commandLine()}, with {@code env}
 * as the whole environment of the commands that read one; its exit code and output.
 */
record CliRun(int exitCode, String out, String err) {

  static CliRun run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    ((SandboxCommand) cli.getSubcommands().get("sandbox").getCommand()).environment = env;
    ((ExportCommand) cli.getSubcommands().get("export").getCommand()).environment = env;
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** {@code command args...}. */
  static CliRun command(Map<String, String> env, String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    return run(env, all.toArray(String[]::new));
  }
}
