package dev.byoc.sourceip.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Custom resources checked against their CRD's schema the way the API server does it. */
class SchemaValidationTest {
  private static final ApiKinds KINDS = TablesTest.kinds();
  private static final ApiKinds.Kind MAPPINGS =
      KINDS.byPlural("voice.byoc.dev", "v1alpha1", "sourceipmappings").orElseThrow();
  private static final ApiKinds.Kind IP_RECORDS =
      KINDS.byPlural("voice.byoc.dev", "v1alpha1", "iprecords").orElseThrow();

  private final SchemaValidation validation = new SchemaValidation();

  private static JsonNode mapping(String spec) {
    return Discovery.readTree(
        "{\"apiVersion\":\"voice.byoc.dev/v1alpha1\",\"kind\":\"SourceIpMapping\","
            + "\"metadata\":{\"name\":\"x\",\"namespace\":\"telephony\"},\"spec\":"
            + spec
            + "}");
  }

  @Test
  void aSidThatBreaksThePatternIsInvalidWithTheApiServersWords() {
    SchemaValidation.Outcome outcome =
        validation.validate(
            MAPPINGS,
            mapping(
                "{\"ipRecordSid\":\"ILnothex\",\"sipDomainSid\":\"SD" + "a".repeat(32) + "\"}"));

    assertThat(outcome.valid()).isFalse();
    assertThat(outcome.causes())
        .containsExactly(
            new SchemaValidation.Cause(
                "FieldValueInvalid",
                "spec.ipRecordSid",
                "Invalid value: \"ILnothex\": spec.ipRecordSid in body should match"
                    + " '^IL[0-9a-fA-F]{32}$'"));
    JsonNode status = SchemaValidation.invalidStatus(MAPPINGS, "x", outcome.causes());
    assertThat(status.path("code").asInt()).isEqualTo(422);
    assertThat(status.path("reason").asText()).isEqualTo("Invalid");
    assertThat(status.path("message").asText())
        .isEqualTo(
            "SourceIpMapping.voice.byoc.dev \"x\" is invalid: spec.ipRecordSid: Invalid value:"
                + " \"ILnothex\": spec.ipRecordSid in body should match '^IL[0-9a-fA-F]{32}$'");
    assertThat(status.path("details").path("causes").get(0).path("field").asText())
        .isEqualTo("spec.ipRecordSid");
  }

  @Test
  void enumsRequiredFieldsAndTypesAreCheckedAndEveryFailureListed() {
    SchemaValidation.Outcome outcome =
        validation.validate(
            MAPPINGS,
            mapping(
                "{\"ipRecordSid\":\"IL"
                    + "a".repeat(32)
                    + "\",\"sipDomainSid\":\"SD"
                    + "a".repeat(32)
                    + "\",\"deletionPolicy\":\"Keep\",\"managementPolicy\":7}"));

    assertThat(outcome.causes())
        .extracting(SchemaValidation.Cause::text)
        .containsExactlyInAnyOrder(
            "spec.deletionPolicy: Unsupported value: \"Keep\": supported values: \"Delete\","
                + " \"Orphan\"",
            "spec.managementPolicy: Invalid value: \"integer\": spec.managementPolicy in body must"
                + " be of type string: \"integer\"");
    JsonNode status = SchemaValidation.invalidStatus(MAPPINGS, "x", outcome.causes());
    assertThat(status.path("message").asText()).contains("is invalid: [spec.");

    JsonNode noAddress =
        Discovery.readTree(
            "{\"apiVersion\":\"voice.byoc.dev/v1alpha1\",\"kind\":\"IpRecord\","
                + "\"metadata\":{\"name\":\"r\"},\"spec\":{\"friendlyName\":\"pbx\"}}");
    assertThat(validation.validate(IP_RECORDS, noAddress).causes())
        .extracting(SchemaValidation.Cause::text)
        .contains("spec.ipAddress: Required value");
  }

  @Test
  void unknownFieldsArePrunedNullsDroppedAndDefaultsFilledIn() {
    SchemaValidation.Outcome outcome =
        validation.validate(
            MAPPINGS,
            mapping(
                "{\"ipRecordSid\":\"IL"
                    + "a".repeat(32)
                    + "\",\"sipDomainSid\":\"SD"
                    + "a".repeat(32)
                    + "\",\"colour\":\"blue\",\"ipRecordRef\":null}"));

    assertThat(outcome.valid()).as(outcome.causes().toString()).isTrue();
    assertThat(outcome.unknownFields()).containsExactly("spec.colour");
    JsonNode spec = outcome.object().path("spec");
    assertThat(spec.has("colour")).isFalse();
    assertThat(spec.has("ipRecordRef")).isFalse();
    assertThat(spec.path("deletionPolicy").asText()).isEqualTo("Delete");
    assertThat(outcome.object().path("metadata").path("name").asText()).isEqualTo("x");
    assertThat(SchemaValidation.strictMessage(MAPPINGS, outcome.unknownFields()))
        .isEqualTo(
            "SourceIpMapping in version \"v1alpha1\" cannot be handled as a SourceIpMapping:"
                + " strict decoding error: unknown field \"spec.colour\"");
  }

  @Test
  void theCrdsCelRulesAreEvaluatedWithTheirMessages() {
    SchemaValidation.Outcome both =
        validation.validate(
            MAPPINGS,
            mapping(
                "{\"ipRecordSid\":\"IL"
                    + "a".repeat(32)
                    + "\",\"ipRecordRef\":{\"name\":\"pbx\"},\"sipDomainName\":\"acme.sip.twilio.com\"}"));

    assertThat(both.causes())
        .extracting(SchemaValidation.Cause::text)
        .containsExactly(
            "spec: Invalid value: \"object\": set exactly one of ipRecordSid or ipRecordRef");
  }

  @Test
  void aTransitionRuleComparesWithTheStoredObjectOnlyOnUpdate() {
    JsonNode stored = ipRecord("203.0.113.10");
    JsonNode moved = ipRecord("203.0.113.11");

    assertThat(validation.validate(IP_RECORDS, moved).valid()).isTrue();
    assertThat(validation.validate(IP_RECORDS, moved, stored).causes())
        .extracting(SchemaValidation.Cause::text)
        .containsExactly(
            "spec: Invalid value: \"object\": ipAddress is immutable: create a new IpRecord");
    assertThat(validation.validate(IP_RECORDS, stored, stored).valid()).isTrue();
  }

  private static JsonNode ipRecord(String address) {
    return Discovery.readTree(
        "{\"apiVersion\":\"voice.byoc.dev/v1alpha1\",\"kind\":\"IpRecord\","
            + "\"metadata\":{\"name\":\"r\"},\"spec\":{\"ipAddress\":\""
            + address
            + "\"}}");
  }

  @Test
  void patchesMergeAndDiffAsRfc7386Says() {
    JsonNode stored = Discovery.readTree("{\"a\":{\"b\":1,\"c\":2},\"d\":3}");
    JsonNode patch = Discovery.readTree("{\"a\":{\"b\":null,\"e\":4},\"d\":5}");

    JsonNode merged = Patches.apply(stored, patch, false);

    assertThat(merged.toString()).isEqualTo("{\"a\":{\"c\":2,\"e\":4},\"d\":5}");
    assertThat(Patches.merge(stored, Patches.diff(stored, merged))).isEqualTo(merged);
    JsonNode jsonPatch = Discovery.readTree("[{\"op\":\"replace\",\"path\":\"/d\",\"value\":9}]");
    assertThat(Patches.apply(stored, jsonPatch, true).path("d").asInt()).isEqualTo(9);
    assertThat(
            Patches.withoutDirectives(
                    Discovery.readTree("{\"metadata\":{\"$retainKeys\":[\"x\"],\"labels\":{}}}"))
                .toString())
        .isEqualTo("{\"metadata\":{\"labels\":{}}}");
  }
}
