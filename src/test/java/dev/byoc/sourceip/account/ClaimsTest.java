package dev.byoc.sourceip.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordReference;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.IpRecordStatus;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimsTest {
  static final String IL1 = sid("IL", 1);
  static final String IL2 = sid("IL", 2);
  static final String IB1 = sid("IB", 1);
  static final String IB2 = sid("IB", 2);

  final TwilioIpRecord record1 = ipRecord(IL1, "10.0.0.1", 32);
  final TwilioIpRecord record2 = ipRecord(IL2, "10.0.0.2", 32);
  final TwilioMapping mapping1 = mapping(IB1, IL1);
  final TwilioMapping mapping2 = mapping(IB2, IL2);
  final List<TwilioMapping> mappings = List.of(mapping1, mapping2);
  final List<TwilioIpRecord> records = List.of(record1, record2);

  @Test
  void nothingIsClaimedWithoutResources() {
    Claims.Unclaimed unclaimed = Claims.of(List.of(), List.of()).unclaimed(mappings, records);

    assertThat(unclaimed.mappings()).containsExactly(IB1, IB2);
    assertThat(unclaimed.ipRecords()).containsExactly(IL1, IL2);
    assertThat(unclaimed.all()).containsExactly(IB1, IB2, IL1, IL2);
    assertThat(unclaimed.claimedMappings()).isZero();
    assertThat(unclaimed.claimedIpRecords()).isZero();
  }

  @Test
  void aMappingsStatusSidClaimsThatMappingAndNotAnother() {
    SourceIpMapping m = sourceIpMapping("a", null);
    m.getStatus().setSid(IB1);

    Claims claims = Claims.of(List.of(m), List.of());

    assertThat(claims.unclaimed(mappings, records).mappings()).doesNotContain(IB1);
    assertThat(claims.unclaimed(mappings, records).mappings()).contains(IB2);
  }

  @Test
  void theExternalSidAnnotationClaimsTheObjectItNames() {
    SourceIpMapping m = sourceIpMapping("a", null);
    m.getMetadata().setAnnotations(Map.of(SourceIpMapping.EXTERNAL_SID_ANNOTATION, IB2));
    IpRecord r = ipRecordResource("r", "192.0.2.9", null);
    r.getMetadata().setAnnotations(Map.of(IpRecord.EXTERNAL_SID_ANNOTATION, IL1));

    Claims claims = Claims.of(List.of(m), List.of(r));

    assertThat(claims.unclaimed(mappings, records).mappings()).doesNotContain(IB2);
    assertThat(claims.unclaimed(mappings, records).mappings()).contains(IB1);
    assertThat(claims.claims(record1, List.of())).isTrue();
    assertThat(claims.claims(record2, List.of())).isFalse();
  }

  @Test
  void anAdoptedExternalSidClaimsTheObject() {
    SourceIpMapping m = sourceIpMapping("a", null);
    m.getStatus().setAdoptedExternalSid(IB1);
    IpRecord r = ipRecordResource("r", "192.0.2.9", null);
    r.getStatus().setAdoptedExternalSid(IL2);

    Claims claims = Claims.of(List.of(m), List.of(r));

    assertThat(claims.unclaimed(mappings, records).mappings()).doesNotContain(IB1);
    assertThat(claims.unclaimed(mappings, records).mappings()).contains(IB2);
    assertThat(claims.claims(record2, List.of())).isTrue();
    assertThat(claims.claims(record1, List.of())).isFalse();
  }

  @Test
  void anIpRecordsStatusSidClaimsThatIpRecordButNotItsMapping() {
    IpRecord r = ipRecordResource("r", "192.0.2.9", null);
    r.getStatus().setSid(IL1);

    Claims.Unclaimed unclaimed = Claims.of(List.of(), List.of(r)).unclaimed(mappings, records);

    assertThat(unclaimed.ipRecords()).containsExactly(IL2);
    assertThat(unclaimed.mappings()).containsExactly(IB1, IB2);
  }

  @Test
  void aMappingWantingAnIpRecordBySpecSidClaimsTheIpRecordAndItsMapping() {
    SourceIpMapping m = sourceIpMapping("a", IL1); // not made yet: no status.sid

    Claims.Unclaimed unclaimed = Claims.of(List.of(m), List.of()).unclaimed(mappings, records);

    assertThat(unclaimed.mappings()).containsExactly(IB2);
    assertThat(unclaimed.ipRecords()).containsExactly(IL2);
    assertThat(unclaimed.claimedMappings()).isEqualTo(1);
    assertThat(unclaimed.claimedIpRecords()).isEqualTo(1);
  }

  @Test
  void aMappingWantingAnIpRecordByItsStatusClaimsTheIpRecordAndItsMapping() {
    SourceIpMapping m = sourceIpMapping("a", null);
    m.getStatus().setIpRecordSid(IL2);

    Claims.Unclaimed unclaimed = Claims.of(List.of(m), List.of()).unclaimed(mappings, records);

    assertThat(unclaimed.mappings()).containsExactly(IB1);
    assertThat(unclaimed.ipRecords()).containsExactly(IL1);
  }

  @Test
  void aMappingWantingAnIpRecordByRefClaimsTheSidInThatIpRecordsStatus() {
    IpRecord r = ipRecordResource("office", "192.0.2.9", null); // address claims nothing here
    r.getStatus().setSid(IL2);
    SourceIpMapping m = sourceIpMapping("a", null);
    m.getSpec().setIpRecordRef(new IpRecordReference("office"));

    Claims.Unclaimed unclaimed = Claims.of(List.of(m), List.of(r)).unclaimed(mappings, records);

    assertThat(unclaimed.mappings()).containsExactly(IB1);
    assertThat(unclaimed.ipRecords()).containsExactly(IL1);
  }

  @Test
  void aMappingWantingAnIpRecordByRefClaimsTheMappingAtItsAddressBeforeTheIpRecordHasASid() {
    // just applied together: the IpRecord will adopt IL2 at its address, the mapping then IB2
    IpRecord r = ipRecordResource("office", "10.0.0.2", null);
    SourceIpMapping m = sourceIpMapping("a", null);
    m.getSpec().setIpRecordRef(new IpRecordReference("office"));

    Claims.Unclaimed unclaimed = Claims.of(List.of(m), List.of(r)).unclaimed(mappings, records);

    assertThat(unclaimed.mappings()).containsExactly(IB1);
    assertThat(unclaimed.ipRecords()).containsExactly(IL1);
  }

  @Test
  void anIpRecordRefReachesOnlyAnIpRecordOfTheMappingsOwnNamespace() {
    IpRecord r = ipRecordResource("office", "192.0.2.9", null);
    r.getMetadata().setNamespace("elsewhere");
    r.getStatus().setSid(IL2);
    SourceIpMapping m = sourceIpMapping("a", null);
    m.getSpec().setIpRecordRef(new IpRecordReference("office"));

    Claims claims = Claims.of(List.of(m), List.of(r));

    assertThat(claims.unclaimed(mappings, records).mappings()).contains(IB2);
  }

  @Test
  void anIpRecordsAddressAndPrefixClaimTheIpRecordThere() {
    TwilioIpRecord block = ipRecord(sid("IL", 3), "10.0.1.0", 24);
    TwilioIpRecord omitted = ipRecord(sid("IL", 4), "10.0.2.1", null);
    List<IpRecord> resources =
        List.of(
            ipRecordResource("one", "10.0.0.1", null), // omitted prefix: 32
            ipRecordResource("block", "10.0.1.0", 24),
            ipRecordResource("wrong-prefix", "10.0.0.2", 31),
            ipRecordResource("explicit", "10.0.2.1", 32));

    Claims.Unclaimed unclaimed =
        Claims.of(List.of(), resources)
            .unclaimed(List.of(), List.of(record1, record2, block, omitted));

    assertThat(unclaimed.ipRecords()).containsExactly(IL2);
    assertThat(unclaimed.claimedIpRecords()).isEqualTo(3);
  }

  @Test
  void anIpRecordUsedByAClaimedMappingIsClaimed() {
    SourceIpMapping m = sourceIpMapping("a", null);
    m.getStatus().setSid(IB1); // claims the mapping only; it uses IL1 at Twilio

    Claims.Unclaimed unclaimed = Claims.of(List.of(m), List.of()).unclaimed(mappings, records);

    assertThat(unclaimed.mappings()).containsExactly(IB2);
    assertThat(unclaimed.ipRecords()).containsExactly(IL2);
  }

  @Test
  void anIpRecordUsedOnlyByUnclaimedMappingsIsUnclaimed() {
    TwilioMapping another = mapping(sid("IB", 3), IL1);
    SourceIpMapping m = sourceIpMapping("a", null);
    m.getStatus().setSid(IB2);

    Claims.Unclaimed unclaimed =
        Claims.of(List.of(m), List.of()).unclaimed(List.of(mapping1, mapping2, another), records);

    assertThat(unclaimed.mappings()).containsExactly(IB1, another.sid());
    assertThat(unclaimed.ipRecords()).containsExactly(IL1);
  }

  static String sid(String prefix, int n) {
    return prefix + "%032x".formatted(n);
  }

  static TwilioMapping mapping(String sid, String ipRecordSid) {
    return new TwilioMapping(sid, ipRecordSid, sid("SD", 1), Instant.EPOCH, Instant.EPOCH, null);
  }

  static TwilioIpRecord ipRecord(String sid, String address, Integer prefix) {
    return new TwilioIpRecord(
        "AC" + "f".repeat(32), sid, null, address, prefix, Instant.EPOCH, Instant.EPOCH, null);
  }

  static SourceIpMapping sourceIpMapping(String name, String ipRecordSid) {
    SourceIpMapping m = new SourceIpMapping();
    m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team").build());
    SourceIpMappingSpec spec = new SourceIpMappingSpec();
    spec.setIpRecordSid(ipRecordSid);
    spec.setSipDomainSid(sid("SD", 1));
    m.setSpec(spec);
    m.setStatus(new SourceIpMappingStatus());
    return m;
  }

  static IpRecord ipRecordResource(String name, String address, Integer prefix) {
    IpRecord r = new IpRecord();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team").build());
    IpRecordSpec spec = new IpRecordSpec();
    spec.setIpAddress(address);
    spec.setCidrPrefixLength(prefix);
    r.setSpec(spec);
    r.setStatus(new IpRecordStatus());
    return r;
  }
}
