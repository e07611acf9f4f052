package dev.byoc.sourceip.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.IpRecordStatus;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.reconciler.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sandbox's verdict over both kinds: Ready when all are, failed only on Stalled=True. */
class StatusTableTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void doneOnlyWhenEveryIpRecordAndMappingIsReady() {
    IpRecord ipRecord = ipRecord("pbx-east", ready());
    SourceIpMapping mapping = mapping("pbx-east", ready());

    assertThat(StatusTable.state(List.of(ipRecord, mapping))).isEqualTo(StatusTable.State.READY);
    assertThat(StatusTable.state(List.of(ipRecord("pbx-west", List.of()), mapping)))
        .isEqualTo(StatusTable.State.PENDING);
    assertThat(StatusTable.state(List.of())).isEqualTo(StatusTable.State.PENDING);
  }

  @Test
  void aMappingWaitingForItsIpRecordIsPendingNotFailed() {
    SourceIpMapping waiting =
        mapping("pbx-east", notReady("ReferenceNotReady", Conditions.RECONCILING));

    List<HasMetadata> all = List.of(ipRecord("pbx-east", List.of()), waiting);

    assertThat(StatusTable.state(all)).isEqualTo(StatusTable.State.PENDING);
    assertThat(StatusTable.failures(all)).isEmpty();
  }

  @Test
  void aStalledResourceOfEitherKindFailsTheSandboxWithItsReason() {
    SourceIpMapping unknownDomain =
        mapping("pbx-east", notReady("ReferenceNotReady", Conditions.STALLED));
    IpRecord conflict = ipRecord("pbx-west", notReady("Conflict", Conditions.STALLED));

    assertThat(StatusTable.state(List.of(unknownDomain))).isEqualTo(StatusTable.State.FAILED);
    assertThat(StatusTable.state(List.of(conflict, mapping("x", ready()))))
        .isEqualTo(StatusTable.State.FAILED);
    assertThat(StatusTable.failures(List.of(unknownDomain, conflict)))
        .containsExactly(
            "SourceIpMapping telephony/pbx-east: ReferenceNotReady: why",
            "IpRecord telephony/pbx-west: Conflict: why");
  }

  @Test
  void theTableHasABlockPerKindWithTheCrdsPrinterColumnsIpRecordsFirst() {
    IpRecord ipRecord = ipRecord("pbx-east", ready());
    ipRecord.getSpec().setIpAddress("203.0.113.10");
    String table = StatusTable.render(List.of(mapping("pbx-east", ready()), ipRecord));

    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0))
        .matches("IPRECORD +ADDRESS +PREFIX +READY +SYNCED +SID +MESSAGE")
        .doesNotContain(" AGE ");
    assertThat(lines.get(1))
        .matches("telephony/pbx-east +203.0.113.10 +- +True +True +IL1 +Available");
    assertThat(lines.get(2)).isEmpty();
    assertThat(lines.get(3))
        .matches("SOURCEIPMAPPING +READY +SYNCED +IP-RECORD +SID +DOMAIN +MESSAGE");
    assertThat(lines.get(4)).matches("telephony/pbx-east +True +True +- +IB1 +- +Available");
  }

  @Test
  void aResourceAppliedAnyWayIsAGenericObjectAndShowsTheSame() {
    GenericKubernetesResource generic =
        new KubernetesSerialization()
            .convertValue(mapping("pbx-west", ready()), GenericKubernetesResource.class);

    assertThat(StatusTable.state(List.of(generic))).isEqualTo(StatusTable.State.READY);
    assertThat(StatusTable.isReady(generic)).isTrue();
    assertThat(StatusTable.render(List.of(generic)).lines().skip(1).findFirst().orElseThrow())
        .startsWith("telephony/pbx-west");
  }

  private static List<Condition> ready() {
    List<Condition> c = new ArrayList<>();
    c = Conditions.with(c, Conditions.READY, true, "Available", "", 1, NOW);
    c = Conditions.with(c, Conditions.SYNCED, true, "Available", "", 1, NOW);
    c = Conditions.with(c, Conditions.STALLED, false, "Available", "", 1, NOW);
    return Conditions.with(c, Conditions.RECONCILING, false, "Available", "", 1, NOW);
  }

  /** Ready and Synced False with {@code reason}; {@code abnormal} (Stalled or Reconciling) True. */
  private static List<Condition> notReady(String reason, String abnormal) {
    List<Condition> c = new ArrayList<>();
    c = Conditions.with(c, Conditions.READY, false, reason, "why", 1, NOW);
    c = Conditions.with(c, Conditions.SYNCED, false, reason, "why", 1, NOW);
    for (String type : List.of(Conditions.STALLED, Conditions.RECONCILING)) {
      c = Conditions.with(c, type, type.equals(abnormal), reason, "why", 1, NOW);
    }
    return c;
  }

  private static IpRecord ipRecord(String name, List<Condition> conditions) {
    IpRecord r = new IpRecord();
    r.setMetadata(meta(name));
    r.setSpec(new IpRecordSpec());
    IpRecordStatus status = new IpRecordStatus();
    status.setSid(conditions.isEmpty() ? null : "IL1");
    status.setConditions(conditions);
    r.setStatus(status);
    return r;
  }

  private static SourceIpMapping mapping(String name, List<Condition> conditions) {
    SourceIpMapping m = new SourceIpMapping();
    m.setMetadata(meta(name));
    SourceIpMappingStatus status = new SourceIpMappingStatus();
    status.setSid("IB1");
    status.setConditions(conditions);
    m.setStatus(status);
    return m;
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta meta(String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace("telephony")
        .withGeneration(1L)
        .build();
  }
}
