package dev.byoc.sourceip.export;

import static dev.byoc.sourceip.export.IpRecordExporterTest.ipRecord;
import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordReference;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.twilio.FakeTwilioClient;
import dev.byoc.sourceip.twilio.SipDomain;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** `export --kind all` over a fake account: references by name, fallbacks, order, requests. */
class AccountExporterTest {

  /** The shared fake, listing in a different order on every call, as nothing promises one. */
  static final class ShufflingAccount extends FakeTwilioClient {
    final Random random = new Random(7);

    @Override
    public List<TwilioMapping> listSourceIpMappings() {
      return shuffled(super.listSourceIpMappings());
    }

    @Override
    public List<TwilioIpRecord> listIpRecords() {
      return shuffled(super.listIpRecords());
    }

    @Override
    public List<SipDomain> listSipDomains() {
      return shuffled(super.listSipDomains());
    }

    private <T> List<T> shuffled(List<T> listed) {
      List<T> copy = new ArrayList<>(listed);
      Collections.shuffle(copy, random);
      return copy;
    }
  }

  final ShufflingAccount account = new ShufflingAccount();
  final AccountExporter exporter = new AccountExporter();

  String render(ExportOptions options) {
    ExportResult result = exporter.export(account, options);
    return YamlStream.render(List.of("header"), result.resources(), result::commentsOn);
  }

  static <T extends HasMetadata> Map<String, T> byName(List<HasMetadata> all, Class<T> kind) {
    Map<String, T> byName = new LinkedHashMap<>();
    ExportedYaml.ofKind(all, kind).forEach(r -> byName.put(r.getMetadata().getName(), r));
    return byName;
  }

  @Test
  void allReferencesIpRecordsByNameAndDomainsByName() {
    SipDomain east = account.sipDomains.put("east.sip.twilio.com");
    SipDomain west = account.sipDomains.put("west.sip.twilio.com");
    String pbx = ipRecord(account, 3, "PBX East", "203.0.113.10", 32, 1);
    String range = ipRecord(account, 2, null, "198.51.100.0", 24, 2);
    String spare = ipRecord(account, 1, "spare", "192.0.2.9", 32, 3);
    TwilioMapping pbxMapping = account.put(pbx, east.sid());
    TwilioMapping rangeMapping = account.put(range, west.sid());

    List<HasMetadata> all = ExportedYaml.parse(render(new ExportOptions("telephony", "", null)));

    assertThat(all)
        .extracting(HasMetadata::getKind)
        .containsExactly("IpRecord", "IpRecord", "IpRecord", "SourceIpMapping", "SourceIpMapping");
    Map<String, IpRecord> ipRecords = byName(all, IpRecord.class);
    assertThat(ipRecords.keySet()).containsExactly("ip-198-51-100-0-24", "pbx-east", "spare");
    assertThat(ExportedYaml.externalSid(ipRecords.get("spare"))).isEqualTo(spare);
    Map<String, SourceIpMapping> mappings = byName(all, SourceIpMapping.class);
    assertThat(mappings.keySet()).containsExactly("ip-198-51-100-0-24", "pbx-east");

    SourceIpMapping m = mappings.get("pbx-east");
    assertThat(ExportedYaml.externalSid(m)).isEqualTo(pbxMapping.sid());
    assertThat(m.getSpec().getIpRecordRef()).isEqualTo(new IpRecordReference("pbx-east"));
    assertThat(ExportedYaml.externalSid(ipRecords.get("pbx-east"))).isEqualTo(pbx);
    assertThat(m.getSpec().getSipDomainName()).isEqualTo("east.sip.twilio.com");
    assertThat(m.getSpec().getIpRecordSid()).isNull();
    assertThat(m.getSpec().getSipDomainSid()).isNull();
    SourceIpMapping r = mappings.get("ip-198-51-100-0-24");
    assertThat(ExportedYaml.externalSid(r)).isEqualTo(rangeMapping.sid());
    assertThat(r.getSpec().getIpRecordRef().getName()).isEqualTo("ip-198-51-100-0-24");
    assertThat(ExportedYaml.externalSid(ipRecords.get("ip-198-51-100-0-24"))).isEqualTo(range);
    assertThat(r.getSpec().getSipDomainName()).isEqualTo("west.sip.twilio.com");
    assertThat(all)
        .allSatisfy(
            x -> {
              assertThat(x.getMetadata().getNamespace()).isEqualTo("telephony");
              assertThat(x.getMetadata().getAnnotations()).hasSize(1);
            });
  }

  @Test
  void aMappingTakesItsIpRecordsNameEvenWhenAnUnmappedRecordHadItFirst() {
    SipDomain d = account.sipDomains.put("d.sip.twilio.com");
    ipRecord(account, 1, "pbx", "192.0.2.1", 32, 1); // older, not mapped
    String mapped = ipRecord(account, 2, "pbx", "192.0.2.2", 32, 2);
    account.put(mapped, d.sid());

    List<HasMetadata> all = ExportedYaml.parse(render(ExportOptions.defaults()));

    SourceIpMapping m = byName(all, SourceIpMapping.class).get("pbx-2");
    assertThat(m.getSpec().getIpRecordRef().getName()).isEqualTo("pbx-2");
    assertThat(ExportedYaml.externalSid(byName(all, IpRecord.class).get("pbx-2")))
        .isEqualTo(mapped);
  }

  @Test
  void aMappingWhoseDomainIsNotListedKeepsItsSid() {
    String gone = FakeTwilioClient.sid("SD", 0xdead);
    TwilioMapping m = account.put(ipRecord(account, 1, "pbx", "192.0.2.1", 32, 1), gone);

    ExportResult result = exporter.export(account, ExportOptions.defaults());
    String yaml = YamlStream.render(List.of(), result.resources(), result::commentsOn);

    SourceIpMapping r = byName(ExportedYaml.parse(yaml), SourceIpMapping.class).get("pbx");
    assertThat(r.getSpec().getSipDomainSid()).isEqualTo(gone);
    assertThat(r.getSpec().getSipDomainName()).isNull();
    assertThat(r.getSpec().getIpRecordRef().getName()).isEqualTo("pbx");
    assertThat(yaml)
        .contains(
            "---\n# sipDomainSid, not sipDomainName: Twilio did not list SIP domain "
                + gone
                + "\napiVersion: voice.byoc.dev/v1alpha1\nkind: SourceIpMapping\n");
    assertThat(result.warnings()).singleElement().asString().contains(m.sid(), gone);
  }

  @Test
  void aMappingWhoseIpRecordIsNotListedKeepsItsSid() {
    SipDomain d = account.sipDomains.put("d.sip.twilio.com");
    String unlisted = FakeTwilioClient.sid("IL", 0xabc);
    TwilioMapping m = account.put(unlisted, d.sid());

    ExportResult result = exporter.export(account, new ExportOptions("default", "tw-", null));
    String yaml = YamlStream.render(List.of(), result.resources(), result::commentsOn);

    List<HasMetadata> all = ExportedYaml.parse(yaml);
    assertThat(ExportedYaml.ofKind(all, IpRecord.class)).isEmpty();
    SourceIpMapping r = byName(all, SourceIpMapping.class).get("tw-" + unlisted.toLowerCase());
    assertThat(r.getSpec().getIpRecordSid()).isEqualTo(unlisted);
    assertThat(r.getSpec().getIpRecordRef()).isNull();
    assertThat(r.getSpec().getSipDomainName()).isEqualTo("d.sip.twilio.com");
    assertThat(yaml)
        .contains("---\n# ipRecordSid, not ipRecordRef: Twilio did not list IP record " + unlisted);
    assertThat(result.warnings()).singleElement().asString().contains(m.sid(), "did not list");
  }

  @Test
  void allIsReproducible() {
    List<SipDomain> domains = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      domains.add(account.sipDomains.put("d" + i + ".sip.twilio.com"));
    }
    for (int i = 1; i <= 30; i++) {
      String name = i % 3 == 0 ? null : "site " + (i % 4);
      String sid = ipRecord(account, i, name, "10.0.0." + i, i % 5 == 0 ? 31 : 32, i % 7);
      if (i % 4 != 0) {
        account.put(sid, domains.get(i % 3).sid());
      }
    }

    List<String> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      runs.add(render(new ExportOptions("default", "", DeletionPolicy.Orphan)));
    }

    assertThat(runs).containsOnly(runs.get(0));
    List<HasMetadata> all = ExportedYaml.parse(runs.get(0));
    assertThat(ExportedYaml.ofKind(all, IpRecord.class)).hasSize(30);
    assertThat(ExportedYaml.ofKind(all, SourceIpMapping.class)).hasSize(23);
    assertThat(all.subList(0, 30)).allMatch(IpRecord.class::isInstance);
    for (SourceIpMapping m : ExportedYaml.ofKind(all, SourceIpMapping.class)) {
      assertThat(byName(all, IpRecord.class)).containsKey(m.getSpec().getIpRecordRef().getName());
      assertThat(m.getSpec().getDeletionPolicy()).isEqualTo(DeletionPolicy.Orphan);
    }
  }

  @Test
  void allCostsOneListOfEachKind() {
    SipDomain d = account.sipDomains.put("d.sip.twilio.com");
    for (int i = 1; i <= 10; i++) {
      account.put(ipRecord(account, i, null, "10.0.0." + i, 32, i), d.sid());
    }

    exporter.export(account, ExportOptions.defaults());

    assertThat(account.lists).hasValue(1);
    assertThat(account.ipRecords.lists).hasValue(1);
    assertThat(account.sipDomains.lists).hasValue(1);
  }

  @Test
  void anAccountWithoutMappingsListsNoSipDomains() {
    ipRecord(account, 1, "pbx", "192.0.2.1", 32, 1);

    ExportResult result = exporter.export(account, ExportOptions.defaults());

    assertThat(result.resources()).extracting(HasMetadata::getKind).containsExactly("IpRecord");
    assertThat(account.lists).hasValue(1);
    assertThat(account.ipRecords.lists).hasValue(1);
    assertThat(account.sipDomains.lists).hasValue(0);
  }
}
