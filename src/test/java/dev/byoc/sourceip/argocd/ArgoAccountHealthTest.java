package dev.byoc.sourceip.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/argocd's TwilioAccount and ClusterTwilioAccount health checks: one script (Argo CD's
 * layout wants a file per group/kind, so there are two copies that differ in the kind's name only),
 * every health_test.yaml case of either kind run through both, the Lua 5.1 guard, and the ConfigMap
 * patch that embeds them.
 */
class ArgoAccountHealthTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path KINDS = Path.of("deploy/argocd/resource_customizations/voice.byoc.dev");
  private static final List<String> ACCOUNT_KINDS =
      List.of("TwilioAccount", "ClusterTwilioAccount");

  private static Path directory(String kind) {
    return KINDS.resolve(kind);
  }

  private static Path healthLua(String kind) {
    return directory(kind).resolve("health.lua");
  }

  /** Every case of every account kind, run by the script of every account kind. */
  static Stream<Arguments> healthTestCases() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    for (String script : ACCOUNT_KINDS) {
      for (String kind : ACCOUNT_KINDS) {
        for (JsonNode test :
            YAML.readTree(directory(kind).resolve("health_test.yaml").toFile()).get("tests")) {
          cases.add(
              Arguments.of(
                  script,
                  kind,
                  test.get("inputPath").asText(),
                  test.get("healthStatus").get("status").asText(),
                  test.get("healthStatus").path("message").asText("")));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}'s script: {1} {2} is {3}")
  @MethodSource("healthTestCases")
  void healthTestYamlCase(
      String script, String kind, String inputPath, String status, String message)
      throws IOException {
    ObjectNode object = (ObjectNode) YAML.readTree(directory(kind).resolve(inputPath).toFile());
    // the same object as the other kind would carry it: the script must not depend on the kind
    object.put("kind", script);
    Health health = ArgoHealthCheck.fromFile(healthLua(script)).evaluate(object);
    assertThat(health).isEqualTo(new Health(status, message));
  }

  @ParameterizedTest
  @ValueSource(strings = {"TwilioAccount", "ClusterTwilioAccount"})
  void everyTestdataFileIsACaseAndAFullAccount(String kind) throws IOException {
    List<String> listed =
        healthTestCases()
            .filter(a -> a.get()[0].equals(kind) && a.get()[1].equals(kind))
            .map(a -> (String) a.get()[2])
            .sorted()
            .toList();
    List<String> files;
    try (Stream<Path> paths = Files.list(directory(kind).resolve("testdata"))) {
      files = paths.map(p -> "testdata/" + p.getFileName()).sorted().toList();
    }
    assertThat(listed).doesNotHaveDuplicates().isEqualTo(files);
    for (String file : files) {
      JsonNode object = YAML.readTree(directory(kind).resolve(file).toFile());
      assertThat(object.path("apiVersion").asText()).as(file).isEqualTo("voice.byoc.dev/v1alpha1");
      assertThat(object.path("kind").asText()).as(file).isEqualTo(kind);
      assertThat(object.path("metadata").path("namespace").isMissingNode())
          .as(file + ": a ClusterTwilioAccount has no namespace")
          .isEqualTo(kind.startsWith("Cluster"));
      assertThat(object.path("metadata").path("generation").isIntegralNumber()).as(file).isTrue();
      assertThat(object.path("spec").path("credentialsSecretRef").path("name").isTextual())
          .as(file)
          .isTrue();
    }
  }

  @Test
  void theTwoKindsShareOneScriptButForTheKindsName() throws IOException {
    String namespaced = Files.readString(healthLua("TwilioAccount"));
    String cluster = Files.readString(healthLua("ClusterTwilioAccount"));

    assertThat(
            cluster.replace(
                "voice.byoc.dev ClusterTwilioAccount (", "voice.byoc.dev TwilioAccount ("))
        .as("a fix to one account health.lua belongs in the other too")
        .isEqualTo(namespaced);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TwilioAccount", "ClusterTwilioAccount"})
  void healthLuaUsesOnlyLua51AndTheLibrariesArgoCdOpens(String kind) throws IOException {
    assertThat(ArgoHealthCheck.lua51Violations(Files.readString(healthLua(kind)))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TwilioAccount", "ClusterTwilioAccount"})
  void theConfigMapPatchEmbedsHealthLuaByteForByte(String kind) throws IOException {
    JsonNode patch = YAML.readTree(Path.of("deploy/argocd/argocd-cm-patch.yaml").toFile());
    String embedded =
        patch
            .path("data")
            .path("resource.customizations.health.voice.byoc.dev_" + kind)
            .asText(null);
    assertThat(embedded).isEqualTo(Files.readString(healthLua(kind)));
  }
}
