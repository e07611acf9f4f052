package dev.byoc.sourceip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.ProcessLogs;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.health.ManagementPaths;
import dev.byoc.sourceip.reconciler.Conditions;
import dev.byoc.sourceip.testing.EmulatorExtension;
import dev.byoc.sourceip.testing.MockApiServer;
import dev.byoc.sourceip.testing.RulesReviewingDispatcher;
import dev.byoc.sourceip.testing.Scrape;
import dev.byoc.sourceip.testing.ShippedJar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operator processes sharing one API server. With leader election, three replicas: one acts, the
 * standbys send nothing to Twilio (each replica has its own API key of the same account, so the
 * emulator's per-key counters tell them apart), and when the leader is killed hard another takes
 * over and converges what changed meanwhile without a duplicate. With disjoint label selectors, two
 * operators split the resources, and one outside both selectors is never touched.
 */
class HighAvailabilityIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String NS = "telephony";
  static final String LEASE_NS = "sourceip-system";
  static final Path LOGS = ProcessLogs.dir("HighAvailabilityIT");

  /** JOSDK's default lease duration. */
  static final Duration LEASE = Duration.ofSeconds(15);

  @TempDir Path temp;

  @RegisterExtension
  final EmulatorExtension twilio = EmulatorExtension.withKnownAccount().replicaKeys(3);

  private TwilioEmulator emulator;
  private RulesReviewingDispatcher dispatcher;
  private MockApiServer api;
  private KubernetesClient client;
  private final List<Replica> replicas = new ArrayList<>();

  record Replica(int index, Process process, String metricsUrl, String keySid) {
    boolean leads() {
      try {
        return Scrape.get(metricsUrl).sum("sourceip_leader", Map.of()) == 1;
      } catch (RuntimeException e) {
        return false; // not serving (yet, or any more)
      }
    }
  }

  @BeforeEach
  void start() {
    emulator = twilio.emulator();
    dispatcher = new RulesReviewingDispatcher();
    api = MockApiServer.start(dispatcher, "admin");
    client = api.client("admin");
    for (String ns : List.of(NS, LEASE_NS)) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Replica r : replicas) {
      r.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    client.close();
    api.close();
  }

  @Test
  void theMockApiServerRefusesAStaleResourceVersionAsLeaderElectionNeeds() {
    // leader election is optimistic locking on a Lease: a replace with an old resourceVersion
    // must fail, or two replicas could both believe they took it
    Lease created =
        client
            .resource(
                new LeaseBuilder()
                    .withNewMetadata()
                    .withName("probe")
                    .withNamespace(LEASE_NS)
                    .endMetadata()
                    .withNewSpec()
                    .withHolderIdentity("a")
                    .endSpec()
                    .build())
            .create();
    Lease first = new LeaseBuilder(created).editSpec().withHolderIdentity("b").endSpec().build();
    client.resource(first).update();
    Lease stale = new LeaseBuilder(created).editSpec().withHolderIdentity("c").endSpec().build();

    assertThatThrownBy(() -> client.resource(stale).update())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(409));
  }

  @Test
  void exactlyOneReplicaActsAndAnotherTakesOverWhenItIsKilled() throws Exception {
    String domain = emulator.createSipDomain(ACCOUNT, "ha.sip.twilio.com");
    for (int i = 0; i < 20; i++) {
      apply("m" + i, domain);
    }
    for (int i = 0; i < 3; i++) {
      replicas.add(replica(i));
    }

    awaitReady(20);
    Replica leader = await().atMost(Duration.ofSeconds(30)).until(this::leader, r -> r != null);
    for (Replica r : replicas) {
      String readyz = r.metricsUrl().replace(ManagementPaths.METRICS, ManagementPaths.READYZ);
      // a standby too is ready, so a rolling update proceeds
      await().atMost(Duration.ofSeconds(30)).until(() -> status(readyz) == 200);
      if (r != leader) {
        assertThat(emulator.counters().byUser(r.keySid()))
            .as("standby %d sent nothing to Twilio", r.index())
            .isZero();
        assertThat(dispatcher.writesOtherThanLeasesBy(token(r.index())))
            .as("standby %d wrote nothing to Kubernetes but the Lease", r.index())
            .isZero();
      }
    }
    assertThat(emulator.counters().byUser(leader.keySid())).isGreaterThanOrEqualTo(21);

    leader.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS); // no lease released
    long killedAt = System.nanoTime();
    for (int i = 20; i < 30; i++) {
      apply("m" + i, domain);
    }
    client.resources(SourceIpMapping.class).inNamespace(NS).withName("m0").delete();

    Replica next =
        await().atMost(LEASE.plusSeconds(30)).until(this::leader, r -> r != null && r != leader);
    awaitReady(29);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.resources(SourceIpMapping.class).inNamespace(NS).withName("m0").get()
                    == null);
    Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);

    assertThat(emulator.mappingCount(ACCOUNT)).isEqualTo(29);
    assertThat(emulator.duplicateMappings()).isEmpty();
    assertThat(emulator.counters().count("POST", "/v1/SourceIpMappings")).isEqualTo(30);
    for (Replica r : replicas) {
      if (r != leader && r != next) {
        assertThat(emulator.counters().byUser(r.keySid()))
            .as("the remaining standby %d sent nothing to Twilio", r.index())
            .isZero();
        assertThat(dispatcher.writesOtherThanLeasesBy(token(r.index())))
            .as("the remaining standby %d wrote nothing to Kubernetes but the Lease", r.index())
            .isZero();
      }
    }
    System.out.printf(
        "leader election: replica %d took over from replica %d, converged %s after the kill%n",
        next.index(), leader.index(), takeover);
  }

  private Replica leader() {
    List<Replica> leading =
        replicas.stream().filter(r -> r.process().isAlive()).filter(Replica::leads).toList();
    assertThat(leading).as("at most one replica leads").hasSizeLessThanOrEqualTo(1);
    return leading.isEmpty() ? null : leading.get(0);
  }

  private Replica replica(int i) throws Exception {
    return replica(
        i,
        Map.of("SOURCEIP_LEADER_ELECTION", "true", "SOURCEIP_LEASE_NAMESPACE", LEASE_NS),
        "replica-" + i + ".log");
  }

  private Replica replica(int i, Map<String, String> settings, String log) throws Exception {
    int port = freePort();
    Map<String, String> env =
        OperatorJar.env(
            api.writeKubeconfig(temp.resolve("kubeconfig-" + i), token(i)), emulator.baseUrl(), NS);
    env.remove("TWILIO_AUTH_TOKEN");
    env.put("TWILIO_API_KEY", KnownSecrets.REPLICA_KEY_SIDS.get(i));
    env.put("TWILIO_API_SECRET", KnownSecrets.REPLICA_SECRETS.get(i));
    env.putAll(settings);
    env.put("SOURCEIP_MANAGEMENT_PORT", Integer.toString(port));
    env.put("SOURCEIP_RESYNC_INTERVAL", "5s");
    ProcessBuilder builder = ShippedJar.process(List.of(), List.of("operator"), env);
    builder.redirectErrorStream(true).redirectOutput(LOGS.resolve(log).toFile());
    return new Replica(
        i,
        builder.start(),
        "http://127.0.0.1:" + port + ManagementPaths.METRICS,
        KnownSecrets.REPLICA_KEY_SIDS.get(i));
  }

  @Test
  void operatorsWithDisjointLabelSelectorsSplitTheResourcesAndTouchNothingOutside()
      throws Exception {
    String domain = emulator.createSipDomain(ACCOUNT, "shards.sip.twilio.com");
    apply("m1", domain, Map.of("shard", "a"));
    apply("m2", domain, Map.of("shard", "b"));
    apply("m3", domain, Map.of("shard", "c"));
    replicas.add(replica(0, Map.of("SOURCEIP_LABEL_SELECTOR", "shard=a"), "shard-a.log"));
    // equality-based: fabric8's CRUD mock ignores set-based selectors ("shard in (b)")
    replicas.add(replica(1, Map.of("SOURCEIP_LABEL_SELECTOR", "shard=b"), "shard-b.log"));

    awaitReady(2);
    SourceIpMapping a = get("m1");
    SourceIpMapping b = get("m2");
    assertThat(emulator.counters().byUser(replicas.get(0).keySid())).isPositive();
    assertThat(emulator.counters().byUser(replicas.get(1).keySid())).isPositive();
    assertThat(emulator.counters().count("POST", "/v1/SourceIpMappings")).isEqualTo(2);
    assertThat(a.getMetadata().getFinalizers()).containsExactly(SourceIpMapping.FINALIZER);
    assertThat(b.getMetadata().getFinalizers()).containsExactly(SourceIpMapping.FINALIZER);

    // outside both selectors: no finalizer, no status, no mapping; its deletion is not held
    SourceIpMapping outside = get("m3");
    assertThat(outside.getMetadata().getFinalizers()).isEmpty();
    assertThat(outside.getStatus()).isNull();
    client.resources(SourceIpMapping.class).inNamespace(NS).withName("m3").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> get("m3") == null);

    // each operator's metrics count only its own shard
    for (Replica r : replicas) {
      assertThat(
              Scrape.get(r.metricsUrl()).sum("sourceip_resources", Map.of("reason", "Available")))
          .as("replica %d counts its one resource", r.index())
          .isEqualTo(1);
    }
    assertThat(emulator.mappingCount(ACCOUNT)).isEqualTo(2);
  }

  private SourceIpMapping get(String name) {
    return client.resources(SourceIpMapping.class).inNamespace(NS).withName(name).get();
  }

  private void apply(String name, String domain) {
    apply(name, domain, Map.of());
  }

  private void apply(String name, String domain, Map<String, String> labels) {
    String ip =
        emulator.createIpRecord(ACCOUNT, "10.3.0." + Integer.parseInt(name.substring(1)), 32, null);
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(NS).withLabels(labels).build());
    r.setSpec(new SourceIpMappingSpec(ip, domain));
    client.resources(SourceIpMapping.class).inNamespace(NS).resource(r).create();
  }

  private void awaitReady(int n) {
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                client.resources(SourceIpMapping.class).inNamespace(NS).list().getItems().stream()
                        .filter(r -> r.getMetadata().getDeletionTimestamp() == null)
                        .filter(r -> r.getStatus() != null)
                        .filter(
                            r -> Conditions.isTrue(r.getStatus().getConditions(), Conditions.READY))
                        .count()
                    == n);
  }

  private static int status(String url) throws IOException {
    try (okhttp3.Response response =
        new okhttp3.OkHttpClient()
            .newCall(new okhttp3.Request.Builder().url(url).build())
            .execute()) {
      return response.code();
    }
  }

  /** Each replica's own bearer token, so the API server can tell their writes apart. */
  private static String token(int replica) {
    return "replica-" + replica;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
