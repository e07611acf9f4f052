package dev.byoc.sourceip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.ProcessLogs;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.emulator.ScriptedFault;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.secretscan.SecretScanner;
import dev.byoc.sourceip.testing.EmulatorExtension;
import dev.byoc.sourceip.testing.Kubeconfigs;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar with {@code --log-level TRACE} and known credentials (an auth token, an API key,
 * a refused token; a Kubernetes bearer token): its whole output holds none of them in any form.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorTraceSecretScanIT {
  static final String NS = "trace";
  static final Duration WAIT = Duration.ofSeconds(60);
  static final Path LOGS = ProcessLogs.dir("OperatorTraceSecretScanIT");

  static KubernetesClient client; // fabric8's CRUD mock API server, in this JVM
  @TempDir Path dir;

  @Test
  void theJarAtTraceWritesNoCredentialInAnyForm() throws Exception {
    OperatorJar.installCrd(client);
    List<Path> outputs = new ArrayList<>();
    try (TwilioEmulator emulator =
        EmulatorExtension.withKnownAccount()
            .apiKey(KnownSecrets.ACCOUNT_SID, KnownSecrets.API_KEY_SID, KnownSecrets.API_SECRET)
            .start()) {
      String domain = emulator.createSipDomain(KnownSecrets.ACCOUNT_SID, "trace.sip.twilio.com");
      Map<String, String> byToken =
          Map.of(
              "KUBECONFIG",
              Kubeconfigs.writeNew(
                      dir, client.getMasterUrl().toString(), KnownSecrets.KUBERNETES_TOKEN, NS)
                  .toString(),
              "TWILIO_BASE_URL",
              emulator.baseUrl(),
              "TWILIO_ACCOUNT_SID",
              KnownSecrets.ACCOUNT_SID,
              "TWILIO_AUTH_TOKEN",
              KnownSecrets.AUTH_TOKEN);

      // the auth token, with Twilio failing: create, then delete
      emulator
          .faults()
          .script(
              ScriptedFault.of("500").forMethod("POST").forPath("/v1/SourceIpMappings"),
              ScriptedFault.of("reset-after").forMethod("POST").forPath("/v1/SourceIpMappings"),
              ScriptedFault.of("503").forMethod("DELETE"));
      Process operator = operator(byToken, "by-token.log", outputs);
      try {
        apply("a", emulator.createIpRecord(KnownSecrets.ACCOUNT_SID, "10.7.0.1", 32, null), domain);
        awaitReady("a", null);
        client.resources(SourceIpMapping.class).inNamespace(NS).withName("a").delete();
        await()
            .atMost(WAIT)
            .until(
                () ->
                    client.resources(SourceIpMapping.class).inNamespace(NS).withName("a").get()
                        == null);
        assertThat(emulator.faults().pendingScript()).isEmpty();
      } finally {
        OperatorJar.stop(operator);
      }

      // an API key, with JSON log lines
      Map<String, String> byKey = new java.util.HashMap<>(byToken);
      byKey.remove("TWILIO_AUTH_TOKEN");
      byKey.put("TWILIO_API_KEY", KnownSecrets.API_KEY_SID);
      byKey.put("TWILIO_API_SECRET", KnownSecrets.API_SECRET);
      byKey.put("LOG_FORMAT", "json");
      operator = operator(byKey, "by-api-key.log", outputs);
      try {
        apply("b", emulator.createIpRecord(KnownSecrets.ACCOUNT_SID, "10.7.0.2", 32, null), domain);
        awaitReady("b", null);
      } finally {
        OperatorJar.stop(operator);
      }

      // a token Twilio refuses
      Map<String, String> refused = new java.util.HashMap<>(byToken);
      refused.put("TWILIO_AUTH_TOKEN", KnownSecrets.WRONG_AUTH_TOKEN);
      operator = operator(refused, "refused.log", outputs);
      try {
        apply("c", emulator.createIpRecord(KnownSecrets.ACCOUNT_SID, "10.7.0.3", 32, null), domain);
        awaitReady("c", "CredentialsInvalid");
      } finally {
        OperatorJar.stop(operator);
      }
    }

    SecretScanner.Result scan = SecretScanner.forKnownSecrets().scan(outputs);
    assertThat(scan.findings()).as("lines holding a secret").isEmpty();
    for (Path output : outputs) {
      boolean json = output.endsWith("by-api-key.log");
      assertThat(Files.readString(output))
          .as("%s was written at TRACE, with the Kubernetes wire log", output)
          .contains(json ? "\"level\":\"TRACE\"" : " TRACE ", "HttpLoggingInterceptor")
          .contains("-HTTP START-")
          .contains(json ? "\"level\":\"DEBUG\"" : " DEBUG ", "HttpTwilioClient");
    }
  }

  private Process operator(Map<String, String> env, String log, List<Path> outputs)
      throws Exception {
    outputs.add(LOGS.resolve(log));
    return OperatorJar.start(
        LOGS, env, log, log, "operator", "--namespaces", NS, "--log-level", "TRACE");
  }

  private static void apply(String name, String ipRecordSid, String sipDomainSid) {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    r.setSpec(new SourceIpMappingSpec(ipRecordSid, sipDomainSid));
    client.resources(SourceIpMapping.class).inNamespace(NS).resource(r).create();
  }

  /** Ready=True, or Ready=False with {@code falseReason}: written by the operator process. */
  private static void awaitReady(String name, String falseReason) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              SourceIpMapping r =
                  client.resources(SourceIpMapping.class).inNamespace(NS).withName(name).get();
              assertThat(r.getStatus()).as("status of %s", name).isNotNull();
              assertThat(r.getStatus().getConditions())
                  .anyMatch(
                      c ->
                          ready(c)
                              && (falseReason == null
                                  ? "True".equals(c.getStatus())
                                  : falseReason.equals(c.getReason())));
            });
  }

  private static boolean ready(Condition c) {
    return "Ready".equals(c.getType());
  }
}
