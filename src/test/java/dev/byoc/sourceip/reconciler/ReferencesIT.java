package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.api.v1alpha1.ConditionedStatus;
import dev.byoc.sourceip.api.v1alpha1.EventReasons;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordReference;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.emulator.StoredIpRecord;
import dev.byoc.sourceip.testing.ConditionAssert;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IpRecords and mappings that name them (and their SIP domain) by name, end to end: fabric8's CRUD
 * mock API server and the Twilio emulator over HTTP.
 */
@EnableKubernetesMockClient(crud = true)
class ReferencesIT {
  static KubernetesClient client;
  static final String DOMAIN = "acme.sip.twilio.com";

  OperatorHarness h;

  @BeforeEach
  void setUp() {
    h = new OperatorHarness(client);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void oneApplyOfIpRecordsAndMappingsByNameConvergesToAllReady() {
    String domain = h.emulator.createSipDomain(OperatorHarness.ACCOUNT, DOMAIN);
    h.start();
    List<HasMetadata> all = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      all.add(ipRecord("pbx-" + i, "203.0.113." + i));
      all.add(mapping("route-" + i, "pbx-" + i));
    }
    Collections.shuffle(all, new Random(12)); // mappings often before the IpRecords they name

    all.forEach(this::create); // as kubectl apply -f of one file: one create each

    for (int i = 1; i <= 5; i++) {
      IpRecord ip = awaitReady(IpRecord.class, "pbx-" + i);
      SourceIpMapping m = awaitReady(SourceIpMapping.class, "route-" + i);
      assertThat(m.getStatus().getIpRecordSid()).isEqualTo(ip.getStatus().getSid());
      assertThat(m.getStatus().getSipDomainSid()).isEqualTo(domain);
      assertThat(ip.getStatus().getIpAddress()).isEqualTo("203.0.113." + i);
    }
    assertThat(h.emulator.ipRecordCount(OperatorHarness.ACCOUNT)).isEqualTo(5);
    assertThat(h.emulator.mappingCount(OperatorHarness.ACCOUNT)).isEqualTo(5);
    assertThat(h.count("POST", "/v1/IpRecords")).isEqualTo(5);
    assertThat(h.creates()).isEqualTo(5);
    assertThat(h.count("GET", "/v1/IpRecords/{Sid}")).isZero();
    assertThat(h.count("GET", "/v1/SourceIpMappings/{Sid}")).isZero();
  }

  @Test
  void aMappingAppliedBeforeItsIpRecordWaitsThenConvergesWithoutARestart() {
    h.emulator.createSipDomain(OperatorHarness.ACCOUNT, DOMAIN);
    h.start();
    create(mapping("early", "late-pbx"));

    SourceIpMapping waiting =
        awaitCondition(
            SourceIpMapping.class, "early", "Ready", "False", Reasons.REFERENCE_NOT_READY);
    assertThat(ConditionAssert.condition(waiting, "Reconciling").getStatus()).isEqualTo("True");
    assertThat(ConditionAssert.condition(waiting, "Stalled").getStatus()).isEqualTo("False");
    assertThat(h.creates()).isZero();

    create(ipRecord("late-pbx", "198.51.100.7"));

    awaitReady(IpRecord.class, "late-pbx");
    awaitReady(SourceIpMapping.class, "early");
    assertThat(h.emulator.mappingCount(OperatorHarness.ACCOUNT)).isEqualTo(1);
  }

  @Test
  void anIpRecordInUseIsNotDeletedAtTwilioUntilItsMappingsAreGone() {
    h.emulator.createSipDomain(OperatorHarness.ACCOUNT, DOMAIN);
    h.start();
    create(ipRecord("shared", "192.0.2.10"));
    create(mapping("a", "shared"));
    create(mapping("b", "shared"));
    awaitReady(SourceIpMapping.class, "a");
    // one mapping per IP record: b waits as a Conflict, but it names the IpRecord all the same
    awaitCondition(SourceIpMapping.class, "b", "Ready", "False", Reasons.CONFLICT);

    client.resources(IpRecord.class).inNamespace(h.ns).withName("shared").delete();

    IpRecord held = awaitCondition(IpRecord.class, "shared", "Synced", "False", Reasons.DELETING);
    assertThat(ConditionAssert.condition(held, "Synced").getMessage())
        .contains(h.ns + "/a")
        .contains(h.ns + "/b");
    assertThat(held.getStatus().getUsedBy()).containsExactly(h.ns + "/a", h.ns + "/b");
    assertThat(h.emulator.ipRecordCount(OperatorHarness.ACCOUNT)).isEqualTo(1);

    client.resources(SourceIpMapping.class).inNamespace(h.ns).withName("a").delete();
    client.resources(SourceIpMapping.class).inNamespace(h.ns).withName("b").delete();

    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                client.resources(IpRecord.class).inNamespace(h.ns).withName("shared").get()
                    == null);
    assertThat(h.emulator.ipRecordCount(OperatorHarness.ACCOUNT)).isZero();
    assertThat(h.emulator.mappingCount(OperatorHarness.ACCOUNT)).isZero();
  }

  @Test
  void anAdoptedMappingDeletedOutOfBandIsRecreatedAndTheAnnotationCalledStale() {
    String ip = h.newIpRecord();
    String domain = h.newDomain();
    String exported = h.emulator.createSourceIpMapping(OperatorHarness.ACCOUNT, ip, domain);
    h.resync(Duration.ofSeconds(2)).start();
    SourceIpMapping r = h.resource("exported", ip, domain);
    r.getMetadata().setAnnotations(Map.of(SourceIpMapping.EXTERNAL_SID_ANNOTATION, exported));
    h.apply(r);
    assertThat(h.awaitReady("exported").getStatus().getAdoptedExternalSid()).isEqualTo(exported);

    h.emulator.deleteSourceIpMapping(OperatorHarness.ACCOUNT, exported);

    SourceIpMapping repaired =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> h.get("exported"),
                m -> m.getStatus().getSid() != null && !exported.equals(m.getStatus().getSid()));
    assertThat(h.awaitReady("exported").getStatus().getSid())
        .isEqualTo(repaired.getStatus().getSid());
    assertThat(h.emulator.mappingCount(OperatorHarness.ACCOUNT)).isEqualTo(1);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                h.events("exported").stream()
                    .anyMatch(
                        e ->
                            EventReasons.RECREATED.equals(e.getReason())
                                && "Warning".equals(e.getType())));
  }

  @Test
  void anIpRecordDeletedAtTwilioIsRecreated() {
    h.resync(Duration.ofSeconds(2)).start();
    create(ipRecord("pbx", "203.0.113.99"));
    String first = awaitReady(IpRecord.class, "pbx").getStatus().getSid();

    h.twilio.deleteIpRecord(first);

    IpRecord again =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> client.resources(IpRecord.class).inNamespace(h.ns).withName("pbx").get(),
                r -> r.getStatus().getSid() != null && !first.equals(r.getStatus().getSid()));
    assertThat(h.emulator.ipRecords(OperatorHarness.ACCOUNT))
        .extracting(StoredIpRecord::ipAddress)
        .containsExactly("203.0.113.99");
    assertThat(again.getStatus().getIpAddress()).isEqualTo("203.0.113.99");
  }

  // ---- helpers ------------------------------------------------------------------------------

  IpRecord ipRecord(String name, String address) {
    IpRecord r = new IpRecord();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(h.ns).build());
    IpRecordSpec spec = new IpRecordSpec(address);
    spec.setFriendlyName("PBX " + name);
    r.setSpec(spec);
    return r;
  }

  SourceIpMapping mapping(String name, String ipRecordName) {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(h.ns).build());
    SourceIpMappingSpec spec = new SourceIpMappingSpec();
    spec.setIpRecordRef(new IpRecordReference(ipRecordName));
    spec.setSipDomainName(DOMAIN);
    r.setSpec(spec);
    return r;
  }

  <R extends HasMetadata> void create(R resource) {
    client.resource(resource).inNamespace(h.ns).create();
  }

  <R extends CustomResource<?, ? extends ConditionedStatus>> R awaitReady(
      Class<R> kind, String name) {
    return awaitCondition(kind, name, "Ready", "True", Reasons.AVAILABLE);
  }

  <R extends CustomResource<?, ? extends ConditionedStatus>> R awaitCondition(
      Class<R> kind, String name, String type, String status, String reason) {
    return ConditionAssert.awaitCondition(
        () -> client.resources(kind).inNamespace(h.ns).withName(name).get(),
        type,
        status,
        reason,
        OperatorHarness.WAIT);
  }
}
