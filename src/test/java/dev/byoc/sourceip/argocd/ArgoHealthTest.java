package dev.byoc.sourceip.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.argocd.ArgoHealthCheck.Health;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/argocd's health check: every case of its health_test.yaml (Argo CD's own format, as Argo
 * CD's test runs it), objects written before Reconciling and Stalled existed, objects built with
 * the operator's Java types, the Lua 5.1 guard, and the ConfigMap patch that embeds the script.
 */
class ArgoHealthTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ArgoHealthCheck CHECK = ArgoHealthCheck.sourceIpMapping();
  private static final String IL = "IL3f1a9c0e5b7d2f4a6c8e0b1d3f5a7c9e";
  private static final String SD = "SD8b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a";

  static Stream<Arguments> healthTestCases() throws IOException {
    JsonNode tests =
        YAML.readTree(ArgoHealthCheck.DIRECTORY.resolve("health_test.yaml").toFile()).get("tests");
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
    Health health = CHECK.evaluateYaml(ArgoHealthCheck.DIRECTORY.resolve(inputPath));
    assertThat(health).isEqualTo(new Health(status, message));
  }

  @Test
  void everyTestdataFileIsACaseAndAFullSourceIpMapping() throws IOException {
    List<String> listed =
        healthTestCases().map(arguments -> (String) arguments.get()[0]).sorted().toList();
    List<String> files;
    try (Stream<Path> paths = Files.list(ArgoHealthCheck.DIRECTORY.resolve("testdata"))) {
      files = paths.map(p -> "testdata/" + p.getFileName()).sorted().toList();
    }
    assertThat(listed).doesNotHaveDuplicates().isEqualTo(files);
    for (String file : files) {
      JsonNode object = YAML.readTree(ArgoHealthCheck.DIRECTORY.resolve(file).toFile());
      assertThat(object.path("apiVersion").asText()).as(file).isEqualTo("voice.byoc.dev/v1alpha1");
      assertThat(object.path("kind").asText()).as(file).isEqualTo("SourceIpMapping");
      assertThat(object.path("metadata").path("generation").isIntegralNumber()).as(file).isTrue();
      assertThat(object.path("spec").path("ipRecordSid").isTextual()).as(file).isTrue();
    }
  }

  @Test
  void healthLuaUsesOnlyLua51AndTheLibrariesArgoCdOpens() throws IOException {
    assertThat(ArgoHealthCheck.lua51Violations(Files.readString(ArgoHealthCheck.HEALTH_LUA)))
        .isEmpty();
  }

  @Test
  void theLua51GuardCatchesWhatGopherLuaRefuses() {
    assertThat(ArgoHealthCheck.lua51Violations("goto done\n::done::")).containsExactly("goto");
    assertThat(ArgoHealthCheck.lua51Violations("local n = 7 // 2")).hasSize(1);
    assertThat(ArgoHealthCheck.lua51Violations("local n = utf8.len(s)")).hasSize(1);
    assertThat(ArgoHealthCheck.lua51Violations("local n <const> = 1")).hasSize(1);
    assertThat(ArgoHealthCheck.lua51Violations("local n = string.len(s)")).hasSize(1);
    assertThat(ArgoHealthCheck.lua51Violations("-- see https://argo-cd.readthedocs.io/ goto\n"))
        .isEmpty();
  }

  @Test
  void theConfigMapPatchEmbedsHealthLuaByteForByte() throws IOException {
    JsonNode patch = YAML.readTree(Path.of("deploy/argocd/argocd-cm-patch.yaml").toFile());
    assertThat(patch.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(patch.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
    String embedded =
        patch
            .path("data")
            .path("resource.customizations.health.voice.byoc.dev_SourceIpMapping")
            .asText(null);
    assertThat(embedded).isEqualTo(Files.readString(ArgoHealthCheck.HEALTH_LUA));
  }

  // objects written before Reconciling and Stalled existed: Ready and Synced only

  @ParameterizedTest(name = "legacy Ready=False {0} is Progressing")
  @ValueSource(strings = {"Creating", "Deleting", "TwilioUnavailable"})
  void legacyWorkUnderWayIsProgressing(String reason) {
    SourceIpMapping mapping =
        mapping(
            1, 1, condition("Ready", "False", reason, "why " + reason), synced("False", reason));
    assertThat(CHECK.evaluate(mapping)).isEqualTo(new Health("Progressing", "why " + reason));
  }

  @ParameterizedTest(name = "legacy Ready=False {0} is Degraded")
  @ValueSource(
      strings = {
        "InvalidSpec",
        "TwilioRejected",
        "Conflict",
        "CredentialsInvalid",
        "ReferenceNotReady"
      })
  void legacyStuckIsDegraded(String reason) {
    SourceIpMapping mapping =
        mapping(
            1, 1, condition("Ready", "False", reason, "why " + reason), synced("False", reason));
    assertThat(CHECK.evaluate(mapping)).isEqualTo(new Health("Degraded", "why " + reason));
  }

  @Test
  void legacyReadyIsHealthy() {
    SourceIpMapping mapping =
        mapping(1, 1, condition("Ready", "True", "Available", "maps"), synced("True", "x"));
    assertThat(CHECK.evaluate(mapping)).isEqualTo(new Health("Healthy", "maps"));
  }

  @Test
  void legacyObserveDriftIsSuspended() {
    SourceIpMapping mapping =
        mapping(
            1,
            1,
            condition("Ready", "False", "Observing", "differs"),
            condition("Synced", "False", "Observing", "differs"));
    mapping.getSpec().setManagementPolicy(dev.byoc.sourceip.api.v1alpha1.ManagementPolicy.Observe);
    assertThat(CHECK.evaluate(mapping)).isEqualTo(new Health("Suspended", "differs"));
  }

  @Test
  void legacyPausedAnnotationIsSuspended() {
    SourceIpMapping mapping =
        mapping(
            1,
            1,
            condition("Ready", "False", "Paused", "paused: no writes"),
            condition("Synced", "False", "Paused", "paused: no writes"));
    mapping.getMetadata().setAnnotations(Map.of(SourceIpMapping.PAUSED_ANNOTATION, "true"));
    assertThat(CHECK.evaluate(mapping)).isEqualTo(new Health("Suspended", "paused: no writes"));
  }

  @Test
  void pausedStatusWithoutTheAnnotationIsResumingNotSuspended() {
    SourceIpMapping mapping =
        mapping(
            1,
            1,
            condition("Ready", "False", "Paused", "paused"),
            condition("Synced", "False", "Paused", "paused"));
    assertThat(CHECK.evaluate(mapping).status()).isEqualTo("Progressing");
  }

  // built with the operator's types (fabric8's JSON of them), as a later IT will

  @Test
  void stalledAtTheCurrentGenerationIsDegradedWithItsMessage() {
    SourceIpMapping mapping =
        mapping(
            4,
            4,
            condition("Ready", "False", "TwilioRejected", "rejected"),
            synced("False", "TwilioRejected"),
            condition("Reconciling", "False", "TwilioRejected", ""),
            condition("Stalled", "True", "TwilioRejected", "Twilio said 21212"));
    assertThat(CHECK.evaluate(mapping)).isEqualTo(new Health("Degraded", "Twilio said 21212"));
  }

  @Test
  void stalledForAnOlderGenerationIsProgressing() {
    SourceIpMapping mapping =
        mapping(
            5,
            4,
            condition("Ready", "False", "InvalidSpec", "bad"),
            synced("False", "InvalidSpec"),
            condition("Stalled", "True", "InvalidSpec", "bad"));
    assertThat(CHECK.evaluate(mapping))
        .isEqualTo(
            new Health(
                "Progressing",
                "Waiting for the operator to observe generation 5 (status is of generation 4)"));
  }

  @Test
  void aConditionOfAnOlderGenerationDoesNotCountEvenWhenStatusIsCurrent() {
    Condition stalled = condition("Stalled", "True", "Conflict", "old conflict");
    stalled.setObservedGeneration(1L);
    SourceIpMapping mapping =
        mapping(
            2,
            2,
            condition("Ready", "True", "Available", "maps"),
            synced("True", "ReconcileSuccess"),
            stalled);
    assertThat(CHECK.evaluate(mapping)).isEqualTo(new Health("Healthy", "maps"));
  }

  @Test
  void readyWhileReconcilingIsProgressing() {
    SourceIpMapping mapping =
        mapping(
            2,
            2,
            condition("Ready", "True", "Available", "maps"),
            synced("False", "TwilioUnavailable"),
            condition("Reconciling", "True", "TwilioUnavailable", "429, retrying in 4s"),
            condition("Stalled", "False", "TwilioUnavailable", ""));
    assertThat(CHECK.evaluate(mapping)).isEqualTo(new Health("Progressing", "429, retrying in 4s"));
  }

  @Test
  void noStatusIsProgressing() {
    SourceIpMapping mapping = mapping(1, 1);
    mapping.setStatus(null);
    assertThat(CHECK.evaluate(mapping))
        .isEqualTo(new Health("Progressing", "Waiting for the operator to report status"));
  }

  @Test
  void deletionWithoutConditionsIsProgressing() {
    SourceIpMapping mapping = mapping(1, 1);
    mapping.getMetadata().setDeletionTimestamp("2026-11-30T10:02:17Z");
    assertThat(CHECK.evaluate(mapping)).isEqualTo(new Health("Progressing", "Deleting"));
  }

  // the conversion of obj, as Argo CD does it

  @Test
  void objIsConvertedAsArgoCdConvertsIt() {
    ArgoHealthCheck probe =
        ArgoHealthCheck.fromScript(
            "return {status = \"Healthy\", message = #obj.list .. \" \" .. obj.list[1]"
                + " .. \" \" .. obj.list[2] .. \" \" .. type(obj.gone) .. \" \" .. obj.n"
                + " .. \" \" .. obj.f .. \" \" .. tostring(obj.b) .. \" \" .. type(obj.o)}");
    Health health =
        probe.evaluateJson(
            "{\"list\":[\"a\",null,\"c\"],\"gone\":null,\"n\":3,\"f\":0.5,"
                + "\"b\":false,\"o\":{}}");
    assertThat(health).isEqualTo(new Health("Healthy", "2 a c nil 3 0.5 false table"));
  }

  @Test
  void theStringLibraryIsNotThereAsInArgoCd() {
    ArgoHealthCheck probe =
        ArgoHealthCheck.fromScript("return {status = \"Healthy\", message = string.upper(\"x\")}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> probe.evaluateJson("{}"))
        .isInstanceOf(org.luaj.vm2.LuaError.class);
  }

  @Test
  void anUnknownStatusIsUnknown() {
    assertThat(ArgoHealthCheck.fromScript("return {status = \"Fine\"}").evaluateJson("{}"))
        .isEqualTo(new Health("Unknown", "Lua returned an invalid health status"));
  }

  private static SourceIpMapping mapping(long generation, long observed, Condition... conditions) {
    SourceIpMapping mapping = new SourceIpMapping();
    mapping.setMetadata(
        new ObjectMetaBuilder()
            .withName("pbx-east")
            .withNamespace("telephony")
            .withGeneration(generation)
            .build());
    SourceIpMappingSpec spec = new SourceIpMappingSpec();
    spec.setIpRecordSid(IL);
    spec.setSipDomainSid(SD);
    mapping.setSpec(spec);
    SourceIpMappingStatus status = new SourceIpMappingStatus();
    status.setObservedGeneration(observed);
    for (Condition condition : conditions) {
      if (condition.getObservedGeneration() == null) {
        condition.setObservedGeneration(observed);
      }
    }
    status.setConditions(new ArrayList<>(List.of(conditions)));
    mapping.setStatus(status);
    return mapping;
  }

  private static Condition synced(String status, String reason) {
    return condition("Synced", status, reason, "synced " + reason);
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime("2026-11-30T09:12:43Z")
        .build();
  }
}
