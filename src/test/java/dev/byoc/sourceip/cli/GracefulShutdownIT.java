package dev.byoc.sourceip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.ProcessLogs;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.emulator.StoredSourceIpMapping;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.reconciler.Conditions;
import dev.byoc.sourceip.testing.EmulatorExtension;
import dev.byoc.sourceip.testing.MockApiServer;
import dev.byoc.sourceip.testing.ShippedJar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the shipped jar in the middle of a converge: it finishes the reconciles in flight,
 * exits 0 and leaves nothing half-written (every mapping at Twilio is in some resource's status); a
 * restart finishes the job with no duplicate and no create repeated.
 */
class GracefulShutdownIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String NS = "telephony";
  static final int N = 100;
  static final Path LOGS = ProcessLogs.dir("GracefulShutdownIT");

  @TempDir Path temp; // the kubeconfig (it holds the bearer token) stays out of the logs folder

  // 400 ms a create at 10 in flight: 100 creates take about 4 s, long enough to stop midway
  @RegisterExtension
  final EmulatorExtension twilio =
      EmulatorExtension.withKnownAccount()
          .faults(FaultSettings.none().withLatencyMs(400).withMethods(Set.of("POST")).withSeed(1L));

  private TwilioEmulator emulator;
  private MockApiServer api;
  private KubernetesClient client;
  private Path kubeconfig;

  @BeforeEach
  void start() throws Exception {
    emulator = twilio.emulator();
    api = MockApiServer.start(new KubernetesCrudDispatcher(List.of()), "admin");
    client = api.client("admin");
    kubeconfig = api.writeKubeconfig(temp.resolve("kubeconfig"), KnownSecrets.KUBERNETES_TOKEN);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  @Test
  void sigtermMidConvergeExitsZeroLeavesNoHalfWrittenStateAndARestartFinishesWithoutDuplicates()
      throws Exception {
    String domain = emulator.createSipDomain(ACCOUNT, "shutdown.sip.twilio.com");
    for (int i = 0; i < N; i++) {
      String ip = emulator.createIpRecord(ACCOUNT, "10.1." + (i / 250) + "." + (i % 250), 32, null);
      SourceIpMapping r = new SourceIpMapping();
      r.setMetadata(new ObjectMetaBuilder().withName("m" + i).withNamespace(NS).build());
      r.setSpec(new SourceIpMappingSpec(ip, domain));
      client.resources(SourceIpMapping.class).inNamespace(NS).resource(r).create();
    }

    Process first = operator("first.log");
    await()
        .atMost(Duration.ofSeconds(60))
        .failFast("the operator exited", () -> !first.isAlive())
        .until(() -> emulator.mappingCount(ACCOUNT) >= 10);
    first.destroy(); // SIGTERM
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("stopped within the grace period").isTrue();
    int created = emulator.mappingCount(ACCOUNT);
    String log = Files.readString(LOGS.resolve("first.log"));

    assertThat(first.exitValue()).as(log).isZero();
    assertThat(log).contains("Stopping: no new work").contains("Stopped");
    assertThat(created).as("stopped midway").isLessThan(N);
    // nothing half-written: every mapping Twilio holds is named, Ready, in its resource's status
    Map<String, String> recorded = recordedSids();
    assertThat(emulator.sourceIpMappings(ACCOUNT).stream().map(StoredSourceIpMapping::sid))
        .allSatisfy(sid -> assertThat(recorded).as("status names " + sid).containsValue(sid));
    assertThat(recorded).hasSize(created);

    Process second = operator("second.log");
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .failFast("the operator exited", () -> !second.isAlive())
          .until(() -> recordedSids().size() == N);
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(second.exitValue()).isZero();
    assertThat(emulator.mappingCount(ACCOUNT)).isEqualTo(N);
    assertThat(emulator.duplicateMappings()).isEmpty();
    assertThat(emulator.counters().count("POST", "/v1/SourceIpMappings"))
        .as("one create per resource over both runs")
        .isEqualTo(N);
    assertThat(Set.copyOf(recordedSids().values()))
        .isEqualTo(
            emulator.sourceIpMappings(ACCOUNT).stream()
                .map(StoredSourceIpMapping::sid)
                .collect(Collectors.toSet()));
  }

  /** Resource name to the SID its status names, for resources Ready at their generation. */
  private Map<String, String> recordedSids() {
    return client.resources(SourceIpMapping.class).inNamespace(NS).list().getItems().stream()
        .filter(r -> r.getStatus() != null && r.getStatus().getSid() != null)
        .filter(r -> Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY))
        .collect(Collectors.toMap(r -> r.getMetadata().getName(), r -> r.getStatus().getSid()));
  }

  private Process operator(String logName) throws Exception {
    ProcessBuilder builder =
        ShippedJar.process(
            List.of(), List.of("operator"), OperatorJar.env(kubeconfig, emulator.baseUrl(), NS));
    builder.redirectErrorStream(true).redirectOutput(LOGS.resolve(logName).toFile());
    return Objects.requireNonNull(builder.start());
  }
}
