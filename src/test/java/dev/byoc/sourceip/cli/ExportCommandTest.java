package dev.byoc.sourceip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The `export` command's help and its usage and configuration errors; no Twilio is contacted. */
class ExportCommandTest {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String SECRET = KnownSecrets.AUTH_TOKEN;

  /** Runs {@code export args} in process, with {@code env} as its whole environment. */
  static CliRun run(Map<String, String> env, String... args) {
    return CliRun.command(env, "export", args);
  }

  @Test
  void helpListsEveryFlagWithItsVariableAndDefault() {
    CliRun run = run(Map.of(), "--help");

    assertThat(run.exitCode()).isZero();
    String help = run.out().replaceAll("\\s+", " ");
    assertThat(help)
        .contains("--kind=KIND What to export: SourceIpMapping, IpRecord, all.")
        .contains("all: the IP records, then the mappings naming them by ipRecordRef")
        .contains("Default: SourceIpMapping.")
        .contains("--namespace=NAMESPACE Namespace written into every resource. Default: default.")
        .contains("--name-prefix=PREFIX")
        .contains("--deletion-policy=POLICY Write spec.deletionPolicy into every resource:")
        .contains("Delete, Orphan")
        .contains("-o, --output=FILE")
        .contains("Default: stdout.")
        .contains("-h, --help", "-V, --version")
        .contains("TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with")
        .contains("Exit codes: 0");
    List<Setting> twilio =
        Arrays.stream(Setting.values()).filter(s -> s.envName().startsWith("TWILIO_")).toList();
    for (Setting s : twilio) {
      if (s.flag() == null) {
        assertThat(help).as("a secret has no flag").doesNotContain("--" + s.envName());
        continue;
      }
      int at = help.indexOf(s.flag() + "=<value>");
      assertThat(at).as(s.flag()).isNotNegative();
      int next = help.indexOf(" --", at + 1);
      String entry = help.substring(at, next < 0 ? help.length() : next);
      assertThat(entry).contains("Env: " + s.envName());
      if (s.defaultValue() != null) {
        assertThat(entry).contains("Default: " + s.defaultValue() + ".");
      }
    }
    // the operator's own settings are not export's
    assertThat(help).doesNotContain("--namespaces", "--resync-interval", "--reconcile-");
  }

  @Test
  void theTopLevelHelpListsExport() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString()).contains("export ");
  }

  @Test
  void missingCredentialsAreOneLineAndExitCode2() {
    CliRun run = run(Map.of("TWILIO_AUTH_TOKEN", SECRET));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).containsExactly("error: TWILIO_ACCOUNT_SID is not set.");
    assertThat(run.out()).isEmpty();

    CliRun noToken = run(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT));
    assertThat(noToken.exitCode()).isEqualTo(2);
    assertThat(noToken.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: ")
        .contains("TWILIO_AUTH_TOKEN", "TWILIO_API_KEY");
  }

  @Test
  void aBadSettingFlagOrVariableNamesTheSettingAndNeverTheSecret() {
    Map<String, String> env =
        Map.of("TWILIO_ACCOUNT_SID", "AC-not-a-sid", "TWILIO_AUTH_TOKEN", SECRET);
    CliRun badSid = run(env);
    assertThat(badSid.exitCode()).isEqualTo(2);
    assertThat(badSid.err().lines())
        .singleElement()
        .asString()
        .contains("TWILIO_ACCOUNT_SID")
        .doesNotContain(SECRET);

    Map<String, String> good = Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", SECRET);
    CliRun badPage = run(good, "--twilio-page-size", "5000");
    assertThat(badPage.exitCode()).isEqualTo(2);
    assertThat(badPage.err().lines()).singleElement().asString().contains("TWILIO_PAGE_SIZE");

    CliRun clearText = run(good, "--twilio-base-url", "http://twilio.example.com");
    assertThat(clearText.exitCode()).isEqualTo(2);
    assertThat(clearText.err().lines())
        .singleElement()
        .asString()
        .contains("TWILIO_BASE_URL", "plain http")
        .doesNotContain(SECRET);
    assertThat(clearText.out()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--namespace=Telephony",
        "--namespace=-x",
        "--namespace=a.b",
        "--name-prefix=Twilio-",
        "--name-prefix=-x",
        "--kind=Nothing",
        "--deletion-policy=Maybe",
        "--no-such-flag"
      })
  void aBadFlagIsOneLineNamingItAndExitCode2(String arg) {
    CliRun run = run(Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", SECRET), arg);

    assertThat(run.exitCode()).isEqualTo(2);
    String flag = arg.substring(0, arg.indexOf('=') < 0 ? arg.length() : arg.indexOf('='));
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: ")
        .contains(flag)
        .contains("see 'sourceip-operator export --help'");
    assertThat(run.out()).isEmpty();
  }
}
