package dev.byoc.sourceip.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.byoc.sourceip.argocd.ArgoHealthCheck.Health;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/argocd's IpRecord health check: its health_test.yaml cases, the Lua 5.1 guard, the
 * ConfigMap patch that embeds it, and that it is the SourceIpMapping check but for the kind's name.
 */
class ArgoIpRecordHealthTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ArgoHealthCheck CHECK = ArgoHealthCheck.ipRecord();

  static Stream<Arguments> healthTestCases() throws IOException {
    JsonNode tests =
        YAML.readTree(ArgoHealthCheck.IP_RECORD_DIRECTORY.resolve("health_test.yaml").toFile())
            .get("tests");
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode test : tests) {
      cases.add(
          Arguments.of(
              test.get("inputPath").asText(),
              test.get("healthStatus").get("status").asText(),
              test.get("healthStatus").path("message").asText("")));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("healthTestCases")
  void healthTestYamlCase(String inputPath, String status, String message) {
    Health health = CHECK.evaluateYaml(ArgoHealthCheck.IP_RECORD_DIRECTORY.resolve(inputPath));
    assertThat(health).isEqualTo(new Health(status, message));
  }

  @Test
  void everyTestdataFileIsACaseAndAFullIpRecord() throws IOException {
    List<String> listed =
        healthTestCases().map(arguments -> (String) arguments.get()[0]).sorted().toList();
    List<String> files;
    try (Stream<Path> paths = Files.list(ArgoHealthCheck.IP_RECORD_DIRECTORY.resolve("testdata"))) {
      files = paths.map(p -> "testdata/" + p.getFileName()).sorted().toList();
    }
    assertThat(listed).doesNotHaveDuplicates().isEqualTo(files);
    for (String file : files) {
      JsonNode object = YAML.readTree(ArgoHealthCheck.IP_RECORD_DIRECTORY.resolve(file).toFile());
      assertThat(object.path("apiVersion").asText()).as(file).isEqualTo("voice.byoc.dev/v1alpha1");
      assertThat(object.path("kind").asText()).as(file).isEqualTo("IpRecord");
      assertThat(object.path("metadata").path("generation").isIntegralNumber()).as(file).isTrue();
      assertThat(object.path("spec").path("ipAddress").isTextual()).as(file).isTrue();
    }
  }

  @Test
  void healthLuaUsesOnlyLua51AndTheLibrariesArgoCdOpens() throws IOException {
    assertThat(
            ArgoHealthCheck.lua51Violations(Files.readString(ArgoHealthCheck.IP_RECORD_HEALTH_LUA)))
        .isEmpty();
  }

  @Test
  void itIsTheSourceIpMappingCheckButForTheKindsName() throws IOException {
    String mapping = Files.readString(ArgoHealthCheck.HEALTH_LUA);
    String ipRecord = Files.readString(ArgoHealthCheck.IP_RECORD_HEALTH_LUA);

    assertThat(
            ipRecord
                .replace("voice.byoc.dev IpRecord", "voice.byoc.dev SourceIpMapping")
                .replace("the IP record to become Ready", "the mapping to become Ready"))
        .as("a fix to one health.lua belongs in the other too")
        .isEqualTo(mapping);
  }

  @Test
  void theConfigMapPatchEmbedsHealthLuaByteForByte() throws IOException {
    JsonNode patch = YAML.readTree(Path.of("deploy/argocd/argocd-cm-patch.yaml").toFile());
    String embedded =
        patch
            .path("data")
            .path("resource.customizations.health.voice.byoc.dev_IpRecord")
            .asText(null);
    assertThat(embedded).isEqualTo(Files.readString(ArgoHealthCheck.IP_RECORD_HEALTH_LUA));
  }
}
