package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RelevantChangeFilterTest {
  final RelevantChangeFilter filter = new RelevantChangeFilter<SourceIpMapping>();

  static SourceIpMapping r(long generation) {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName("x")
            .withNamespace("ns")
            .withGeneration(generation)
            .build());
    r.setSpec(new SourceIpMappingSpec("IL" + "1".repeat(32), "SD" + "1".repeat(32)));
    return r;
  }

  static SourceIpMappingStatus ours(long generation, String sid) {
    SourceIpMappingStatus s = new SourceIpMappingStatus();
    s.setSid(sid);
    s.setObservedGeneration(generation);
    var c =
        Conditions.with(
            List.of(), Conditions.READY, true, Reasons.AVAILABLE, "", generation, Instant.EPOCH);
    s.setConditions(
        Conditions.with(
            c, Conditions.SYNCED, true, Reasons.RECONCILE_SUCCESS, "", generation, Instant.EPOCH));
    return s;
  }

  @Test
  void theOperatorsOwnStatusWriteIsDropped() {
    SourceIpMapping before = r(1);
    SourceIpMapping after = r(1);
    after.setStatus(ours(1, "IB" + "1".repeat(32)));
    assertThat(filter.accept(after, before)).isFalse();
  }

  @Test
  void specAnnotationsFinalizersDeletionAndForeignStatusPass() {
    assertThat(filter.accept(r(2), r(1))).as("generation").isTrue();

    SourceIpMapping paused = r(1);
    paused.getMetadata().setAnnotations(Map.of(SourceIpMapping.PAUSED_ANNOTATION, "true"));
    assertThat(filter.accept(paused, r(1))).as("our annotation").isTrue();

    SourceIpMapping labelled = r(1);
    labelled.getMetadata().setAnnotations(Map.of("team", "voice"));
    assertThat(filter.accept(labelled, r(1))).as("someone else's annotation").isFalse();

    SourceIpMapping finalized = r(1);
    finalized.getMetadata().setFinalizers(List.of(SourceIpMapping.FINALIZER));
    assertThat(filter.accept(finalized, r(1))).as("finalizer").isTrue();

    SourceIpMapping deleting = r(1);
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    assertThat(filter.accept(deleting, r(1))).as("deletion").isTrue();

    SourceIpMapping had = r(1);
    had.setStatus(ours(1, "IB" + "1".repeat(32)));
    SourceIpMapping wiped = r(1);
    wiped.setStatus(new SourceIpMappingStatus());
    assertThat(filter.accept(wiped, had)).as("wiped status").isTrue();
  }
}
