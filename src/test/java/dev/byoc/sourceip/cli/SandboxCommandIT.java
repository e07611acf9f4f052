package dev.byoc.sourceip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.ProcessLogs;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox command: examples to Ready from the built jar, and its failure exits (only a Stalled
 * resource ends it early).
 */
class SandboxCommandIT {
  @TempDir Path temp;

  @Test
  void theBuiltJarBringsEveryExampleToReadyAndExitsZero() throws Exception {
    Path jar = Path.of(System.getProperty("sourceip.jar", "target/sourceip-operator.jar"));
    Path out = ProcessLogs.dir("SandboxCommandIT").resolve("sandbox-exit-when-ready.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "sandbox",
                "--exit-when-ready",
                "--timeout",
                "60s")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as(Files.readString(out)).isTrue();

    String printed = Files.readString(out);
    assertThat(p.exitValue()).as(printed).isZero();
    assertThat(printed)
        .contains("telephony/pbx-east", "telephony/pbx-west", "telephony/carrier-backup")
        .containsPattern("IPRECORD +ADDRESS +PREFIX +READY +SYNCED +SID +MESSAGE")
        .containsPattern("telephony/pbx-east +203\\.0\\.113\\.10 +32 +True +True +IL")
        .containsPattern("telephony/pbx-west +198\\.51\\.100\\.16 +28 +True +True +IL")
        .containsPattern("SOURCEIPMAPPING +READY +SYNCED +IP-RECORD +SID +DOMAIN +MESSAGE")
        .containsPattern("team-voice/sbc-voice +True +True +IL")
        .containsPattern("TWILIOACCOUNT +ACCOUNT +READY")
        .contains("All 11 resources are Ready.")
        .containsPattern("\n  management: +http://127\\.0\\.0\\.1:\\d+ \\(try: curl ");
    // nothing before the banner: no framework INFO line, no warning that is no problem
    assertThat(printed).startsWith("sourceip-operator sandbox\n");
  }

  @Test
  void refusedCredentialsEndTheSandboxWithTheReason() {
    try (TwilioEmulator emulator = EmulatorExtension.withKnownAccount().start()) {
      String account = emulator.accounts().get(0).sid();
      CliRun run =
          run(
              Map.of(
                  "TWILIO_ACCOUNT_SID",
                  account,
                  "TWILIO_AUTH_TOKEN",
                  KnownSecrets.WRONG_AUTH_TOKEN),
              "sandbox",
              "--twilio-base-url",
              emulator.baseUrl(),
              "--exit-when-ready",
              "--timeout",
              "60s");

      assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(run.err())
          .contains("CredentialsInvalid")
          .contains("401")
          .doesNotContain(KnownSecrets.WRONG_AUTH_TOKEN);
      assertThat(emulator.mappingCount(account)).isZero();
    }
  }

  @Test
  void aMappingWaitingForItsIpRecordIsNoFailureButAnUnknownSipDomainIs() throws Exception {
    Path waiting = temp.resolve("waiting");
    Files.createDirectories(waiting);
    Files.writeString(waiting.resolve("m.yaml"), mapping("acme.sip.twilio.com"));
    CliRun run =
        run(
            Map.of(),
            "sandbox",
            "--apply",
            waiting.toString(),
            "--exit-when-ready",
            "--timeout",
            "5s");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("not every resource was Ready after 5s");
    assertThat(run.out()).contains("ReferenceNotReady: waiting for IpRecord pbx-east");

    Path unknown = temp.resolve("unknown");
    Files.createDirectories(unknown);
    // the emulator takes only *.sip.twilio.com, so the sandbox seeds no such domain
    Files.writeString(unknown.resolve("m.yaml"), mapping("pbx.example.com"));
    Files.writeString(
        unknown.resolve("r.yaml"),
        """
        apiVersion: voice.byoc.dev/v1alpha1
        kind: IpRecord
        metadata: {name: pbx-east, namespace: telephony}
        spec: {ipAddress: 203.0.113.10}
        """);
    run =
        run(
            Map.of(),
            "sandbox",
            "--apply",
            unknown.toString(),
            "--exit-when-ready",
            "--timeout",
            "60s");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains("error: SourceIpMapping telephony/pbx-east: ReferenceNotReady")
        .contains("no SIP domain named pbx.example.com");
  }

  private static String mapping(String sipDomainName) {
    return """
        apiVersion: voice.byoc.dev/v1alpha1
        kind: SourceIpMapping
        metadata: {name: pbx-east, namespace: telephony}
        spec:
          ipRecordRef: {name: pbx-east}
          sipDomainName: %s
        """
        .formatted(sipDomainName);
  }

  @Test
  void aMissingDirectoryOrBadFlagIsOneLineAndExitTwo() {
    CliRun missing =
        run(Map.of(), "sandbox", "--apply", temp.resolve("nope").toString(), "--exit-when-ready");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith("error: --apply");

    CliRun badTimeout = run(Map.of(), "sandbox", "--exit-when-ready", "--timeout", "soon");
    assertThat(badTimeout.exitCode()).isEqualTo(2);
    assertThat(badTimeout.err()).contains("--timeout 'soon'");
  }

  static CliRun run(Map<String, String> env, String... args) {
    return CliRun.run(env, args);
  }
}
