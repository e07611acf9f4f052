package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.api.v1alpha1.ConditionedStatus;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which of several resources claiming one Twilio object in one account manages it: the one
 * already holding the object's SID in its status, else the oldest. The others report Conflict and
 * never write, so two resources never fight over an object.
 */
final class ClaimResolver {
  private static final Comparator<CustomResource<?, ?>> OLDEST_FIRST =
      Comparator.comparing(
              (CustomResource<?, ?> r) ->
                  Objects.requireNonNullElse(r.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(r -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName());

  private ClaimResolver() {}

  /**
   * The owner among {@code managing} (Manage-mode resources of one account that want the same
   * Twilio object), given the SID Twilio holds for it (null when none).
   */
  static <R extends CustomResource<?, ? extends ConditionedStatus>> Optional<R> owner(
      Collection<R> managing, String twilioSid) {
    if (twilioSid != null) {
      Optional<R> holder =
          managing.stream()
              .filter(r -> r.getStatus() != null && twilioSid.equals(r.getStatus().getSid()))
              .min(OLDEST_FIRST);
      if (holder.isPresent()) {
        return holder;
      }
    }
    return managing.stream().min(OLDEST_FIRST);
  }

  static String describe(CustomResource<?, ?> r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }
}
