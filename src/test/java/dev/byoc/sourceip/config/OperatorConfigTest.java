package dev.byoc.sourceip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which settings stop the operator (exit 2) and which it reports on every resource instead. */
class OperatorConfigTest {
  static final String SID = "AC" + "0123456789abcdef".repeat(2);

  @Test
  void missingCredentialsAreAProblemToReportNamingTheSecretNotAReasonToExit() {
    OperatorConfig config =
        OperatorConfig.from(
            Settings.from(
                Map.of(
                    "TWILIO_ACCOUNT_SID",
                    SID,
                    "SOURCEIP_CREDENTIALS_SECRET",
                    "sourceip-system/twilio-credentials")));

    assertThat(config.credentialsProblem())
        .contains(
            "no usable Twilio credentials: TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with"
                + " TWILIO_API_SECRET, is not set; check that Secret"
                + " sourceip-system/twilio-credentials exists and holds these keys, then restart"
                + " the operator");
    assertThat(config.credentialsSecret()).isEqualTo("sourceip-system/twilio-credentials");
  }

  @Test
  void withoutASecretNameTheMessagePointsAtTheEnvironment() {
    OperatorConfig config = OperatorConfig.from(Settings.from(Map.of()));

    assertThat(config.credentialsProblem().orElseThrow())
        .startsWith("no usable Twilio credentials: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
        .endsWith("; set them in the operator's environment, then restart the operator");
  }

  @Test
  void usableCredentialsAreNoProblem() {
    OperatorConfig config =
        OperatorConfig.from(
            Settings.from(Map.of("TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", "t")));

    assertThat(config.credentialsProblem()).isEmpty();
    assertThat(config.resyncInterval()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void otherBadSettingsStillStopTheStartEvenWithoutCredentials() {
    Map<String, String> env = new HashMap<>();
    env.put("SOURCEIP_RESYNC_INTERVAL", "soon");
    assertThatThrownBy(() -> OperatorConfig.from(Settings.from(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SOURCEIP_RESYNC_INTERVAL is 'soon'");
    env.clear();
    env.put("TWILIO_READ_TIMEOUT", "0s");
    assertThatThrownBy(() -> OperatorConfig.from(Settings.from(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TWILIO_READ_TIMEOUT");
    env.clear();
    env.put("SOURCEIP_NAMESPACES", "Telephony");
    assertThatThrownBy(() -> OperatorConfig.from(Settings.from(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SOURCEIP_NAMESPACES");
  }

  @Test
  void logFormatAndManagementPortHaveDefaultsAndRefuseWhatTheyCannotUse() {
    OperatorConfig defaults = OperatorConfig.from(Settings.from(Map.of()));
    assertThat(defaults.logging().format()).isEqualTo(LogFormat.TEXT);
    assertThat(defaults.managementPort()).isEqualTo(8080);

    OperatorConfig set =
        OperatorConfig.from(
            Settings.from(Map.of("LOG_FORMAT", "JSON", "SOURCEIP_MANAGEMENT_PORT", "0")));
    assertThat(set.logging().format()).isEqualTo(LogFormat.JSON);
    assertThat(set.managementPort()).isZero();

    assertThatThrownBy(() -> OperatorConfig.from(Settings.from(Map.of("LOG_FORMAT", "logfmt"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("LOG_FORMAT is 'logfmt'; expected text or json.");
    assertThatThrownBy(
            () -> OperatorConfig.from(Settings.from(Map.of("SOURCEIP_MANAGEMENT_PORT", "65536"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("SOURCEIP_MANAGEMENT_PORT is '65536'; expected an integer from 0 to 65535.");
  }

  @Test
  void namespacesAndLabelSelectorMakeTheScope() {
    OperatorConfig all = OperatorConfig.from(Settings.from(Map.of()));
    assertThat(all.scope().allNamespaces()).isTrue();
    assertThat(all.scope().labelSelector()).isNull();

    OperatorConfig some =
        OperatorConfig.from(
            Settings.from(
                Map.of(
                    "SOURCEIP_NAMESPACES", " b, a ,",
                    "SOURCEIP_LABEL_SELECTOR", "shard=a")));
    assertThat(some.scope().namespaces()).containsExactlyInAnyOrder("a", "b");
    assertThat(some.scope().allNamespaces()).isFalse();
    assertThat(some.scope().labelSelector()).isEqualTo("shard=a");
  }
}
