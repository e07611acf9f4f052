package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.api.v1alpha1.CredentialsSecretRef;
import dev.byoc.sourceip.api.v1alpha1.EventReasons;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.PruneMode;
import dev.byoc.sourceip.api.v1alpha1.PruneSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccountSpec;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccountStatus;
import dev.byoc.sourceip.emulator.StoredIpRecord;
import dev.byoc.sourceip.emulator.StoredSourceIpMapping;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pruning end to end: a namespace's TwilioAccount {@code default} (the operator itself has no
 * credentials) over the emulator, with objects at Twilio that some resources claim and some not.
 */
@EnableKubernetesMockClient(crud = true)
class PruneIT {
  static KubernetesClient client;
  static final String ACCOUNT = OperatorHarness.ACCOUNT;
  static final Duration WAIT = Duration.ofSeconds(20);

  OperatorHarness h;
  String domain;

  @BeforeEach
  void setUp() {
    h = new OperatorHarness(client).resync(Duration.ofSeconds(2));
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(h.ns).endMetadata().build())
        .createOr(c -> c.update());
    client
        .secrets()
        .inNamespace(h.ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("twilio")
                .withNamespace(h.ns)
                .addToLabels(CredentialsSecretRef.LABEL, "true")
                .endMetadata()
                .addToData("accountSid", base64(ACCOUNT))
                .addToData("authToken", base64(OperatorHarness.TOKEN))
                .build())
        .create();
    domain = h.emulator.createSipDomain(ACCOUNT, "pbx.sip.twilio.com");
  }

  @AfterEach
  void tearDown() {
    h.close();
    // this operator watches every namespace: leave nothing for the next test's operator to
    // reconcile (its emulator hands out the same SIDs)
    for (Class<? extends io.fabric8.kubernetes.api.model.HasMetadata> kind :
        List.of(SourceIpMapping.class, IpRecord.class, TwilioAccount.class)) {
      client
          .resources(kind)
          .inNamespace(h.ns)
          .list()
          .getItems()
          .forEach(
              r -> {
                r.getMetadata().setFinalizers(List.of());
                client.resource(r).update();
                client.resource(r).delete();
              });
    }
  }

  @Test
  void reportNamesExactlyTheUnclaimedThenDeleteRemovesExactlyThose() throws Exception {
    // claimed: A by an IpRecord at its address, C and its mapping by a SourceIpMapping
    String a = h.emulator.createIpRecord(ACCOUNT, "203.0.113.1", 32, null);
    String b = h.emulator.createIpRecord(ACCOUNT, "203.0.113.2", 32, null);
    String c = h.emulator.createIpRecord(ACCOUNT, "203.0.113.3", 32, null);
    String d = h.emulator.createIpRecord(ACCOUNT, "203.0.113.4", 32, null);
    String mc = h.emulator.createSourceIpMapping(ACCOUNT, c, domain);
    String md = h.emulator.createSourceIpMapping(ACCOUNT, d, domain);
    createAccount(prune(PruneMode.Report, null, null));
    client
        .resources(IpRecord.class)
        .inNamespace(h.ns)
        .resource(ipRecord("pbx-a", "203.0.113.1"))
        .create();
    client
        .resources(SourceIpMapping.class)
        .inNamespace(h.ns)
        .resource(mapping("route-c", c))
        .create();
    startOperator();

    TwilioAccountStatus reported =
        awaitStatus(
            s ->
                s.getUnclaimedCount() != null && Integer.valueOf(1).equals(s.getClaimedMappings()));

    // mappings first, then IP records, each sorted
    assertThat(reported.getUnclaimed())
        .containsExactlyElementsOf(Stream.concat(Stream.of(md), Stream.of(b, d).sorted()).toList());
    assertThat(reported.getUnclaimedCount()).isEqualTo(3);
    assertThat(reported.getMappings()).isEqualTo(2);
    assertThat(reported.getIpRecords()).isEqualTo(4);
    assertThat(reported.getClaimedIpRecords()).isEqualTo(2);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events(EventReasons.UNCLAIMED))
                    .extracting(Event::getMessage)
                    .hasSize(3)
                    .anyMatch(m -> m.contains(md))
                    .anyMatch(m -> m.contains(b))
                    .anyMatch(m -> m.contains(d)));
    // the claims are real: the resources took their objects
    await().atMost(WAIT).until(() -> mappingSid("route-c") != null && ipRecordSid("pbx-a") != null);
    assertThat(mappingSid("route-c")).isEqualTo(mc);
    assertThat(ipRecordSid("pbx-a")).isEqualTo(a);
    Thread.sleep(2500); // more than one resync interval of Report: still nothing deleted
    assertThat(h.count("DELETE", "/v1/SourceIpMappings/{Sid}")).isZero();
    assertThat(h.count("DELETE", "/v1/IpRecords/{Sid}")).isZero();
    assertThat(h.emulator.mappingCount(ACCOUNT)).isEqualTo(2);
    assertThat(h.emulator.ipRecordCount(ACCOUNT)).isEqualTo(4);
    assertThat(events(EventReasons.UNCLAIMED)).hasSize(3);

    editAccount(prune(PruneMode.Delete, "1s", 100));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(twilioMappings()).containsExactly(mc);
              assertThat(twilioIpRecords()).containsExactlyInAnyOrder(a, c);
            });
    TwilioAccountStatus pruned = awaitStatus(s -> Integer.valueOf(0).equals(s.getUnclaimedCount()));
    assertThat(pruned.getUnclaimed()).isNull();
    assertThat(events(EventReasons.PRUNED))
        .extracting(Event::getMessage)
        .hasSize(3)
        .anyMatch(m -> m.contains(md))
        .anyMatch(m -> m.contains(b))
        .anyMatch(m -> m.contains(d));
    assertThat(events(EventReasons.PRUNE_HELD)).isEmpty();
    assertThat(h.count("DELETE", "/v1/SourceIpMappings/{Sid}")).isEqualTo(1);
    assertThat(h.count("DELETE", "/v1/IpRecords/{Sid}")).isEqualTo(2);
  }

  @Test
  void maxDeletePercentHoldsTheRestUntilTheNextInterval() throws Exception {
    for (int i = 1; i <= 10; i++) {
      String ip = h.emulator.createIpRecord(ACCOUNT, "198.51.100." + i, 32, null);
      h.emulator.createSourceIpMapping(ACCOUNT, ip, domain);
    }
    TwilioAccount account = account(prune(PruneMode.Delete, "1s", 10));
    account.getSpec().setResyncInterval("1h"); // the next interval is far away
    client.resources(TwilioAccount.class).inNamespace(h.ns).resource(account).create();
    startOperator();

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(events(EventReasons.PRUNE_HELD)).isNotEmpty());
    Thread.sleep(3000); // several rounds at the grace period: none deletes more

    System.err.println(
        "DELS "
            + h.count("DELETE", "/v1/SourceIpMappings/{Sid}")
            + " "
            + h.count("DELETE", "/v1/IpRecords/{Sid}")
            + " "
            + h.count("GET", "/v1/SourceIpMappings")
            + " "
            + h.emulator.sourceIpMappings(ACCOUNT).size()
            + " ipr "
            + h.emulator.ipRecordCount(ACCOUNT));
    // 10% of 10 is one of each kind: one mapping, then the IP record it freed
    assertThat(h.emulator.mappingCount(ACCOUNT)).isEqualTo(9);
    assertThat(h.emulator.ipRecordCount(ACCOUNT)).isEqualTo(9);
    assertThat(events(EventReasons.PRUNED)).hasSize(2);
    // held until the next interval: not looked at again (and warned of) at every grace period
    assertThat(events(EventReasons.PRUNE_HELD))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage()).contains("10%");
              assertThat(e.getCount()).isIn(null, 1);
            });
    assertThat(status().getUnclaimedCount()).isEqualTo(18);
  }

  // ---- helpers --------------------------------------------------------------------------------

  void startOperator() {
    // every namespace: an operator that watches only some cannot see every claim, and never deletes
    h.startFromEnvironment(Map.of("SOURCEIP_CLUSTER_ACCOUNTS", "false", "SOURCEIP_NAMESPACES", ""));
  }

  static PruneSpec prune(PruneMode mode, String grace, Integer percent) {
    PruneSpec prune = new PruneSpec();
    prune.setMode(mode);
    prune.setGracePeriod(grace);
    prune.setMaxDeletePercent(percent);
    return prune;
  }

  TwilioAccount account(PruneSpec prune) {
    TwilioAccount account = new TwilioAccount();
    account.setMetadata(new ObjectMetaBuilder().withName("default").withNamespace(h.ns).build());
    TwilioAccountSpec spec = new TwilioAccountSpec();
    spec.setCredentialsSecretRef(new CredentialsSecretRef("twilio"));
    spec.setPrune(prune);
    account.setSpec(spec);
    return account;
  }

  void createAccount(PruneSpec prune) {
    client.resources(TwilioAccount.class).inNamespace(h.ns).resource(account(prune)).create();
  }

  void editAccount(PruneSpec prune) {
    client
        .resources(TwilioAccount.class)
        .inNamespace(h.ns)
        .withName("default")
        .edit(
            a -> {
              a.getSpec().setPrune(prune);
              return a;
            });
  }

  TwilioAccountStatus status() {
    TwilioAccount a =
        client.resources(TwilioAccount.class).inNamespace(h.ns).withName("default").get();
    return a == null ? null : a.getStatus();
  }

  TwilioAccountStatus awaitStatus(java.util.function.Predicate<TwilioAccountStatus> done) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(this::status, s -> s != null && done.test(s));
  }

  List<Event> events(String reason) {
    return h.events("default").stream().filter(e -> reason.equals(e.getReason())).toList();
  }

  String mappingSid(String name) {
    SourceIpMapping m =
        client.resources(SourceIpMapping.class).inNamespace(h.ns).withName(name).get();
    return m == null || m.getStatus() == null ? null : m.getStatus().getSid();
  }

  String ipRecordSid(String name) {
    IpRecord r = client.resources(IpRecord.class).inNamespace(h.ns).withName(name).get();
    return r == null || r.getStatus() == null ? null : r.getStatus().getSid();
  }

  List<String> twilioMappings() {
    return h.emulator.sourceIpMappings(ACCOUNT).stream().map(StoredSourceIpMapping::sid).toList();
  }

  List<String> twilioIpRecords() {
    return h.emulator.ipRecords(ACCOUNT).stream().map(StoredIpRecord::sid).toList();
  }

  SourceIpMapping mapping(String name, String ipRecordSid) {
    SourceIpMapping m = new SourceIpMapping();
    m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(h.ns).build());
    m.setSpec(new SourceIpMappingSpec(ipRecordSid, domain));
    return m;
  }

  IpRecord ipRecord(String name, String address) {
    IpRecord r = new IpRecord();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(h.ns).build());
    IpRecordSpec spec = new IpRecordSpec();
    spec.setIpAddress(address);
    r.setSpec(spec);
    return r;
  }

  static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
