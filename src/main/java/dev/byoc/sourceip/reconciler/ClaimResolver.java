package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.api.v1alpha1.ManagementPolicy;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which of several resources claiming one IP record in one account manages it: the one
 * already holding Twilio's mapping in its status, else the oldest. The others report Conflict and
 * never write, so two resources never fight over a mapping.
 */
final class ClaimResolver {
  private static final Comparator<SourceIpMapping> OLDEST_FIRST =
      Comparator.comparing(
              (SourceIpMapping r) ->
                  Objects.requireNonNullElse(r.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(r -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName());

  private ClaimResolver() {}

  /**
   * The owner among {@code claimants} (Manage-mode resources of one account naming {@code
   * ipRecordSid}), given the SID Twilio holds for that IP record (null when none).
   */
  static Optional<SourceIpMapping> owner(
      Collection<SourceIpMapping> claimants, String ipRecordSid, String twilioSid) {
    var managing =
        claimants.stream()
            .filter(r -> r.getSpec() != null)
            .filter(r -> ipRecordSid.equals(r.getSpec().getIpRecordSid()))
            .filter(r -> r.getSpec().effectiveManagementPolicy() == ManagementPolicy.Manage)
            .toList();
    if (twilioSid != null) {
      Optional<SourceIpMapping> holder =
          managing.stream()
              .filter(r -> r.getStatus() != null && twilioSid.equals(r.getStatus().getSid()))
              .min(OLDEST_FIRST);
      if (holder.isPresent()) {
        return holder;
      }
    }
    return managing.stream().min(OLDEST_FIRST);
  }

  static String describe(SourceIpMapping r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }
}
