package dev.byoc.sourceip.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs carry the rules an API server enforces on its own: the immutability and
 * exactly-one CEL rules with their messages, patterns, lengths and bounds. (No API server here
 * evaluates CEL; the operator's validators report the same rules where none did.)
 */
class CrdRulesTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  static JsonNode spec(String file) throws IOException {
    JsonNode crd = YAML.readTree(Path.of("crds", file).toFile());
    return crd.path("spec")
        .path("versions")
        .get(0)
        .path("schema")
        .path("openAPIV3Schema")
        .path("properties")
        .path("spec");
  }

  static Map<String, String> rules(JsonNode spec) {
    Map<String, String> rules = new LinkedHashMap<>();
    spec.path("x-kubernetes-validations")
        .forEach(v -> rules.put(v.path("rule").asText(), v.path("message").asText()));
    return rules;
  }

  @Test
  void anIpRecordsAddressAndEffectivePrefixAreImmutable() throws IOException {
    JsonNode spec = spec(CrdUpToDateTest.IP_RECORD);

    assertThat(rules(spec))
        .containsExactly(
            Map.entry(
                "self.ipAddress == oldSelf.ipAddress",
                "ipAddress is immutable: create a new IpRecord"),
            Map.entry(
                "(has(self.cidrPrefixLength) ? self.cidrPrefixLength : 32)"
                    + " == (has(oldSelf.cidrPrefixLength) ? oldSelf.cidrPrefixLength : 32)",
                "cidrPrefixLength is immutable (omitted means 32): create a new IpRecord"));
  }

  @Test
  void anIpRecordsFieldsAreBoundedAndAnOmittedPrefixGetsNoDefault() throws IOException {
    JsonNode spec = spec(CrdUpToDateTest.IP_RECORD);
    JsonNode properties = spec.path("properties");

    assertThat(spec.path("required").toString()).isEqualTo("[\"ipAddress\"]");
    assertThat(properties.path("ipAddress").path("pattern").asText())
        .isEqualTo(IpRecordSpec.IP_ADDRESS_PATTERN);
    assertThat(properties.path("ipAddress").path("maxLength").asInt()).isEqualTo(15);
    JsonNode prefix = properties.path("cidrPrefixLength");
    assertThat(prefix.path("type").asText()).isEqualTo("integer");
    assertThat(prefix.path("minimum").asInt()).isEqualTo(1);
    assertThat(prefix.path("maximum").asInt()).isEqualTo(32);
    assertThat(prefix.has("default")).as("an omitted prefix must never show as drift").isFalse();
    assertThat(properties.path("friendlyName").path("maxLength").asInt()).isEqualTo(255);
    assertThat(properties.path("deletionPolicy").path("default").asText()).isEqualTo("Delete");
    assertThat(properties.path("managementPolicy").path("default").asText()).isEqualTo("Manage");
    properties
        .fields()
        .forEachRemaining(f -> assertThat(f.getValue().has("description")).as(f.getKey()).isTrue());
  }

  @Test
  void aMappingNamesItsIpRecordAndItsSipDomainExactlyOneWayEach() throws IOException {
    JsonNode spec = spec(CrdUpToDateTest.MAPPING);

    assertThat(rules(spec))
        .containsExactly(
            Map.entry(
                "has(self.ipRecordSid) != has(self.ipRecordRef)",
                "set exactly one of ipRecordSid or ipRecordRef"),
            Map.entry(
                "has(self.sipDomainSid) != has(self.sipDomainName)",
                "set exactly one of sipDomainSid or sipDomainName"));
    assertThat(spec.has("required")).as("neither SID is required on its own any more").isFalse();
  }

  @Test
  void aMappingsReferencesAreShapedAsTheValidatorExpects() throws IOException {
    JsonNode properties = spec(CrdUpToDateTest.MAPPING).path("properties");

    JsonNode ref = properties.path("ipRecordRef");
    assertThat(ref.path("type").asText()).isEqualTo("object");
    assertThat(ref.path("required").toString()).isEqualTo("[\"name\"]");
    assertThat(ref.path("properties").path("name").path("minLength").asInt()).isEqualTo(1);
    JsonNode name = properties.path("sipDomainName");
    assertThat(name.path("pattern").asText())
        .isEqualTo(SourceIpMappingSpec.SIP_DOMAIN_NAME_PATTERN);
    assertThat(name.path("maxLength").asInt()).isEqualTo(253);
    Pattern domain = Pattern.compile(name.path("pattern").asText());
    assertThat(domain.matcher("acme.sip.twilio.com").matches()).isTrue();
    assertThat(domain.matcher("acme").matches()).isFalse();
    assertThat(domain.matcher("-acme.sip.twilio.com").matches()).isFalse();
  }

  @Test
  void theIpv4PatternTakesEveryDottedQuadAndNothingElse() {
    Pattern ipv4 = Pattern.compile(IpRecordSpec.IP_ADDRESS_PATTERN);

    for (int octet = 0; octet <= 255; octet++) {
      assertThat(ipv4.matcher("10.0." + octet + ".1").matches()).as("octet %d", octet).isTrue();
    }
    for (String bad : new String[] {"256.0.0.1", "00.0.0.1", "010.0.0.1", "1.2.3", "1.2.3.4."}) {
      assertThat(ipv4.matcher(bad).matches()).as(bad).isFalse();
    }
  }
}
