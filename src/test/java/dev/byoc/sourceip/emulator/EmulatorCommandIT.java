package dev.byoc.sourceip.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built jar's `emulator` subcommand as a process: banner, serving, port in use, SIGTERM. */
class EmulatorCommandIT {

  @Test
  void printsTheBannerServesAndStopsOnSigterm() throws Exception {
    try (EmulatorProcess process = EmulatorProcess.start("--port", "0")) {
      List<String> banner = process.banner(30_000);
      assertThat(banner).hasSize(5);
      assertThat(banner.get(0)).matches("Twilio emulator listening on http://127\\.0\\.0\\.1:\\d+");
      String base = EmulatorProcess.value(banner, "TWILIO_BASE_URL");
      assertThat(banner.get(0)).endsWith(base);
      String sid = EmulatorProcess.value(banner, "TWILIO_ACCOUNT_SID");
      String token = EmulatorProcess.value(banner, "TWILIO_AUTH_TOKEN");
      assertThat(sid).matches("^AC[0-9a-f]{32}$");
      assertThat(token).matches("^[0-9a-f]{32}$");
      assertThat(banner.get(4)).isEqualTo("Admin API: " + base + "/_emulator/");

      Wire wire = new Wire(base, sid, token);
      try {
        assertThat(wire.post("/v1/IpRecords", "IpAddress", "10.0.0.1").status()).isEqualTo(201);
        assertThat(wire.admin("GET", "/_emulator/health", null).status()).isEqualTo(200);
      } finally {
        wire.close();
      }
      assertThat(process.stderrText()).doesNotContain(token);
      assertThat(process.stop()).isIn(0, 143);
    }
  }

  @Test
  void refusesAnIpRecordOutsideTheAllowedIpRanges() throws Exception {
    String sid = "AC" + "4".repeat(32);
    try (EmulatorProcess process =
        EmulatorProcess.start(
            "--port",
            "0",
            "--account",
            sid + ":range-token",
            "--allowed-ip-range",
            "203.0.113.0/24",
            "--allowed-ip-range",
            "198.51.100.0/25")) {
      String base = EmulatorProcess.value(process.banner(30_000), "TWILIO_BASE_URL");
      Wire wire = new Wire(base, sid, "range-token");
      try {
        Wire.Answer refused = wire.post("/v1/IpRecords", "IpAddress", "192.0.2.1");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("code").asInt()).isEqualTo(20001);
        assertThat(refused.json().get("message").asText())
            .contains("192.0.2.1/32 is outside")
            .contains("(203.0.113.0/24, 198.51.100.0/25)");
        assertThat(wire.post("/v1/IpRecords", "IpAddress", "198.51.100.5").status()).isEqualTo(201);
        assertThat(
                wire.admin("GET", "/_emulator/accounts/" + sid + "/allowed-ip-ranges", null)
                    .json()
                    .toString())
            .isEqualTo("[\"203.0.113.0/24\",\"198.51.100.0/25\"]");
      } finally {
        wire.close();
      }
      assertThat(process.stop()).isIn(0, 143);
    }
  }

  @Test
  void portInUseIsOneLineAndExitCode1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        EmulatorProcess process =
            EmulatorProcess.start("--port", String.valueOf(taken.getLocalPort()))) {
      assertThat(process.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(process.process.exitValue()).isEqualTo(1);
      List<String> lines = process.stderrText().lines().toList();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0))
          .contains(String.valueOf(taken.getLocalPort()))
          .containsIgnoringCase("in use");
    }
  }
}
