package dev.byoc.sourceip.kstatus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.kstatus.Kstatus.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kstatus's rules on hand-made objects, one rule (and its precedence) per test. */
class KstatusTest {

  static Map<String, Object> object(
      Long generation, Long observedGeneration, String deletionTimestamp, Object... conditions) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", "m");
    if (generation != null) {
      metadata.put("generation", generation);
    }
    if (deletionTimestamp != null) {
      metadata.put("deletionTimestamp", deletionTimestamp);
    }
    Map<String, Object> status = new LinkedHashMap<>();
    if (observedGeneration != null) {
      status.put("observedGeneration", observedGeneration);
    }
    status.put("conditions", List.of(conditions));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("apiVersion", "voice.byoc.dev/v1alpha1");
    o.put("kind", "SourceIpMapping");
    o.put("metadata", metadata);
    o.put("status", status);
    return o;
  }

  static Map<String, Object> condition(String type, String status, String reason) {
    return Map.of("type", type, "status", status, "reason", reason, "message", reason + " says");
  }

  @Test
  void readyWithNoAbnormalConditionIsCurrent() {
    var r =
        Kstatus.compute(
            object(
                2L,
                2L,
                null,
                condition("Ready", "True", "Available"),
                condition("Synced", "True", "ReconcileSuccess")));
    assertThat(r.status()).isEqualTo(Status.CURRENT);
  }

  @Test
  void readyFalseAloneIsStillCurrentForKstatus() {
    // kstatus does not read Ready on a custom resource: only Reconciling and Stalled count
    var r = Kstatus.compute(object(1L, 1L, null, condition("Ready", "False", "Paused")));
    assertThat(r.status()).isEqualTo(Status.CURRENT);
  }

  @Test
  void noStatusAtAllIsCurrent() {
    Map<String, Object> o = object(1L, null, null);
    o.remove("status");
    assertThat(Kstatus.compute(o).status()).isEqualTo(Status.CURRENT);
  }

  @Test
  void anUnobservedGenerationIsInProgress() {
    var r = Kstatus.compute(object(3L, 2L, null, condition("Ready", "True", "Available")));
    assertThat(r.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(r.message()).isEqualTo("Generation is 3, but latest observed generation is 2");
  }

  @Test
  void withoutObservedGenerationTheGenerationCheckIsSkipped() {
    assertThat(Kstatus.compute(object(3L, null, null)).status()).isEqualTo(Status.CURRENT);
  }

  @Test
  void reconcilingTrueIsInProgressWithItsReason() {
    var r =
        Kstatus.compute(
            object(1L, 1L, null, condition("Ready", "False", "Creating"), reconciling("Creating")));
    assertThat(r).isEqualTo(new Kstatus.Result(Status.IN_PROGRESS, "Creating", "Creating says"));
  }

  @Test
  void stalledTrueIsFailedWithItsReason() {
    var r = Kstatus.compute(object(1L, 1L, null, condition("Stalled", "True", "Conflict")));
    assertThat(r).isEqualTo(new Kstatus.Result(Status.FAILED, "Conflict", "Conflict says"));
  }

  @Test
  void abnormalConditionsThatAreFalseCountAsAbsent() {
    var r =
        Kstatus.compute(
            object(
                1L,
                1L,
                null,
                condition("Reconciling", "False", "Available"),
                condition("Stalled", "False", "Available")));
    assertThat(r.status()).isEqualTo(Status.CURRENT);
  }

  @Test
  void deletionWinsOverEverything() {
    var r =
        Kstatus.compute(
            object(2L, 1L, "2026-01-01T00:00:00Z", condition("Stalled", "True", "Conflict")));
    assertThat(r.status()).isEqualTo(Status.TERMINATING);
  }

  @Test
  void anUnobservedGenerationWinsOverConditions() {
    var r = Kstatus.compute(object(2L, 1L, null, condition("Stalled", "True", "InvalidSpec")));
    assertThat(r.status()).isEqualTo(Status.IN_PROGRESS);
  }

  static Map<String, Object> reconciling(String reason) {
    return condition("Reconciling", "True", reason);
  }
}
