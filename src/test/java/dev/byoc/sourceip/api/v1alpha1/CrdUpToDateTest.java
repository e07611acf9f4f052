package dev.byoc.sourceip.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed CRD in crds/ is exactly what the build generates from the Java types. */
class CrdUpToDateTest {
  static final String FILE = "sourceipmappings.voice.byoc.dev-v1.yml";

  @Test
  void committedCrdMatchesTheGeneratedOne() throws IOException {
    String generated;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/fabric8/" + FILE)) {
      assertThat(in).as("the build generates " + FILE).isNotNull();
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String committed = Files.readString(Path.of("crds", FILE));

    assertThat(committed)
        .as(
            "crds/%s is stale; regenerate it with: mvn -q process-classes && cp"
                + " target/classes/META-INF/fabric8/%s crds/",
            FILE, FILE)
        .isEqualTo(generated);
  }

  @Test
  void theSchemaStatesTheRulesUsersRelyOn() throws IOException {
    String crd = Files.readString(Path.of("crds", FILE));

    assertThat(crd)
        .contains("pattern: \"^IL[0-9a-fA-F]{32}$\"")
        .contains("pattern: \"^SD[0-9a-fA-F]{32}$\"")
        .contains("- \"ipRecordSid\"")
        .contains("- \"sipDomainSid\"")
        .contains("status: {}")
        .contains("shortNames:")
        .contains("categories:")
        .contains(".status.conditions[?(@.type==\\\"Ready\\\")].status");
  }
}
