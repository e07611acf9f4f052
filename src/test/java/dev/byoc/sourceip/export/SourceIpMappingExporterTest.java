package dev.byoc.sourceip.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.twilio.FakeTwilioClient;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The SourceIpMapping exporter over a fake account: names, order, content, requests, warnings. */
class SourceIpMappingExporterTest {
  static final String DOMAIN = FakeTwilioClient.sid("SD", 0xd);
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  /** The shared fake, with IP records. */
  static final class Account extends FakeTwilioClient {
    final List<TwilioIpRecord> ipRecords = new ArrayList<>();
    final AtomicInteger ipRecordLists = new AtomicInteger();

    String ipRecord(int n, String friendlyName, String ip, int cidr, int minutesAfterT0) {
      String sid = sid("IL", n);
      ipRecords.add(
          new TwilioIpRecord(
              ACCOUNT,
              sid,
              friendlyName,
              ip,
              cidr,
              T0.plusSeconds(60L * minutesAfterT0),
              T0,
              null));
      return sid;
    }

    @Override
    public List<TwilioIpRecord> listIpRecords() {
      ipRecordLists.incrementAndGet();
      return List.copyOf(ipRecords);
    }
  }

  final Account account = new Account();
  final SourceIpMappingExporter exporter = new SourceIpMappingExporter();

  static Map<String, SourceIpMapping> byName(ExportResult result) {
    Map<String, SourceIpMapping> byName = new LinkedHashMap<>();
    for (HasMetadata r : result.resources()) {
      byName.put(r.getMetadata().getName(), (SourceIpMapping) r);
    }
    return byName;
  }

  @Test
  void oneAdoptingResourcePerMappingNamedAfterItsIpRecordInNameOrder() {
    // SIDs deliberately in the opposite order of creation
    String first = account.ipRecord(9, "PBX", "203.0.113.10", 32, 1);
    String range = account.ipRecord(5, null, "198.51.100.0", 24, 2);
    String second = account.ipRecord(1, "pbx", "203.0.113.11", 32, 3);
    account.ipRecord(7, "unmapped", "203.0.113.99", 32, 4);
    TwilioMapping m1 = account.put(first, DOMAIN);
    TwilioMapping m2 = account.put(range, DOMAIN);
    TwilioMapping m3 = account.put(second, DOMAIN);

    ExportResult result = exporter.export(account, new ExportOptions("telephony", "", null));

    Map<String, SourceIpMapping> byName = byName(result);
    assertThat(byName.keySet()).containsExactly("ip-198-51-100-0-24", "pbx", "pbx-2");
    assertThat(byName.get("pbx").getSpec().getIpRecordSid()).isEqualTo(first); // the older
    assertThat(byName.get("pbx-2").getSpec().getIpRecordSid()).isEqualTo(second);
    Map<String, TwilioMapping> bySid =
        List.of(m1, m2, m3).stream().collect(Collectors.toMap(TwilioMapping::sid, m -> m));
    for (SourceIpMapping r : byName.values()) {
      assertThat(r.getApiVersion()).isEqualTo("voice.byoc.dev/v1alpha1");
      assertThat(r.getKind()).isEqualTo("SourceIpMapping");
      assertThat(r.getMetadata().getNamespace()).isEqualTo("telephony");
      assertThat(r.getMetadata().getAnnotations())
          .containsOnlyKeys(SourceIpMapping.EXTERNAL_SID_ANNOTATION);
      TwilioMapping adopted =
          bySid.get(r.getMetadata().getAnnotations().get(SourceIpMapping.EXTERNAL_SID_ANNOTATION));
      assertThat(adopted).isNotNull();
      assertThat(r.getSpec().getIpRecordSid()).isEqualTo(adopted.ipRecordSid());
      assertThat(r.getSpec().getSipDomainSid()).isEqualTo(adopted.sipDomainSid());
      assertThat(r.getSpec().getDeletionPolicy()).isNull();
      assertThat(r.getSpec().getManagementPolicy()).isNull();
      assertThat(r.getStatus()).isNull();
      assertThat(r.getMetadata().getUid()).isNull();
      assertThat(r.getMetadata().getResourceVersion()).isNull();
      assertThat(r.getMetadata().getCreationTimestamp()).isNull();
    }
    assertThat(result.warnings()).isEmpty();
    assertThat(account.lists).hasValue(1);
    assertThat(account.ipRecordLists).hasValue(1);
  }

  @Test
  void aReExportAfterNewRecordsKeepsEveryNameItGaveBefore() {
    String old = account.ipRecord(9, "pbx", "203.0.113.10", 32, 1);
    account.put(old, DOMAIN);
    Map<String, SourceIpMapping> before =
        byName(exporter.export(account, ExportOptions.defaults()));

    // a newer record with the same friendly name and a smaller SID
    String newer = account.ipRecord(1, "PBX", "203.0.113.11", 32, 2);
    account.put(newer, DOMAIN);
    Map<String, SourceIpMapping> after = byName(exporter.export(account, ExportOptions.defaults()));

    assertThat(before.keySet()).containsExactly("pbx");
    assertThat(after.keySet()).containsExactly("pbx", "pbx-2");
    assertThat(after.get("pbx").getSpec().getIpRecordSid()).isEqualTo(old);
    assertThat(after.get("pbx-2").getSpec().getIpRecordSid()).isEqualTo(newer);
  }

  @Test
  void optionsReachEveryResource() {
    account.put(account.ipRecord(1, "a", "192.0.2.1", 32, 0), DOMAIN);
    account.put(account.ipRecord(2, "b", "192.0.2.2", 32, 0), DOMAIN);

    ExportResult result =
        exporter.export(account, new ExportOptions("voice", "twilio-", DeletionPolicy.Orphan));

    assertThat(byName(result).keySet()).containsExactly("twilio-a", "twilio-b");
    assertThat(byName(result).values())
        .allSatisfy(
            r -> {
              assertThat(r.getMetadata().getNamespace()).isEqualTo("voice");
              assertThat(r.getSpec().getDeletionPolicy()).isEqualTo(DeletionPolicy.Orphan);
            });
  }

  @Test
  void anEmptyAccountCostsOneListAndExportsNothing() {
    ExportResult result = exporter.export(account, ExportOptions.defaults());

    assertThat(result.resources()).isEmpty();
    assertThat(account.lists).hasValue(1);
    assertThat(account.ipRecordLists).hasValue(0);
  }

  @Test
  void oddTwilioStatesAreExportedAndNamedInWarnings() {
    String shared = account.ipRecord(1, "shared", "192.0.2.1", 32, 0);
    TwilioMapping a = account.put(shared, DOMAIN);
    TwilioMapping b = account.put(shared, DOMAIN);
    String unlisted = FakeTwilioClient.sid("IL", 0xabc);
    TwilioMapping orphan = account.put(unlisted, DOMAIN);

    ExportResult result = exporter.export(account, ExportOptions.defaults());

    assertThat(byName(result).keySet())
        .containsExactly(unlisted.toLowerCase(), "shared", "shared-2");
    assertThat(result.warnings())
        .hasSize(2)
        .anySatisfy(w -> assertThat(w).contains(orphan.sid(), unlisted, "did not list"))
        .anySatisfy(w -> assertThat(w).contains(shared, a.sid(), b.sid(), "Conflict"));
  }

  @Test
  void theSameAccountGivesTheSameYamlEveryTime() {
    for (int i = 1; i <= 30; i++) {
      String sid = account.ipRecord(i, i % 3 == 0 ? null : "site " + (i % 4), "10.0.0." + i, 32, 0);
      account.put(sid, DOMAIN);
    }
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      runs.add(
          YamlStream.render(
              List.of(), exporter.export(account, ExportOptions.defaults()).resources()));
    }
    assertThat(runs).containsOnly(runs.get(0));
    assertThat(byName(exporter.export(account, ExportOptions.defaults()))).hasSize(30);
  }
}
