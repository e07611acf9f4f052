package dev.byoc.sourceip.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/flux's examples parse, have the expected kinds and settings, and match the docs. */
class FluxExamplesTest {
  private static final Path FLUX = Path.of("deploy", "flux");
  private static final YAMLMapper YAML = new YAMLMapper();

  private static List<JsonNode> documents(Path file) throws IOException {
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      return it.readAll().stream().filter(node -> !node.isNull() && !node.isEmpty()).toList();
    }
  }

  private static String kind(JsonNode node) {
    return node.path("apiVersion").asText() + " " + node.path("kind").asText();
  }

  @Test
  void theHelmReleaseInstallsTheChartAndReplacesTheCrd() throws IOException {
    List<JsonNode> docs = documents(FLUX.resolve("helmrelease.yaml"));
    assertThat(docs)
        .extracting(FluxExamplesTest::kind)
        .containsExactly(
            "source.toolkit.fluxcd.io/v1 GitRepository", "helm.toolkit.fluxcd.io/v2 HelmRelease");
    JsonNode spec = docs.get(1).path("spec");
    assertThat(spec.path("chart").path("spec").path("chart").asText())
        .isEqualTo("./helm/sourceip-operator");
    assertThat(Files.isDirectory(Path.of("helm", "sourceip-operator"))).isTrue();
    assertThat(spec.path("install").path("crds").asText()).isEqualTo("CreateReplace");
    assertThat(spec.path("upgrade").path("crds").asText()).isEqualTo("CreateReplace");
    assertThat(spec.path("chart").path("spec").path("sourceRef").path("name").asText())
        .isEqualTo(docs.get(0).path("metadata").path("name").asText());
  }

  @Test
  void theKustomizationWaitsForTheMappingsWithATimeout() throws IOException {
    List<JsonNode> docs = documents(FLUX.resolve("sourceipmappings.yaml"));
    assertThat(docs)
        .extracting(FluxExamplesTest::kind)
        .containsExactly("kustomize.toolkit.fluxcd.io/v1 Kustomization");
    JsonNode spec = docs.get(0).path("spec");
    assertThat(spec.path("wait").asBoolean()).isTrue();
    assertThat(spec.path("timeout").asText()).matches("\\d+[smh]");
    assertThat(spec.path("sourceRef").path("kind").asText()).isEqualTo("GitRepository");
    assertThat(spec.path("path").asText()).isNotEmpty();
  }

  @Test
  void docsInstallShowsTheSameFluxObjects() throws IOException {
    String install = Files.readString(Path.of("docs", "install.md"));
    Matcher blocks = Pattern.compile("(?s)```yaml\\n(.*?)```").matcher(install);
    StringBuilder flux = new StringBuilder();
    while (blocks.find()) {
      if (blocks.group(1).contains("toolkit.fluxcd.io")) {
        flux.append("---\n").append(blocks.group(1));
      }
    }
    List<JsonNode> documented;
    try (MappingIterator<JsonNode> it =
        YAML.readerFor(JsonNode.class).readValues(flux.toString())) {
      documented = it.readAll().stream().filter(node -> !node.isEmpty()).toList();
    }
    List<JsonNode> files = new java.util.ArrayList<>(documents(FLUX.resolve("helmrelease.yaml")));
    files.addAll(documents(FLUX.resolve("sourceipmappings.yaml")));
    assertThat(documented).containsExactlyInAnyOrderElementsOf(files);
  }
}
