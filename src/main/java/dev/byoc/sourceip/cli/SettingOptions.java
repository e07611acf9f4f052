package dev.byoc.sourceip.cli;

import dev.byoc.sourceip.config.Setting;
import dev.byoc.sourceip.config.Settings;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Turns {@link Setting}s into picocli options, so every flag's help names its environment variable
 * and default from the one place they are defined, and reads flags over the environment.
 */
final class SettingOptions {
  private SettingOptions() {}

  /** Adds a {@code --flag} option for each setting that has one. */
  static void addTo(CommandSpec spec, Setting... settings) {
    for (Setting s : settings) {
      if (s.flag() == null) {
        continue;
      }
      String text =
          s.description()
              + " Env: "
              + s.envName()
              + (s.defaultValue() == null ? "." : ". Default: " + s.defaultValue() + ".");
      spec.addOption(
          OptionSpec.builder(s.flag())
              .paramLabel("<value>")
              .type(String.class)
              .description(text)
              .build());
    }
  }

  /** Flags given on the command line win over the environment. */
  static Settings read(CommandSpec spec, Map<String, String> env) {
    return Settings.from(
        name -> {
          Setting setting = Setting.valueOf(name);
          if (setting.flag() != null) {
            OptionSpec option = spec.findOption(setting.flag());
            if (option != null && option.getValue() != null) {
              return option.getValue();
            }
          }
          return env.get(name);
        });
  }
}
