package dev.byoc.sourceip.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed CRDs in crds/ are exactly what the build generates from the Java types. */
class CrdUpToDateTest {
  static final String MAPPING = "sourceipmappings.voice.byoc.dev-v1.yml";
  static final String IP_RECORD = "iprecords.voice.byoc.dev-v1.yml";
  static final String ACCOUNT = "twilioaccounts.voice.byoc.dev-v1.yml";
  static final String CLUSTER_ACCOUNT = "clustertwilioaccounts.voice.byoc.dev-v1.yml";
  static final List<String> FILES = List.of(MAPPING, IP_RECORD, ACCOUNT, CLUSTER_ACCOUNT);

  @ParameterizedTest
  @ValueSource(strings = {MAPPING, IP_RECORD, ACCOUNT, CLUSTER_ACCOUNT})
  void committedCrdMatchesTheGeneratedOne(String file) throws IOException {
    String generated;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + file)) {
      assertThat(in).as("the build generates " + file).isNotNull();
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String committed = Files.readString(Path.of("crds", file));

    assertThat(committed)
        .as(
            "crds/%s is stale; regenerate it with: mvn -q process-classes && cp"
                + " target/classes/META-INF/fabric8/%s crds/",
            file, file)
        .isEqualTo(generated);
  }

  @Test
  void crdsHoldsExactlyTheGeneratedCrds() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(FILES);
    }
  }

  @Test
  void theSchemaStatesTheRulesUsersRelyOn() throws IOException {
    String crd = Files.readString(Path.of("crds", MAPPING));

    assertThat(crd)
        .contains("pattern: \"^IL[0-9a-fA-F]{32}$\"")
        .contains("pattern: \"^SD[0-9a-fA-F]{32}$\"")
        .contains("status: {}")
        .contains("shortNames:")
        .contains("categories:")
        .contains(".status.conditions[?(@.type==\\\"Ready\\\")].status");
  }
}
