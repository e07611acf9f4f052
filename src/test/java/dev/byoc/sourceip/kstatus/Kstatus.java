package dev.byoc.sourceip.kstatus;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * What kstatus (sigs.k8s.io/cli-utils, pkg/kstatus/status) computes for a custom resource, ported
 * from the rules its README states for types it has no specific rules for, read in the order it
 * applies them:
 *
 * <ol>
 *   <li>{@code metadata.deletionTimestamp} is set: <b>Terminating</b>;
 *   <li>{@code status.observedGeneration} is present and differs from {@code metadata.generation}:
 *       <b>InProgress</b> (the controller has not seen the latest spec; without the field this
 *       check is skipped);
 *   <li>the first condition of {@code status.conditions}, in list order, that is {@code
 *       Reconciling} with status {@code "True"}: <b>InProgress</b>, or {@code Stalled} with status
 *       {@code "True"}: <b>Failed</b> (both are "abnormal-true" conditions: False and absent mean
 *       the same; this operator never sets both True at once, so which one wins when both are True
 *       does not matter here);
 *   <li>otherwise <b>Current</b>: kstatus knows nothing else about a custom resource (its Ready
 *       condition is not read, and neither is a missing status).
 * </ol>
 *
 * <p>Only what this operator's resources can show is ported (no NotFound/Unknown: the caller holds
 * the object). Used by KstatusTest on hand-made objects and KstatusIT on objects the operator
 * produced.
 */
public final class Kstatus {
  public enum Status {
    CURRENT("Current"),
    IN_PROGRESS("InProgress"),
    FAILED("Failed"),
    TERMINATING("Terminating");

    public final String wireName;

    Status(String wireName) {
      this.wireName = wireName;
    }
  }

  /** The computed status, with the reason (a condition's, or a short word) and message. */
  public record Result(Status status, String reason, String message) {}

  private Kstatus() {}

  /** Computes the status of a typed object, as kstatus would after reading it unstructured. */
  public static Result compute(HasMetadata object) {
    @SuppressWarnings("unchecked")
    Map<String, Object> unstructured = Serialization.jsonMapper().convertValue(object, Map.class);
    return compute(unstructured);
  }

  /** Computes the status of an object held as its JSON tree (kstatus's unstructured form). */
  public static Result compute(Map<String, Object> object) {
    Map<String, Object> metadata = map(object.get("metadata"));
    Object deletion = metadata.get("deletionTimestamp");
    if (deletion instanceof String s && !s.isEmpty()) {
      return new Result(Status.TERMINATING, "Terminating", "Resource scheduled for deletion");
    }
    Map<String, Object> status = map(object.get("status"));
    Object generation = metadata.get("generation");
    Object observed = status.get("observedGeneration");
    if (generation instanceof Number g
        && observed instanceof Number o
        && g.longValue() != o.longValue()) {
      return new Result(
          Status.IN_PROGRESS,
          "LatestGenerationNotObserved",
          "Generation is " + g.longValue() + ", but latest observed generation is " + o);
    }
    if (status.get("conditions") instanceof List<?> conditions) {
      for (Object item : conditions) {
        Map<String, Object> c = map(item);
        if (!"True".equals(c.get("status"))) {
          continue;
        }
        if ("Reconciling".equals(c.get("type"))) {
          return new Result(Status.IN_PROGRESS, text(c.get("reason")), text(c.get("message")));
        }
        if ("Stalled".equals(c.get("type"))) {
          return new Result(Status.FAILED, text(c.get("reason")), text(c.get("message")));
        }
      }
    }
    return new Result(Status.CURRENT, "Current", "Resource is current");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }
}
