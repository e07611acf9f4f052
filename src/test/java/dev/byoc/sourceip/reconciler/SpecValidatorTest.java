package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.byoc.sourceip.api.v1alpha1.IpRecordReference;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecValidatorTest {
  static final String IP = "IL" + "a".repeat(32);
  static final String SD = "SD" + "A".repeat(32);

  static SourceIpMapping r(String ip, String sd, Map<String, String> annotations) {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName("x")
            .withNamespace("ns")
            .withAnnotations(annotations)
            .build());
    r.setSpec(new SourceIpMappingSpec(ip, sd));
    return r;
  }

  @Test
  void aValidSpecHasNoProblems() {
    assertThat(SpecValidator.problems(r(IP, SD, Map.of()))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "il00000000000000000000000000000000, lower-case prefix",
    "IL0000000000000000000000000000000, one digit short",
    "IL000000000000000000000000000000000, one digit long",
    "ILgggggggggggggggggggggggggggggggg, not hex",
    "SD00000000000000000000000000000000, wrong prefix"
  })
  void malformedIpRecordSidsAreNamed(String sid, String why) {
    assertThat(SpecValidator.problems(r(sid, SD, Map.of())))
        .as(why)
        .singleElement()
        .asString()
        .startsWith("spec.ipRecordSid '" + sid + "' is not a SID");
  }

  @Test
  void missingFieldsAndSpecAreReported() {
    assertThat(SpecValidator.problems(r(null, "", Map.of())))
        .containsExactly(
            "spec.ipRecordSid or spec.ipRecordRef is required: set exactly one",
            "spec.sipDomainSid or spec.sipDomainName is required: set exactly one");
    SourceIpMapping noSpec = r(IP, SD, Map.of());
    noSpec.setSpec(null);
    assertThat(SpecValidator.problems(noSpec)).containsExactly("spec is missing or not an object");
  }

  @Test
  void unreadableFieldsAreNamedOnceEach() {
    SourceIpMapping r = r(null, SD, Map.of());
    var json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    r.getSpec().putUnreadable("ipRecordSid", json.objectNode().put("a", 1));
    r.getSpec().putUnreadable("deletionPolicy", json.textNode("orphan"));
    r.getSpec().putUnreadable("managementPolicy", json.numberNode(7));
    r.getSpec().putUnreadable("f" + "o".repeat(1000), json.booleanNode(true));

    assertThat(SpecValidator.problems(r))
        .containsExactly(
            "spec.ipRecordSid must be a string, not an object",
            "spec.deletionPolicy 'orphan' is not one of Delete, Orphan (case matters)",
            "spec.managementPolicy must be one of Manage, Observe, not a number",
            "spec.f"
                + "o".repeat(63)
                + "... is not a field of SourceIpMapping v1alpha1 (ipRecordSid, ipRecordRef,"
                + " sipDomainSid, sipDomainName, deletionPolicy, managementPolicy, accountRef): a"
                + " typo, or a"
                + " CRD newer than this operator");
  }

  @Test
  void annotationsAreValidatedToo() {
    assertThat(
            SpecValidator.problems(
                r(
                    IP,
                    SD,
                    Map.of(
                        SourceIpMapping.EXTERNAL_SID_ANNOTATION, "IBnope",
                        SourceIpMapping.PAUSED_ANNOTATION, "yes",
                        SourceIpMapping.RESYNC_INTERVAL_ANNOTATION, "1s"))))
        .hasSize(3);
    assertThat(SpecValidator.parseInterval("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(SpecValidator.parseInterval("5s")).isNull();
  }

  @Test
  void aHugeValueIsAbbreviatedInTheMessage() {
    String huge = "IL" + "x".repeat(100_000);
    assertThat(SpecValidator.problems(r(huge, SD, Map.of())).get(0)).hasSizeLessThan(200);
  }

  static SourceIpMapping byReference(String ipRecordSid, String ref, String sd, String name) {
    SourceIpMapping r = r(ipRecordSid, sd, Map.of());
    r.getSpec().setIpRecordRef(ref == null ? null : new IpRecordReference(ref));
    r.getSpec().setSipDomainName(name);
    return r;
  }

  @Test
  void anIpRecordRefAndASipDomainNameStandForTheSids() {
    assertThat(SpecValidator.problems(byReference(null, "office", null, "acme.sip.twilio.com")))
        .isEmpty();
  }

  @Test
  void bothWaysOfNamingTheIpRecordAreOneTooMany() {
    assertThat(SpecValidator.problems(byReference(IP, "office", SD, null)))
        .containsExactly("spec.ipRecordSid and spec.ipRecordRef are both set: set exactly one");
  }

  @Test
  void bothWaysOfNamingTheSipDomainAreOneTooMany() {
    assertThat(SpecValidator.problems(byReference(IP, null, SD, "acme.sip.twilio.com")))
        .containsExactly("spec.sipDomainSid and spec.sipDomainName are both set: set exactly one");
  }

  @Test
  void anEmptySidCountsAsNotSetBesideAReference() {
    assertThat(SpecValidator.problems(byReference("", "office", "", "acme.sip.twilio.com")))
        .isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {"'', empty", "null, absent"})
  void anIpRecordRefWithoutANameIsReported(String name, String why) {
    SourceIpMapping r = byReference(null, null, SD, null);
    r.getSpec().setIpRecordRef(new IpRecordReference(name));

    assertThat(SpecValidator.problems(r))
        .as(why)
        .containsExactly(
            "spec.ipRecordRef.name is required: the name of an IpRecord in this namespace");
  }

  @Test
  void anIpRecordRefNameLongerThanAnyObjectNameIsReported() {
    assertThat(SpecValidator.problems(byReference(null, "n".repeat(254), SD, null)))
        .singleElement()
        .asString()
        .startsWith("spec.ipRecordRef.name 'nnn")
        .endsWith("' is longer than 253 characters, so it names no IpRecord");
  }

  @ParameterizedTest
  @CsvSource({
    "acme, a single label",
    "acme..sip.twilio.com, an empty label",
    "-acme.sip.twilio.com, a label starting with '-'",
    "acme-.sip.twilio.com, a label ending with '-'",
    "acme_corp.sip.twilio.com, an underscore",
    "https://acme.sip.twilio.com, a URL",
    "acme.sip.twilio.com., a trailing dot"
  })
  void aSipDomainNameThatIsNoDomainNameIsNamed(String name, String why) {
    assertThat(SpecValidator.problems(byReference(IP, null, null, name)))
        .as(why)
        .containsExactly(
            "spec.sipDomainName '"
                + name
                + "' is not a domain name such as acme.sip.twilio.com: labels of letters, digits"
                + " and inner '-', separated by dots, at most 253 characters");
  }

  @Test
  void aSipDomainNameOfMoreThan253CharactersIsNamed() {
    String name = ("a".repeat(63) + ".").repeat(4) + "com";
    assertThat(SpecValidator.problems(byReference(IP, null, null, name)))
        .singleElement()
        .asString()
        .startsWith("spec.sipDomainName 'aaa")
        .contains("at most 253 characters");
  }

  @Test
  void unreadableReferencesAreNamedAndNotAlsoReportedAsMissing() {
    SourceIpMapping r = byReference(null, null, null, null);
    var json = JsonNodeFactory.instance;
    r.getSpec().putUnreadable("ipRecordRef", json.objectNode().put("name", "a").put("kind", "b"));
    r.getSpec().putUnreadable("sipDomainName", json.numberNode(7));

    assertThat(SpecValidator.problems(r))
        .containsExactly(
            "spec.ipRecordRef must hold exactly one field, name, a string, not"
                + " {\"name\":\"a\",\"kind\":\"b\"}",
            "spec.sipDomainName must be a string, not a number");
    r.getSpec().putUnreadable("ipRecordRef", json.textNode("office"));
    assertThat(SpecValidator.problems(r))
        .first()
        .isEqualTo("spec.ipRecordRef must be an object with a string name, not a string");
  }
}
