package dev.byoc.sourceip.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.cli.EmulatorCommand;
import dev.byoc.sourceip.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The `emulator` subcommand's help, its parameter errors and its start-up banner, in process. */
class EmulatorCommandTest {
  static final List<String> FLAGS =
      List.of(
          "--port",
          "--bind",
          "--public-base-url",
          "--account",
          "--api-key",
          "--allowed-ip-range",
          "--latency-ms",
          "--latency-jitter-ms",
          "--concurrency-limit",
          "--p429",
          "--p500",
          "--p503",
          "--p-reset-before",
          "--p-reset-after",
          "--retry-after-seconds",
          "--fault-methods",
          "--seed",
          "--neighbour-slots",
          "--neighbour-mode",
          "--neighbour-burst-ms",
          "--neighbour-period-ms",
          "--neighbour-rps",
          "--help",
          "--version");

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryFlagWithDefaults() {
    Run run = run("emulator", "--help");
    assertThat(run.exitCode()).isZero();
    for (String flag : FLAGS) {
      assertThat(run.out()).as(flag).contains(flag);
    }
    String flat = run.out().replaceAll("\\s+", " ");
    assertThat(flat).contains("Default: 8080").contains("Default: 127.0.0.1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--p500=2",
        "--p429=-0.1",
        "--port=70000",
        "--latency-ms=-1",
        "--concurrency-limit=many",
        "--account=nonsense",
        "--account=AC123:token",
        "--api-key=AC00000000000000000000000000000000:SK1:secret",
        "--fault-methods=GET,P0ST",
        "--allowed-ip-range=203.0.113.7/24",
        "--allowed-ip-range=2001:db8::/32",
        "--allowed-ip-range=AC123:203.0.113.0/24",
        "--neighbour-slots=-1",
        "--neighbour-slots=six",
        "--neighbour-mode=sometimes",
        "--neighbour-burst-ms=-5",
        "--neighbour-period-ms=x",
        "--neighbour-rps=-2",
        "--neighbour-rps=NaN",
        "--no-such-flag"
      })
  void badValuesExitWithCode2AndAClearFirstLine(String arg) {
    Run run = run("emulator", arg);
    assertThat(run.exitCode()).isEqualTo(2);
    String first = run.err().lines().findFirst().orElse("");
    String flag = arg.substring(0, arg.contains("=") ? arg.indexOf('=') : arg.length());
    assertThat(first).contains(flag);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void neighbourFlagsBecomeNeighbourSettings() {
    EmulatorCommand constant = new EmulatorCommand();
    new CommandLine(constant)
        .parseArgs(
            "--neighbour-slots", "6", "--neighbour-mode", "constant", "--neighbour-rps", "20");
    assertThat(constant.neighbourSettings()).isEqualTo(NeighbourSettings.constant(6, 20));

    EmulatorCommand bursts = new EmulatorCommand();
    new CommandLine(bursts)
        .parseArgs(
            "--neighbour-slots=4",
            "--neighbour-mode=BURSTS",
            "--neighbour-burst-ms=200",
            "--neighbour-period-ms=1000",
            "--neighbour-rps=2.5");
    assertThat(bursts.neighbourSettings()).isEqualTo(NeighbourSettings.bursts(4, 200, 1000, 2.5));

    EmulatorCommand none = new EmulatorCommand();
    new CommandLine(none).parseArgs();
    assertThat(none.neighbourSettings()).isEqualTo(NeighbourSettings.off());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--concurrency-limit=4 --neighbour-slots=5",
        "--neighbour-slots=2 --neighbour-mode=bursts --neighbour-burst-ms=100",
        "--neighbour-slots=2 --neighbour-mode=bursts --neighbour-burst-ms=300"
            + " --neighbour-period-ms=200"
      })
  void inconsistentNeighbourFlagsAreAParameterError(String args) {
    List<String> argv = new java.util.ArrayList<>(List.of("emulator", "--port=0"));
    argv.addAll(List.of(args.split(" ")));
    Run run = run(argv.toArray(String[]::new));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().findFirst().orElse("")).containsPattern("(?i)neighbour|burst");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void secretsAreNotEchoedInErrors() {
    Run run = run("emulator", "--account=AC123:" + KnownSecrets.AUTH_TOKEN);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).doesNotContain(KnownSecrets.AUTH_TOKEN);
  }

  @Test
  void apiKeyForAnUnknownAccountIsAParameterError() {
    Run run =
        run(
            "emulator",
            "--port=0",
            "--account=AC" + "1".repeat(32) + ":t",
            "--api-key=AC" + "2".repeat(32) + ":SK" + "3".repeat(32) + ":s");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().findFirst().orElse("")).contains("unknown account");
  }

  @Test
  void anAllowedIpRangeForAnUnknownAccountIsAParameterError() {
    Run run =
        run(
            "emulator",
            "--port=0",
            "--account=AC" + "1".repeat(32) + ":t",
            "--allowed-ip-range=AC" + "2".repeat(32) + ":203.0.113.0/24");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().findFirst().orElse("")).contains("unknown account");
  }

  @Test
  void bannerNamesTheUrlsAndSidsButNeverEchoesAGivenSecret() {
    try (TwilioEmulator emulator =
        TwilioEmulator.builder()
            .account(KnownSecrets.ACCOUNT_SID, KnownSecrets.AUTH_TOKEN)
            .apiKey(KnownSecrets.ACCOUNT_SID, KnownSecrets.API_KEY_SID, KnownSecrets.API_SECRET)
            .publicBaseUrl("http://twilio-emulator.sandbox.svc:8080/")
            .build()
            .start()) {
      String local = "http://127.0.0.1:" + emulator.port();
      assertThat(EmulatorCommand.banner(emulator, false).lines())
          .containsExactly(
              "Twilio emulator listening on " + local,
              "TWILIO_BASE_URL=http://twilio-emulator.sandbox.svc:8080",
              "TWILIO_ACCOUNT_SID=" + KnownSecrets.ACCOUNT_SID,
              "TWILIO_API_KEY=" + KnownSecrets.API_KEY_SID,
              "Admin API: " + local + "/_emulator/");
    }
  }

  @Test
  void bannerPrintsTheTokenOfAGeneratedAccount() {
    try (TwilioEmulator emulator = TwilioEmulator.builder().build().start()) {
      EmulatorAccount generated = emulator.accounts().get(0);
      assertThat(EmulatorCommand.banner(emulator, true).lines())
          .contains(
              "TWILIO_ACCOUNT_SID=" + generated.sid(),
              "TWILIO_AUTH_TOKEN=" + generated.authToken());
    }
  }
}
