package dev.byoc.sourceip.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.twilio.FakeTwilioClient;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `export --kind IpRecord` over a fake account: names, spec fields, annotations, requests. */
class IpRecordExporterTest {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  final FakeTwilioClient account = new FakeTwilioClient();
  final IpRecordExporter exporter = new IpRecordExporter();

  /** An IP record made {@code minutes} after T0, with SID number {@code n}. */
  static String ipRecord(
      FakeTwilioClient account, int n, String friendlyName, String ip, int cidr, int minutes) {
    String sid = FakeTwilioClient.sid("IL", n);
    account.ipRecords.records.put(
        sid,
        new TwilioIpRecord(
            FakeTwilioClient.ACCOUNT,
            sid,
            friendlyName,
            ip,
            cidr,
            T0.plusSeconds(60L * minutes),
            T0,
            null));
    return sid;
  }

  /** The YAML the command would print, read back. */
  List<IpRecord> exported(ExportOptions options) {
    ExportResult result = exporter.export(account, options);
    String yaml = YamlStream.render(List.of("header"), result.resources(), result::commentsOn);
    return ExportedYaml.ofKind(ExportedYaml.parse(yaml), IpRecord.class);
  }

  static Map<String, IpRecord> byName(List<IpRecord> resources) {
    Map<String, IpRecord> byName = new LinkedHashMap<>();
    resources.forEach(r -> byName.put(r.getMetadata().getName(), r));
    return byName;
  }

  @Test
  void exportsEveryIpRecordWithItsSidAnnotation() {
    String pbx = ipRecord(account, 3, "PBX East (NYC)", "203.0.113.10", 32, 1);
    String range = ipRecord(account, 2, null, "198.51.100.0", 24, 2);
    String unmapped = ipRecord(account, 1, "spare", "192.0.2.9", 32, 3);

    List<IpRecord> resources = exported(new ExportOptions("telephony", "", null));

    Map<String, IpRecord> byName = byName(resources);
    assertThat(byName.keySet()).containsExactly("ip-198-51-100-0-24", "pbx-east-nyc", "spare");
    assertThat(ExportedYaml.externalSid(byName.get("pbx-east-nyc"))).isEqualTo(pbx);
    assertThat(ExportedYaml.externalSid(byName.get("ip-198-51-100-0-24"))).isEqualTo(range);
    assertThat(ExportedYaml.externalSid(byName.get("spare"))).isEqualTo(unmapped);
    for (IpRecord r : resources) {
      assertThat(r.getApiVersion()).isEqualTo("voice.byoc.dev/v1alpha1");
      assertThat(r.getMetadata().getNamespace()).isEqualTo("telephony");
      assertThat(r.getMetadata().getAnnotations())
          .containsOnlyKeys(IpRecord.EXTERNAL_SID_ANNOTATION);
      assertThat(r.getSpec().getDeletionPolicy()).isNull();
      assertThat(r.getSpec().getManagementPolicy()).isNull();
      assertThat(r.getStatus()).isNull();
    }
    assertThat(account.ipRecords.lists).hasValue(1);
    assertThat(account.lists).hasValue(0);
    assertThat(account.sipDomains.lists).hasValue(0);
  }

  @Test
  void theSpecIsWhatTwilioHoldsWithPrefix32AndNoFriendlyNameOmitted() {
    ipRecord(account, 1, "PBX East", "203.0.113.10", 32, 1);
    ipRecord(account, 2, null, "198.51.100.0", 24, 2);
    ipRecord(account, 3, "", "192.0.2.1", 32, 3);

    Map<String, IpRecord> byName = byName(exported(ExportOptions.defaults()));

    var pbx = byName.get("pbx-east").getSpec();
    assertThat(pbx.getIpAddress()).isEqualTo("203.0.113.10");
    assertThat(pbx.getCidrPrefixLength()).isNull();
    assertThat(pbx.effectiveCidrPrefixLength()).isEqualTo(32);
    assertThat(pbx.getFriendlyName()).isEqualTo("PBX East");
    var range = byName.get("ip-198-51-100-0-24").getSpec();
    assertThat(range.getCidrPrefixLength()).isEqualTo(24);
    assertThat(range.getFriendlyName()).isNull();
    assertThat(byName.get("ip-192-0-2-1").getSpec().getFriendlyName()).isNull();
  }

  @Test
  void repeatedNamesGetSuffixesInCreationOrder() {
    // SIDs deliberately in the opposite order of creation
    String older = ipRecord(account, 9, "PBX", "203.0.113.10", 32, 1);
    String newer = ipRecord(account, 1, "pbx", "203.0.113.11", 32, 2);
    String newest = ipRecord(account, 0, "pbx!", "203.0.113.12", 32, 3);

    Map<String, IpRecord> byName = byName(exported(ExportOptions.defaults()));

    assertThat(byName.keySet()).containsExactly("pbx", "pbx-2", "pbx-3");
    assertThat(ExportedYaml.externalSid(byName.get("pbx"))).isEqualTo(older);
    assertThat(ExportedYaml.externalSid(byName.get("pbx-2"))).isEqualTo(newer);
    assertThat(ExportedYaml.externalSid(byName.get("pbx-3"))).isEqualTo(newest);
  }

  @Test
  void optionsReachEveryIpRecord() {
    ipRecord(account, 1, "a", "192.0.2.1", 32, 0);
    ipRecord(account, 2, "b", "192.0.2.2", 32, 0);

    List<IpRecord> resources =
        exported(new ExportOptions("voice", "twilio-", DeletionPolicy.Orphan));

    assertThat(byName(resources).keySet()).containsExactly("twilio-a", "twilio-b");
    assertThat(resources)
        .allSatisfy(
            r -> {
              assertThat(r.getMetadata().getNamespace()).isEqualTo("voice");
              assertThat(r.getSpec().getDeletionPolicy()).isEqualTo(DeletionPolicy.Orphan);
            });
  }

  @Test
  void anAccountWithoutIpRecordsCostsOneListAndExportsNothing() {
    assertThat(exporter.export(account, ExportOptions.defaults()).resources()).isEmpty();
    assertThat(account.ipRecords.lists).hasValue(1);
  }
}
