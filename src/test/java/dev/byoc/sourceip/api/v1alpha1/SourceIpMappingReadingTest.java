package dev.byoc.sourceip.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Any JSON an API server may hold for a SourceIpMapping is read without failing (a failure stops
 * the informer, and JOSDK then stops the process): what cannot be read is kept aside to report.
 */
class SourceIpMappingReadingTest {
  static final KubernetesSerialization JSON = new KubernetesSerialization();
  static final String HEAD =
      "{\"apiVersion\":\"voice.byoc.dev/v1alpha1\",\"kind\":\"SourceIpMapping\","
          + "\"metadata\":{\"name\":\"x\",\"namespace\":\"ns\"}";
  static final String IP = "IL" + "a".repeat(32);
  static final String SD = "SD" + "b".repeat(32);

  static SourceIpMapping read(String rest) {
    return JSON.unmarshal(HEAD + rest + "}", SourceIpMapping.class);
  }

  @Test
  void aSoundSpecHasNothingUnreadable() {
    SourceIpMapping r =
        read(
            ",\"spec\":{\"ipRecordSid\":\"%s\",\"sipDomainSid\":\"%s\",\"deletionPolicy\":\"Orphan\",\"managementPolicy\":\"Observe\"}"
                .formatted(IP, SD));

    assertThat(r.getSpec().getIpRecordSid()).isEqualTo(IP);
    assertThat(r.getSpec().getSipDomainSid()).isEqualTo(SD);
    assertThat(r.getSpec().getDeletionPolicy()).isEqualTo(DeletionPolicy.Orphan);
    assertThat(r.getSpec().getManagementPolicy()).isEqualTo(ManagementPolicy.Observe);
    assertThat(r.getSpec().getUnreadable()).isEmpty();
  }

  @Test
  void unknownFieldsAndValuesAreKeptAsTheyCame() {
    SourceIpMapping r =
        read(
            ",\"spec\":{\"ipRecordSid\":{\"a\":1},\"sipDomainSid\":\"%s\",\"deletionPolicy\":\"orphan\",\"managementPolicy\":7,\"foo\":[1,2]}"
                .formatted(SD));

    assertThat(r.getSpec().getSipDomainSid()).isEqualTo(SD);
    assertThat(r.getSpec().getIpRecordSid()).isNull();
    assertThat(r.getSpec().getDeletionPolicy()).isNull();
    assertThat(r.getSpec().getManagementPolicy()).isNull();
    assertThat(r.getSpec().getUnreadable())
        .containsOnlyKeys("ipRecordSid", "deletionPolicy", "managementPolicy", "foo");
    assertThat(r.getSpec().getUnreadable().get("deletionPolicy").textValue()).isEqualTo("orphan");
    assertThat(r.getSpec().getUnreadable().get("foo").toString()).isEqualTo("[1,2]");
  }

  @Test
  void nullsAreAbsentNotUnreadable() {
    SourceIpMapping r = read(",\"spec\":{\"ipRecordSid\":null,\"deletionPolicy\":null}");

    assertThat(r.getSpec().getIpRecordSid()).isNull();
    assertThat(r.getSpec().getUnreadable()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"x\"", "[1]", "42", "true"})
  void aSpecThatIsNotAnObjectIsReadAsNoSpec(String spec) {
    assertThat(read(",\"spec\":" + spec).getSpec()).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"x\"",
        "{\"observedGeneration\":\"abc\",\"sid\":\"IB1\"}",
        "{\"conditions\":\"none\"}",
        "{\"conditions\":[{\"type\":\"Ready\",\"observedGeneration\":\"x\"}]}"
      })
  void aStatusOfTheWrongShapeIsReadAsNone(String status) {
    assertThat(read(",\"status\":" + status).getStatus()).isNull();
  }

  @Test
  void unknownStatusAndTopLevelFieldsAreIgnored() {
    SourceIpMapping r = read(",\"foo\":1,\"status\":{\"sid\":\"IB1\",\"newerField\":{\"a\":1}}");

    assertThat(r.getStatus().getSid()).isEqualTo("IB1");
  }

  @Test
  void theUnreadableIsPartOfEquality() {
    SourceIpMappingSpec a = new SourceIpMappingSpec(IP, SD);
    SourceIpMappingSpec b = new SourceIpMappingSpec(IP, SD);
    b.putUnreadable("foo", JsonNodeFactory.instance.numberNode(1));

    assertThat(a).isNotEqualTo(b);
    a.putUnreadable("foo", JsonNodeFactory.instance.numberNode(1));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }
}
