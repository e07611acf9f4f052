package dev.byoc.sourceip.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordReference;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the sandbox seeds: what mappings name and nothing declares, never a declared address. */
class SeederTest {
  private static final String IL = "IL" + "c".repeat(32);
  private static final String SD = "SD" + "b".repeat(32);

  @Test
  void seedsTheDomainsMappingsNameAndNoIpRecordForAReference() {
    List<Seeder.Seed> seeds =
        Seeder.plan(
            List.of(
                byReference("pbx-east", "acme.sip.twilio.com"),
                byReference("pbx-west", "acme.sip.twilio.com"),
                bySids(IL, SD)),
            List.of(ipRecord("203.0.113.10", null)));

    assertThat(seeds)
        .containsExactlyInAnyOrder(
            new Seeder.Seed("ipRecord", IL, Seeder.addressOf(IL)),
            new Seeder.Seed("sipDomain", SD, "sandbox-bbbbbbbb.sip.twilio.com"),
            new Seeder.Seed(
                "sipDomain", Seeder.sidOfDomain("acme.sip.twilio.com"), "acme.sip.twilio.com"));
  }

  @Test
  void aDomainNamesSidIsTheSameInEveryRunAndASid() {
    assertThat(Seeder.sidOfDomain("acme.sip.twilio.com"))
        .isEqualTo(Seeder.sidOfDomain("ACME.sip.twilio.com"))
        .isNotEqualTo(Seeder.sidOfDomain("other.sip.twilio.com"))
        .matches("^SD[0-9a-f]{32}$");
  }

  @Test
  void aSeededIpRecordNeverTakesTheAddressOfADeclaredIpRecord() {
    String taken = Seeder.addressOf(IL);

    List<Seeder.Seed> seeds = Seeder.plan(List.of(bySids(IL, SD)), List.of(ipRecord(taken, 32)));

    Seeder.Seed ipRecord = seeds.get(0);
    assertThat(ipRecord.sid()).isEqualTo(IL);
    assertThat(ipRecord.value()).isNotEqualTo(taken).startsWith("10.");
    // a block of another prefix at that address is no conflict at Twilio
    assertThat(Seeder.plan(List.of(bySids(IL, SD)), List.of(ipRecord(taken, 24))).get(0).value())
        .isEqualTo(taken);
  }

  private static SourceIpMapping byReference(String ipRecord, String domainName) {
    SourceIpMappingSpec spec = new SourceIpMappingSpec();
    spec.setIpRecordRef(new IpRecordReference(ipRecord));
    spec.setSipDomainName(domainName);
    SourceIpMapping m = new SourceIpMapping();
    m.setSpec(spec);
    return m;
  }

  private static SourceIpMapping bySids(String ipRecordSid, String sipDomainSid) {
    SourceIpMappingSpec spec = new SourceIpMappingSpec();
    spec.setIpRecordSid(ipRecordSid);
    spec.setSipDomainSid(sipDomainSid);
    SourceIpMapping m = new SourceIpMapping();
    m.setSpec(spec);
    return m;
  }

  private static IpRecord ipRecord(String address, Integer prefix) {
    IpRecordSpec spec = new IpRecordSpec(address);
    spec.setCidrPrefixLength(prefix);
    IpRecord r = new IpRecord();
    r.setSpec(spec);
    return r;
  }
}
