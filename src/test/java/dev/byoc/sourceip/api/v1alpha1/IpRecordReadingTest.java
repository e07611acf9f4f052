package dev.byoc.sourceip.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Any JSON an API server may hold for an IpRecord, and a mapping's references to one, is read
 * without failing: what cannot be read is kept aside to report.
 */
class IpRecordReadingTest {
  static final KubernetesSerialization JSON = new KubernetesSerialization();
  static final String HEAD =
      "{\"apiVersion\":\"voice.byoc.dev/v1alpha1\",\"kind\":\"IpRecord\","
          + "\"metadata\":{\"name\":\"office\",\"namespace\":\"ns\"}";

  static IpRecord read(String rest) {
    return JSON.unmarshal(HEAD + rest + "}", IpRecord.class);
  }

  static SourceIpMappingSpec mapping(String spec) {
    return JSON.unmarshal(
            "{\"apiVersion\":\"voice.byoc.dev/v1alpha1\",\"kind\":\"SourceIpMapping\","
                + "\"metadata\":{\"name\":\"x\",\"namespace\":\"ns\"},\"spec\":"
                + spec
                + "}",
            SourceIpMapping.class)
        .getSpec();
  }

  @Test
  void aSoundSpecHasNothingUnreadable() {
    IpRecord r =
        read(
            ",\"spec\":{\"ipAddress\":\"203.0.113.8\",\"cidrPrefixLength\":30,"
                + "\"friendlyName\":\"Office\",\"deletionPolicy\":\"Orphan\","
                + "\"managementPolicy\":\"Observe\"}");

    IpRecordSpec spec = r.getSpec();
    assertThat(spec.getIpAddress()).isEqualTo("203.0.113.8");
    assertThat(spec.getCidrPrefixLength()).isEqualTo(30);
    assertThat(spec.effectiveCidrPrefixLength()).isEqualTo(30);
    assertThat(spec.getFriendlyName()).isEqualTo("Office");
    assertThat(spec.effectiveDeletionPolicy()).isEqualTo(DeletionPolicy.Orphan);
    assertThat(spec.effectiveManagementPolicy()).isEqualTo(ManagementPolicy.Observe);
    assertThat(spec.getUnreadable()).isEmpty();
  }

  @Test
  void anOmittedPrefixStaysOmittedAndMeans32() {
    IpRecordSpec spec = read(",\"spec\":{\"ipAddress\":\"203.0.113.8\"}").getSpec();

    assertThat(spec.getCidrPrefixLength()).isNull();
    assertThat(spec.effectiveCidrPrefixLength()).isEqualTo(32);
    assertThat(JSON.asJson(spec)).isEqualTo("{\"ipAddress\":\"203.0.113.8\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"24\"", "24.5", "4294967296", "[24]", "true"})
  void aPrefixThatIsNoIntIsKeptAsItCame(String prefix) {
    IpRecordSpec spec =
        read(",\"spec\":{\"ipAddress\":\"10.0.0.0\",\"cidrPrefixLength\":" + prefix + "}")
            .getSpec();

    assertThat(spec.getCidrPrefixLength()).isNull();
    assertThat(spec.getUnreadable()).containsOnlyKeys("cidrPrefixLength");
    assertThat(spec.getUnreadable().get("cidrPrefixLength").toString()).isEqualTo(prefix);
  }

  @Test
  void unknownFieldsAndValuesAreKeptAsTheyCame() {
    IpRecordSpec spec =
        read(",\"spec\":{\"ipAddress\":7,\"friendlyName\":{},\"deletionPolicy\":\"delete\","
                + "\"ipRecordSid\":\"IL1\"}")
            .getSpec();

    assertThat(spec.getIpAddress()).isNull();
    assertThat(spec.getUnreadable())
        .containsOnlyKeys("ipAddress", "friendlyName", "deletionPolicy", "ipRecordSid");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"x\"", "[1]", "42"})
  void aSpecThatIsNotAnObjectIsReadAsNoSpec(String spec) {
    assertThat(read(",\"spec\":" + spec).getSpec()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"x\"", "{\"cidrPrefixLength\":\"abc\"}", "{\"usedBy\":\"pbx\"}"})
  void aStatusOfTheWrongShapeIsReadAsNone(String status) {
    IpRecord r = read(",\"spec\":{\"ipAddress\":\"10.0.0.1\"},\"status\":" + status);

    assertThat(r.getStatus()).isNull();
    assertThat(r.getSpec().getIpAddress()).isEqualTo("10.0.0.1");
  }

  @Test
  void aStatusIsReadWithItsUsers() {
    IpRecord r =
        read(
            ",\"status\":{\"sid\":\"IL1\",\"cidrPrefixLength\":32,\"usedBy\":[\"a\",\"b\"],"
                + "\"fromANewerOperator\":1}");

    assertThat(r.getStatus().getSid()).isEqualTo("IL1");
    assertThat(r.getStatus().getCidrPrefixLength()).isEqualTo(32);
    assertThat(r.getStatus().getUsedBy()).containsExactly("a", "b");
  }

  @Test
  void aMappingReadsAnIpRecordRefAndASipDomainName() {
    SourceIpMappingSpec spec =
        mapping(
            "{\"ipRecordRef\":{\"name\":\"office\"},\"sipDomainName\":\"acme.sip.twilio.com\"}");

    assertThat(spec.getIpRecordRef()).isEqualTo(new IpRecordReference("office"));
    assertThat(spec.getSipDomainName()).isEqualTo("acme.sip.twilio.com");
    assertThat(spec.getIpRecordSid()).isNull();
    assertThat(spec.getSipDomainSid()).isNull();
    assertThat(spec.getUnreadable()).isEmpty();
    assertThat(JSON.asJson(spec))
        .isEqualTo(
            "{\"ipRecordRef\":{\"name\":\"office\"},\"sipDomainName\":\"acme.sip.twilio.com\"}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"office\"",
        "{}",
        "{\"name\":7}",
        "{\"name\":\"office\",\"namespace\":\"other\"}",
        "[{\"name\":\"office\"}]"
      })
  void anIpRecordRefOfAnotherShapeIsKeptWholeNotReadInPart(String ref) {
    SourceIpMappingSpec spec = mapping("{\"ipRecordRef\":" + ref + ",\"sipDomainName\":7}");

    assertThat(spec.getIpRecordRef()).isNull();
    assertThat(spec.getUnreadable()).containsOnlyKeys("ipRecordRef", "sipDomainName");
    assertThat(spec.getUnreadable().get("ipRecordRef").toString()).isEqualTo(ref);
  }

  @Test
  void specsWithDifferentReferencesDiffer() {
    SourceIpMappingSpec a = mapping("{\"ipRecordRef\":{\"name\":\"a\"}}");
    SourceIpMappingSpec b = mapping("{\"ipRecordRef\":{\"name\":\"b\"}}");
    SourceIpMappingSpec c = mapping("{\"sipDomainName\":\"a.sip.twilio.com\"}");

    assertThat(a).isNotEqualTo(b).isNotEqualTo(c);
    assertThat(a).isEqualTo(mapping("{\"ipRecordRef\":{\"name\":\"a\"}}"));
    assertThat(a.hashCode()).isEqualTo(mapping("{\"ipRecordRef\":{\"name\":\"a\"}}").hashCode());
  }
}
