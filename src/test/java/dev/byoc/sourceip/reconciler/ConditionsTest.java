package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant T2 = Instant.parse("2026-01-01T00:05:00Z");

  @Test
  void transitionTimeMovesOnlyWhenTheStatusFlips() {
    List<Condition> c = Conditions.with(List.of(), "Ready", false, "Creating", "a", 1, T1);
    c = Conditions.with(c, "Ready", false, "TwilioUnavailable", "b", 2, T2);
    Condition ready = Conditions.find(c, "Ready");
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(ready.getReason()).isEqualTo("TwilioUnavailable");
    assertThat(ready.getObservedGeneration()).isEqualTo(2);

    c = Conditions.with(c, "Ready", true, "Available", "", 2, T2);
    assertThat(Conditions.find(c, "Ready").getLastTransitionTime())
        .isEqualTo("2026-01-01T00:05:00Z");
    assertThat(Conditions.isTrue(c, "Ready")).isTrue();
  }

  @Test
  void oneConditionPerTypeInAStableOrder() {
    List<Condition> c = Conditions.with(List.of(), "Synced", true, "ReconcileSuccess", "", 1, T1);
    c = Conditions.with(c, "Ready", true, "Available", "", 1, T1);
    c = Conditions.with(c, "Synced", false, "TwilioRejected", "x", 1, T2);

    assertThat(c).extracting(Condition::getType).containsExactly("Ready", "Synced");
    assertThat(Conditions.with(c, "Ready", true, "Available", "", 1, T2)).isEqualTo(c);
  }

  @Test
  void aHugeMessageIsAbbreviatedWithinWhatKubernetesKeeps() {
    String huge = "Twilio answered 400: " + "z".repeat(200_000);

    Condition ready =
        Conditions.find(Conditions.with(List.of(), "Ready", false, "X", huge, 1, T1), "Ready");

    assertThat(Messages.utf8Length(ready.getMessage()))
        .isLessThanOrEqualTo(Messages.MAX_CONDITION_BYTES)
        .isLessThan(32768);
    assertThat(ready.getMessage()).startsWith("Twilio answered 400: zzz").endsWith("characters)");
  }

  @Test
  void withoutRemovesOnlyThatType() {
    List<Condition> c = Conditions.with(List.of(), "Synced", true, "ReconcileSuccess", "", 1, T1);
    c = Conditions.with(c, "Stalled", true, "Conflict", "x", 1, T1);

    assertThat(Conditions.without(c, "Stalled"))
        .extracting(Condition::getType)
        .containsExactly("Synced");
    assertThat(Conditions.without(c, "Reconciling")).isEqualTo(c);
  }

  // ---- the kstatus conditions StatusBuilder derives -------------------------------------------

  static SourceIpMapping resource(long generation, SourceIpMappingStatus status) {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName("m")
            .withNamespace("ns")
            .withGeneration(generation)
            .build());
    r.setStatus(status);
    return r;
  }

  static List<String> types(SourceIpMappingStatus status) {
    return status.getConditions().stream().map(Condition::getType).toList();
  }

  @Test
  void aStallingReasonAddsStalledWithTheSameReasonAndMessage() {
    for (String reason : Reasons.STALLING) {
      SourceIpMappingStatus s =
          new MappingStatusBuilder(resource(3, null), T1).failed(reason, "why").build();
      assertThat(types(s)).as(reason).containsExactly(ALL_FOUR);
      assertThat(Conditions.find(s.getConditions(), Conditions.RECONCILING).getStatus())
          .isEqualTo("False");
      Condition stalled = Conditions.find(s.getConditions(), Conditions.STALLED);
      assertThat(stalled.getStatus()).isEqualTo("True");
      assertThat(stalled.getReason()).isEqualTo(reason);
      assertThat(stalled.getMessage()).isEqualTo("why");
      assertThat(stalled.getObservedGeneration()).isEqualTo(3);
    }
  }

  @Test
  void aRetryAddsReconcilingNamingWhatIsUnderWay() {
    SourceIpMappingStatus creating =
        new MappingStatusBuilder(resource(1, null), T1)
            .synced(false, Reasons.TWILIO_UNAVAILABLE, "503")
            .ready(false, Reasons.CREATING, "503")
            .build();
    assertThat(types(creating)).containsExactly(ALL_FOUR);
    assertThat(Conditions.find(creating.getConditions(), Conditions.STALLED).getStatus())
        .isEqualTo("False");
    assertThat(Conditions.find(creating.getConditions(), Conditions.RECONCILING).getReason())
        .isEqualTo(Reasons.CREATING);

    SourceIpMappingStatus ready =
        new MappingStatusBuilder(resource(1, null), T1)
            .ready(true, Reasons.AVAILABLE, "")
            .synced(true, Reasons.RECONCILE_SUCCESS, "")
            .build();
    SourceIpMappingStatus updating =
        new MappingStatusBuilder(resource(2, ready), T2)
            .synced(false, Reasons.TWILIO_UNAVAILABLE, "503")
            .build();
    assertThat(Conditions.find(updating.getConditions(), Conditions.RECONCILING).getReason())
        .isEqualTo(Reasons.TWILIO_UNAVAILABLE);
  }

  @Test
  void readyPausedAndObservingHaveBothFalseAndAStatusAtRestIsUnchanged() {
    SourceIpMappingStatus ready =
        new MappingStatusBuilder(resource(1, null), T1)
            .ready(true, Reasons.AVAILABLE, "")
            .synced(true, Reasons.RECONCILE_SUCCESS, "")
            .build();
    assertThat(types(ready)).containsExactly(ALL_FOUR);
    assertThat(isTrue(ready, Conditions.STALLED) || isTrue(ready, Conditions.RECONCILING))
        .isFalse();
    StatusBuilder again =
        new MappingStatusBuilder(resource(1, ready), T2)
            .ready(true, Reasons.AVAILABLE, "")
            .synced(true, Reasons.RECONCILE_SUCCESS, "");
    assertThat(again.changed()).isFalse();

    for (String reason : List.of(Reasons.PAUSED, Reasons.OBSERVING)) {
      SourceIpMappingStatus s =
          new MappingStatusBuilder(resource(1, null), T1).failed(reason, "x").build();
      assertThat(types(s)).as(reason).containsExactly(ALL_FOUR);
      assertThat(isTrue(s, Conditions.STALLED) || isTrue(s, Conditions.RECONCILING))
          .as(reason)
          .isFalse();
    }
  }

  static final String[] ALL_FOUR = {"Ready", "Reconciling", "Stalled", "Synced"};

  static boolean isTrue(SourceIpMappingStatus s, String type) {
    return Conditions.isTrue(s.getConditions(), type);
  }

  @Test
  void stalledGoesAwayWhenTheProblemIsFixedAndKeepsItsTimeWhileItLasts() {
    SourceIpMappingStatus stalled =
        new MappingStatusBuilder(resource(1, null), T1).failed(Reasons.CONFLICT, "a").build();
    StatusBuilder still =
        new MappingStatusBuilder(resource(1, stalled), T2).failed(Reasons.CONFLICT, "a");
    assertThat(still.changed()).isFalse();
    SourceIpMappingStatus otherReason =
        new MappingStatusBuilder(resource(2, stalled), T2)
            .failed(Reasons.INVALID_SPEC, "b")
            .build();
    assertThat(
            Conditions.find(otherReason.getConditions(), Conditions.STALLED)
                .getLastTransitionTime())
        .isEqualTo("2026-01-01T00:00:00Z");

    SourceIpMappingStatus fixed =
        new MappingStatusBuilder(resource(2, stalled), T2)
            .ready(true, Reasons.AVAILABLE, "")
            .synced(true, Reasons.RECONCILE_SUCCESS, "")
            .build();
    assertThat(types(fixed)).containsExactly(ALL_FOUR);
    assertThat(isTrue(fixed, Conditions.STALLED)).isFalse();
  }
}
