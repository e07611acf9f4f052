package dev.byoc.sourceip.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the runnable jar: one picocli command with a subcommand per role. */
@Command(
    name = "sourceip-operator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs Twilio BYOC Source IP Mappings declaratively from Kubernetes.",
    subcommands = {
      OperatorCommand.class,
      SandboxCommand.class,
      ExportCommand.class,
      EmulatorCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    CommandLine cl =
        new CommandLine(new Main())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setParameterExceptionHandler(Main::oneLineUsageError);
    OperatorCommand.addSettingOptions(cl.getSubcommands().get("operator").getCommandSpec());
    ExportCommand.addSettingOptions(cl.getSubcommands().get("export").getCommandSpec());
    return cl;
  }

  /** A bad flag or value is one clear line on stderr, exit code 2, no usage dump. */
  private static int oneLineUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    cl.getErr()
        .println(
            "error: "
                + e.getMessage()
                + " (see '"
                + cl.getCommandSpec().qualifiedName()
                + " --help')");
    return ExitCodes.USAGE;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
  }
}
