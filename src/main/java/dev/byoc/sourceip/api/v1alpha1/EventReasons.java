package dev.byoc.sourceip.api.v1alpha1;

import java.util.List;

/**
 * The reasons of the Events the operator records for its writes at Twilio: Normal ones, and {@link
 * #RECREATED}, a Warning. Other Warnings reuse the condition {@link Reasons} of the failure they
 * report. Like those, each is part of the API.
 */
public final class EventReasons {
  /** The operator created the object at Twilio. */
  public static final String CREATED = "Created";

  /** The operator took over an object Twilio already held (made out of band, or a lost create). */
  public static final String ADOPTED = "Adopted";

  /** The operator changed the object at Twilio in place. */
  public static final String UPDATED = "Updated";

  /** After the spec moved to another IP record, the operator deleted the previous mapping. */
  public static final String REPLACED = "Replaced";

  /** The operator deleted the object at Twilio. */
  public static final String DELETED = "Deleted";

  /** The resource was deleted and the object left at Twilio (deletionPolicy or Observe). */
  public static final String ORPHANED = "Orphaned";

  /**
   * A Warning: Twilio lost an object the operator had adopted by its external-sid annotation; the
   * operator made it again, and the annotation (in Git) names one that is gone.
   */
  public static final String RECREATED = "Recreated";

  /** On an account with prune Report or Delete: a Twilio object no resource claims. */
  public static final String UNCLAIMED = "Unclaimed";

  /** On an account with prune Delete: an unclaimed object deleted after its grace period. */
  public static final String PRUNED = "Pruned";

  /**
   * A Warning on an account: unclaimed objects past their grace period wait, because the last list
   * is too old or the interval's share of deletes is used up.
   */
  public static final String PRUNE_HELD = "PruneHeld";

  /** Every reason, in the order the docs list them. */
  public static final List<String> ALL =
      List.of(
          CREATED,
          ADOPTED,
          UPDATED,
          REPLACED,
          DELETED,
          ORPHANED,
          RECREATED,
          UNCLAIMED,
          PRUNED,
          PRUNE_HELD);

  private EventReasons() {}
}
