package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRecordSpecValidatorTest {

  static IpRecord r(String address, Map<String, String> annotations) {
    IpRecord r = new IpRecord();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName("office")
            .withNamespace("ns")
            .withAnnotations(annotations)
            .build());
    r.setSpec(new IpRecordSpec(address));
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "203.0.113.10", "255.255.255.255", "10.2.3.4", "1.10.100.199"})
  void aDottedQuadIsSound(String address) {
    assertThat(IpRecordSpecValidator.problems(r(address, Map.of()))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "256.1.1.1, an octet over 255",
    "1.2.3, three octets",
    "1.2.3.4.5, five octets",
    "01.2.3.4, a leading zero",
    "1.2.3.04, a leading zero at the end",
    "1.2.3.4/30, a CIDR suffix",
    "2001:db8::1, IPv6",
    "' 1.2.3.4', a leading space",
    "a.b.c.d, letters"
  })
  void anAddressThatIsNoIpv4DottedQuadIsNamed(String address, String why) {
    assertThat(IpRecordSpecValidator.problems(r(address, Map.of())))
        .as(why)
        .containsExactly(
            "spec.ipAddress '"
                + address
                + "' is not an IPv4 address in dotted decimal notation: four numbers 0-255"
                + " without leading zeros, such as 203.0.113.10 (Twilio takes IPv4 only)");
  }

  @Test
  void aMissingOrEmptyAddressIsRequired() {
    assertThat(IpRecordSpecValidator.problems(r(null, Map.of())))
        .containsExactly("spec.ipAddress is required");
    assertThat(IpRecordSpecValidator.problems(r("", Map.of())))
        .containsExactly("spec.ipAddress is required");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 24, 32})
  void aPrefixFrom1To32IsSound(int prefix) {
    IpRecord r = r("10.0.0.0", Map.of());
    r.getSpec().setCidrPrefixLength(prefix);

    assertThat(IpRecordSpecValidator.problems(r)).isEmpty();
    assertThat(r.getSpec().effectiveCidrPrefixLength()).isEqualTo(prefix);
  }

  @Test
  void anOmittedPrefixIsSoundAndMeans32() {
    IpRecord r = r("10.0.0.1", Map.of());

    assertThat(IpRecordSpecValidator.problems(r)).isEmpty();
    assertThat(r.getSpec().getCidrPrefixLength()).isNull();
    assertThat(r.getSpec().effectiveCidrPrefixLength()).isEqualTo(32);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 33, -1})
  void aPrefixOutside1To32IsNamedWithItsValue(int prefix) {
    IpRecord r = r("10.0.0.0", Map.of());
    r.getSpec().setCidrPrefixLength(prefix);

    assertThat(IpRecordSpecValidator.problems(r))
        .containsExactly(
            "spec.cidrPrefixLength "
                + prefix
                + " is out of range: expected 1 to 32 (omitted means 32)");
  }

  @Test
  void aFriendlyNameOfUpTo255CharactersIsSoundAndLongerIsNamed() {
    IpRecord r = r("10.0.0.1", Map.of());
    r.getSpec().setFriendlyName("é".repeat(255));
    assertThat(IpRecordSpecValidator.problems(r)).isEmpty();

    r.getSpec().setFriendlyName("x".repeat(256));
    assertThat(IpRecordSpecValidator.problems(r))
        .containsExactly("spec.friendlyName is 256 characters long: Twilio takes at most 255");
  }

  @Test
  void unreadableFieldsAreNamedOnceEach() {
    IpRecord r = r(null, Map.of());
    var json = JsonNodeFactory.instance;
    r.getSpec().putUnreadable("ipAddress", json.numberNode(10));
    r.getSpec().putUnreadable("cidrPrefixLength", json.textNode("24"));
    r.getSpec().putUnreadable("friendlyName", json.booleanNode(true));
    r.getSpec().putUnreadable("deletionPolicy", json.textNode("delete"));
    r.getSpec().putUnreadable("ipRecordSid", json.textNode("IL1"));

    assertThat(IpRecordSpecValidator.problems(r))
        .containsExactly(
            "spec.ipAddress must be a string, not a number",
            "spec.cidrPrefixLength must be a whole number from 1 to 32, not a string",
            "spec.friendlyName must be a string, not a boolean",
            "spec.deletionPolicy 'delete' is not one of Delete, Orphan (case matters)",
            "spec.ipRecordSid is not a field of IpRecord v1alpha1 (ipAddress, cidrPrefixLength,"
                + " friendlyName, deletionPolicy, managementPolicy, accountRef): a typo, or a CRD"
                + " newer than"
                + " this operator");
  }

  @Test
  void aFractionalPrefixIsNamedWithItsValue() {
    IpRecord r = r("10.0.0.0", Map.of());
    r.getSpec().putUnreadable("cidrPrefixLength", JsonNodeFactory.instance.numberNode(24.5));

    assertThat(IpRecordSpecValidator.problems(r))
        .containsExactly("spec.cidrPrefixLength must be a whole number from 1 to 32, not 24.5");
  }

  @Test
  void theExternalSidOfAnIpRecordMustBeAnIlSid() {
    assertThat(
            IpRecordSpecValidator.problems(
                r("10.0.0.1", Map.of(IpRecord.EXTERNAL_SID_ANNOTATION, "IB" + "a".repeat(32)))))
        .singleElement()
        .asString()
        .isEqualTo(
            "annotation voice.byoc.dev/external-sid 'IB"
                + "a".repeat(32)
                + "' is not a SID: expected IL followed by 32 hexadecimal digits");
    assertThat(
            IpRecordSpecValidator.problems(
                r("10.0.0.1", Map.of(IpRecord.EXTERNAL_SID_ANNOTATION, "IL" + "a".repeat(32)))))
        .isEmpty();
  }

  @Test
  void pausedAndResyncAnnotationsAreValidatedAsForAMapping() {
    assertThat(
            IpRecordSpecValidator.problems(
                r(
                    "10.0.0.1",
                    Map.of(
                        IpRecord.PAUSED_ANNOTATION, "yes",
                        IpRecord.RESYNC_INTERVAL_ANNOTATION, "1s"))))
        .hasSize(2);
  }

  @Test
  void aMissingSpecIsReported() {
    IpRecord r = r("10.0.0.1", Map.of());
    r.setSpec(null);
    assertThat(IpRecordSpecValidator.problems(r))
        .containsExactly("spec is missing or not an object");
  }
}
