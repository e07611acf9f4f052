package dev.byoc.sourceip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The move into Git: a sandbox run creates mappings in a standalone emulator, export writes them
 * out, and a fresh sandbox run applying that export adopts every one with zero creates.
 */
class SandboxExportIT {
  @RegisterExtension final EmulatorExtension twilio = EmulatorExtension.withKnownAccount();

  @TempDir Path temp;

  @Test
  void exportThenApplyInAFreshSandboxAdoptsEverythingWithZeroCreates() throws Exception {
    TwilioEmulator emulator = twilio.emulator();
    var account = emulator.accounts().get(0);
    Map<String, String> env =
        Map.of("TWILIO_ACCOUNT_SID", account.sid(), "TWILIO_AUTH_TOKEN", account.authToken());

    CliRun first =
        sandbox(env, "--twilio-base-url", emulator.baseUrl(), "--apply", "deploy/examples");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(emulator.mappingCount(account.sid())).isEqualTo(3);

    Path exported = temp.resolve("exported");
    Files.createDirectories(exported);
    CliRun export =
        CliRun.run(
            env,
            "export",
            "--namespace",
            "imported",
            "--twilio-base-url",
            emulator.baseUrl(),
            "-o",
            exported.resolve("twilio.yaml").toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(Files.readString(exported.resolve("twilio.yaml")))
        .contains("voice.byoc.dev/external-sid");
    emulator.counters().reset();

    CliRun second =
        sandbox(env, "--twilio-base-url", emulator.baseUrl(), "--apply", exported.toString());

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("All 3 resources are Ready.");
    assertThat(emulator.counters().count("POST", "/v1/SourceIpMappings")).isZero();
    assertThat(emulator.counters().count("POST", "/v1/SourceIpMappings/{Sid}")).isZero();
    assertThat(emulator.counters().count("DELETE", "/v1/SourceIpMappings/{Sid}")).isZero();
    assertThat(emulator.mappingCount(account.sid())).isEqualTo(3);
  }

  /**
   * The same with {@code --kind all}: IpRecords, and mappings naming them by {@code ipRecordRef}
   * and their domain by {@code sipDomainName}. Applying it adopts every IP record and mapping:
   * nothing is created, changed or deleted at Twilio.
   */
  @Test
  void exportAllThenApplyAdoptsIpRecordsAndMappingsByNameWithZeroWrites() throws Exception {
    TwilioEmulator emulator = twilio.emulator();
    var account = emulator.accounts().get(0);
    Map<String, String> env =
        Map.of("TWILIO_ACCOUNT_SID", account.sid(), "TWILIO_AUTH_TOKEN", account.authToken());
    CliRun first =
        sandbox(env, "--twilio-base-url", emulator.baseUrl(), "--apply", "deploy/examples");
    assertThat(first.exitCode()).as(first.err()).isZero();
    int ipRecords = emulator.ipRecordCount(account.sid());
    int mappings = emulator.mappingCount(account.sid());

    Path exported = temp.resolve("exported-all");
    Files.createDirectories(exported);
    CliRun export =
        CliRun.run(
            env,
            "export",
            "--kind",
            "all",
            "--namespace",
            "imported",
            "--twilio-base-url",
            emulator.baseUrl(),
            "-o",
            exported.resolve("twilio.yaml").toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(Files.readString(exported.resolve("twilio.yaml")))
        .contains("kind: IpRecord")
        .contains("ipRecordRef:")
        .contains("sipDomainName:");
    emulator.counters().reset();

    CliRun second =
        sandbox(env, "--twilio-base-url", emulator.baseUrl(), "--apply", exported.toString());

    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(second.out()).contains("All " + (ipRecords + mappings) + " resources are Ready.");
    for (String path :
        new String[] {
          "/v1/SourceIpMappings",
          "/v1/SourceIpMappings/{Sid}",
          "/v1/IpRecords",
          "/v1/IpRecords/{Sid}"
        }) {
      assertThat(emulator.counters().count("POST", path)).as("POST " + path).isZero();
      assertThat(emulator.counters().count("DELETE", path)).as("DELETE " + path).isZero();
    }
    assertThat(emulator.ipRecordCount(account.sid())).isEqualTo(ipRecords);
    assertThat(emulator.mappingCount(account.sid())).isEqualTo(mappings);
  }

  private CliRun sandbox(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "sandbox";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--exit-when-ready";
    all[args.length + 2] = "--timeout";
    all[args.length + 3] = "60s";
    return CliRun.run(env, all);
  }
}
