package dev.byoc.sourceip.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets conditions the Kubernetes way: one per type, {@code lastTransitionTime} moves only when the
 * status flips, every condition carries the generation it describes, and no message is longer than
 * Kubernetes keeps.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String SYNCED = "Synced";

  /**
   * kstatus: True while work is under way or being retried (abnormal-true: absent when there is
   * none). See docs/status.md.
   */
  public static final String RECONCILING = "Reconciling";

  /**
   * kstatus: True when the resource cannot converge until someone changes something (abnormal-true:
   * absent otherwise). See docs/status.md.
   */
  public static final String STALLED = "Stalled";

  private Conditions() {}

  /** Returns a new list with {@code type} set; the others are kept as they were. */
  public static List<Condition> with(
      List<Condition> current,
      String type,
      boolean status,
      String reason,
      String message,
      long generation,
      Instant now) {
    String value = status ? "True" : "False";
    List<Condition> next = new ArrayList<>();
    String transition = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (Condition c : current) {
      if (type.equals(c.getType())) {
        if (value.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
          transition = c.getLastTransitionTime();
        }
      } else {
        next.add(c);
      }
    }
    next.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(
                message == null ? "" : Messages.abbreviate(message, Messages.MAX_CONDITION_BYTES))
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build());
    next.sort(java.util.Comparator.comparing(Condition::getType));
    return next;
  }

  /** Returns a new list without a condition of that type; the others are kept as they were. */
  public static List<Condition> without(List<Condition> current, String type) {
    List<Condition> next = new ArrayList<>();
    for (Condition c : current) {
      if (!type.equals(c.getType())) {
        next.add(c);
      }
    }
    return next;
  }

  /** The condition of that type, or null. */
  public static Condition find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    Condition c = find(conditions, type);
    return c != null && "True".equals(c.getStatus());
  }
}
