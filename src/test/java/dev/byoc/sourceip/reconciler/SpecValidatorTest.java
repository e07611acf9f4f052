package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

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
        .containsExactly("spec.ipRecordSid is required", "spec.sipDomainSid is required");
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
                + "... is not a field of SourceIpMapping v1alpha1 (ipRecordSid, sipDomainSid,"
                + " deletionPolicy, managementPolicy): a typo, or a CRD newer than this operator");
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
}
