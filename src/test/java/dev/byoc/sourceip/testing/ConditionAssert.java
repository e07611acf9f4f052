package dev.byoc.sourceip.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.api.v1alpha1.ConditionedStatus;
import dev.byoc.sourceip.reconciler.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** One place to assert and await a resource's conditions, so every failure names what it saw. */
public final class ConditionAssert {
  private ConditionAssert() {}

  /** The condition of that type; fails, naming the mapping, when there is no status or none. */
  public static Condition condition(CustomResource<?, ? extends ConditionedStatus> r, String type) {
    assertThat(r.getStatus()).as("status of %s", r.getMetadata().getName()).isNotNull();
    Condition c = Conditions.find(r.getStatus().getConditions(), type);
    assertThat(c).as("%s condition of %s", type, describe(r)).isNotNull();
    return c;
  }

  /** The message of the condition of that type. */
  public static String message(CustomResource<?, ? extends ConditionedStatus> r, String type) {
    return condition(r, type).getMessage();
  }

  /** The condition has the status and, when the reason is not null, the reason. */
  public static void assertCondition(
      CustomResource<?, ? extends ConditionedStatus> r, String type, String status, String reason) {
    Condition c = condition(r, type);
    assertThat(c.getStatus()).as("%s status: %s", type, c.getMessage()).isEqualTo(status);
    if (reason != null) {
      assertThat(c.getReason()).as("%s reason: %s", type, c.getMessage()).isEqualTo(reason);
    }
  }

  /** The condition has the status, the reason and exactly that message. */
  public static void assertCondition(
      CustomResource<?, ? extends ConditionedStatus> r,
      String type,
      String status,
      String reason,
      String message) {
    assertCondition(r, type, status, reason);
    assertThat(message(r, type)).as("%s message", type).isEqualTo(message);
  }

  /**
   * Waits until the supplied mapping's condition has the status and (when given) the reason, for
   * its current generation; on time-out fails with the conditions last seen.
   */
  public static <R extends CustomResource<?, ? extends ConditionedStatus>> R awaitCondition(
      Supplier<R> get, String type, String status, String reason, Duration atMost) {
    AtomicReference<R> last = new AtomicReference<>();
    try {
      return await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(50))
          .until(
              get::get,
              r -> {
                last.set(r);
                return holds(r, type, status, reason);
              });
    } catch (ConditionTimeoutException e) {
      R r = last.get();
      throw new AssertionError(
          String.format(
              "%s=%s%s not reached in %s; last seen: %s",
              type,
              status,
              reason == null ? "" : " (" + reason + ")",
              atMost,
              r == null ? "no resource" : describe(r)),
          e);
    }
  }

  private static boolean holds(
      CustomResource<?, ? extends ConditionedStatus> r, String type, String status, String reason) {
    if (r == null || r.getStatus() == null) {
      return false;
    }
    Condition c = Conditions.find(r.getStatus().getConditions(), type);
    return c != null
        && status.equals(c.getStatus())
        && (reason == null || reason.equals(c.getReason()))
        && r.getMetadata().getGeneration().equals(c.getObservedGeneration());
  }

  private static String describe(CustomResource<?, ? extends ConditionedStatus> r) {
    if (r.getStatus() == null || r.getStatus().getConditions() == null) {
      return r.getMetadata().getName()
          + " generation "
          + r.getMetadata().getGeneration()
          + " no conditions";
    }
    StringBuilder s =
        new StringBuilder(
            r.getMetadata().getName() + " generation " + r.getMetadata().getGeneration() + ":");
    for (Condition c : r.getStatus().getConditions()) {
      s.append(
          String.format(
              " %s=%s %s (generation %s) \"%s\";",
              c.getType(),
              c.getStatus(),
              c.getReason(),
              c.getObservedGeneration(),
              c.getMessage()));
    }
    return s.toString();
  }
}
