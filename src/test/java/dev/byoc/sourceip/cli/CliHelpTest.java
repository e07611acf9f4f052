package dev.byoc.sourceip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.config.Setting;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every command documents every flag; settings name their environment variable and default. */
class CliHelpTest {

  private static String help(String... args) {
    CliRun run = CliRun.run(Map.of(), args);
    assertThat(run.exitCode()).isZero();
    return run.out();
  }

  @Test
  void everyCommandListsEveryOptionInItsHelp() {
    Map<String, CommandLine> commands = Main.commandLine().getSubcommands();
    assertThat(commands).containsKeys("operator", "sandbox", "emulator");
    for (var entry : commands.entrySet()) {
      if (entry.getKey().equals("help")) {
        continue;
      }
      String text = help(entry.getKey(), "--help");
      for (OptionSpec option : entry.getValue().getCommandSpec().options()) {
        assertThat(text).as(entry.getKey()).contains(option.longestName());
        assertThat(option.description())
            .as(entry.getKey() + " " + option.longestName())
            .isNotEmpty();
      }
    }
  }

  @Test
  void operatorFlagsNameTheirEnvironmentVariableAndDefault() {
    String text = help("operator", "--help").replaceAll("\\s+", " ");
    for (Setting s : Setting.values()) {
      if (s.flag() != null) {
        assertThat(text).contains(s.flag()).contains("Env: " + s.envName());
        if (s.defaultValue() != null) {
          assertThat(text).contains("Default: " + s.defaultValue());
        }
      }
    }
    assertThat(text).contains("TWILIO_AUTH_TOKEN"); // secrets: environment only, named in the text
  }

  @Test
  void versionAndTopLevelHelp() {
    assertThat(help("--version")).startsWith("sourceip-operator ");
    assertThat(help("--help")).contains("operator", "sandbox", "emulator");
  }
}
