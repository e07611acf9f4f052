package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
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
}
