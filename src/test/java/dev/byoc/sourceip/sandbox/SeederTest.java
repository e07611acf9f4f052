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
  void seedingTheExamplesReadiesAnEmulatorForKubectlApplyOfDeployExamples() {
    String own = "AC" + "e".repeat(32);
    try (dev.byoc.sourceip.emulator.TwilioEmulator emulator =
        dev.byoc.sourceip.emulator.TwilioEmulator.builder().account(own, "token").build()) {

      Seeder.seedExamples(emulator, own);

      assertThat(emulator.sipDomains(own))
          .extracting(d -> d.domainName())
          .contains("acme.sip.twilio.com");
      assertThat(emulator.sipDomains(own)).anyMatch(d -> d.sid().equals("SD" + "b".repeat(32)));
      assertThat(emulator.ipRecords(own)).anyMatch(r -> r.sid().equals("IL" + "c".repeat(32)));
      assertThat(emulator.sipDomains("AC00000000000000000000000000000a01"))
          .extracting(d -> d.domainName())
          .containsExactly("voice-team.sip.twilio.com");
      assertThat(emulator.sipDomains("AC00000000000000000000000000000b02"))
          .extracting(d -> d.domainName())
          .containsExactly("support-team.sip.twilio.com");
    }
  }

  @Test
  void theJarCarriesEveryExampleFile() throws java.io.IOException {
    try (var files = java.nio.file.Files.list(java.nio.file.Path.of("deploy/examples"))) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml")))
          .containsExactlyInAnyOrderElementsOf(Manifests.EXAMPLES);
    }
  }

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
