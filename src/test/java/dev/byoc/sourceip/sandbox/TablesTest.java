package dev.byoc.sourceip.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Table the embedded API answers for {@code as=Table}, and the JSONPath behind it. */
class TablesTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  static ApiKinds kinds() {
    return new ApiKinds(EmbeddedKubernetes.CRDS.stream().map(TablesTest::crd).toList());
  }

  static CustomResourceDefinition crd(String path) {
    try (InputStream in = TablesTest.class.getResourceAsStream(path)) {
      return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode mapping() {
    return Discovery.readTree(
        """
        {"apiVersion":"voice.byoc.dev/v1alpha1","kind":"SourceIpMapping",
         "metadata":{"name":"pbx","namespace":"telephony","creationTimestamp":"2026-12-01T11:58:30Z"},
         "status":{"sid":"IB1","conditions":[
           {"type":"Synced","status":"False"},{"type":"Ready","status":"True"}]}}
        """);
  }

  @Test
  void aCustomResourceTableHasNameFirstThenTheCrdsPrinterColumns() {
    ApiKinds.Kind kind =
        kinds().byPlural("voice.byoc.dev", "v1alpha1", "sourceipmappings").orElseThrow();

    JsonNode table = Tables.table(kind, List.of(mapping()), "7", "Object", NOW);

    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("7");
    List<String> names = table.path("columnDefinitions").findValuesAsText("name");
    assertThat(names.get(0)).isEqualTo("Name");
    assertThat(names).contains("READY", "SYNCED", "SID").containsOnlyOnce("AGE");
    JsonNode cells = table.path("rows").get(0).path("cells");
    assertThat(cells.get(0).asText()).isEqualTo("pbx");
    assertThat(cells.get(names.indexOf("READY")).asText()).isEqualTo("True");
    assertThat(cells.get(names.indexOf("SYNCED")).asText()).isEqualTo("False");
    assertThat(cells.get(names.indexOf("SID")).asText()).isEqualTo("IB1");
    assertThat(cells.get(names.indexOf("AGE")).asText()).isEqualTo("90s");
    assertThat(cells.get(names.indexOf("DOMAIN")).isNull()).isTrue();
    assertThat(table.path("rows").get(0).path("object").path("status").path("sid").asText())
        .isEqualTo("IB1");
  }

  @Test
  void withoutIncludeObjectARowCarriesOnlyTheMetadata() {
    ApiKinds.Kind kind =
        kinds().byPlural("voice.byoc.dev", "v1alpha1", "sourceipmappings").orElseThrow();

    JsonNode row = Tables.table(kind, List.of(mapping()), null, null, NOW).path("rows").get(0);

    assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(row.path("object").path("metadata").path("namespace").asText())
        .isEqualTo("telephony");
    assertThat(row.path("object").has("status")).isFalse();
  }

  @Test
  void eventsShowLastSeenTypeReasonObjectAndMessage() {
    JsonNode event =
        Discovery.readTree(
            """
            {"kind":"Event","metadata":{"name":"pbx.1"},"type":"Normal","reason":"Created",
             "message":"Created it","lastTimestamp":"2026-12-01T11:00:00Z",
             "involvedObject":{"kind":"SourceIpMapping","name":"pbx"}}
            """);

    JsonNode table = Tables.table(ApiKinds.EVENTS, List.of(event), null, null, NOW);

    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .startsWith("Last Seen", "Type", "Reason", "Object", "Message");
    assertThat(table.path("rows").get(0).path("cells").toString())
        .startsWith("[\"60m\",\"Normal\",\"Created\",\"sourceipmapping/pbx\",\"Created it\"");
  }

  @Test
  void agesReadAsKubectlPrintsThem() {
    assertThat(Tables.humanDuration(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(Tables.humanDuration(Duration.ofSeconds(200))).isEqualTo("3m20s");
    assertThat(Tables.humanDuration(Duration.ofMinutes(45))).isEqualTo("45m");
    assertThat(Tables.humanDuration(Duration.ofMinutes(150))).isEqualTo("150m");
    assertThat(Tables.humanDuration(Duration.ofMinutes(5 * 60 + 7))).isEqualTo("5h7m");
    assertThat(Tables.humanDuration(Duration.ofHours(50))).isEqualTo("2d2h");
    assertThat(Tables.humanDuration(Duration.ofDays(30))).isEqualTo("30d");
  }

  @Test
  void jsonPathFollowsFieldsIndexesAndFilters() {
    JsonNode m = mapping();
    assertThat(JsonPath.find(m, ".status.conditions[?(@.type==\"Ready\")].status"))
        .extracting(JsonNode::asText)
        .containsExactly("True");
    assertThat(JsonPath.find(m, "{.status.conditions[0].type}"))
        .extracting(JsonNode::asText)
        .containsExactly("Synced");
    assertThat(JsonPath.find(m, ".status.conditions[*].type"))
        .extracting(JsonNode::asText)
        .containsExactly("Synced", "Ready");
    assertThat(JsonPath.find(m, ".status.conditions[?(@.type!=\"Ready\")].status"))
        .extracting(JsonNode::asText)
        .containsExactly("False");
    assertThat(JsonPath.find(m, ".spec.nothing")).isEmpty();
  }
}
