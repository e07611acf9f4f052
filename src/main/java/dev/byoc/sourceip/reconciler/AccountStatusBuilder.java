package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.api.v1alpha1.TwilioAccountStatus;
import io.fabric8.kubernetes.client.CustomResource;
import java.time.Instant;
import java.util.List;

/** An account's status: the conditions, the account Twilio accepted, what it holds, who uses it. */
final class AccountStatusBuilder extends StatusBuilder<TwilioAccountStatus, AccountStatusBuilder> {

  AccountStatusBuilder(CustomResource<?, TwilioAccountStatus> resource, Instant now) {
    super(resource, copy(resource.getStatus()), now);
  }

  private static TwilioAccountStatus copy(TwilioAccountStatus current) {
    TwilioAccountStatus status = new TwilioAccountStatus();
    if (current != null) {
      status.setCredentialsVersion(current.getCredentialsVersion());
      status.setLastListTime(current.getLastListTime());
      status.setMappings(current.getMappings());
      status.setClaimedMappings(current.getClaimedMappings());
      status.setIpRecords(current.getIpRecords());
      status.setClaimedIpRecords(current.getClaimedIpRecords());
      status.setUsedBy(current.getUsedBy());
      status.setUsedByCount(current.getUsedByCount());
      status.setUnclaimed(current.getUnclaimed());
      status.setUnclaimedCount(current.getUnclaimedCount());
    }
    return status;
  }

  AccountStatusBuilder credentialsVersion(String version) {
    status.setCredentialsVersion(version);
    return this;
  }

  AccountStatusBuilder usedBy(List<String> users) {
    status.setUsedBy(
        users.isEmpty()
            ? null
            : List.copyOf(
                users.subList(0, Math.min(users.size(), TwilioAccountStatus.MAX_LISTED))));
    status.setUsedByCount(users.size());
    return this;
  }

  /** What the last list found, and how much of it the cluster's resources claim. */
  AccountStatusBuilder inventory(String listedAt, Inventory inventory) {
    status.setLastListTime(listedAt);
    status.setMappings(inventory.mappings());
    status.setClaimedMappings(inventory.claimedMappings());
    status.setIpRecords(inventory.ipRecords());
    status.setClaimedIpRecords(inventory.claimedIpRecords());
    return this;
  }

  /** The unclaimed objects' SIDs (null: pruning is off, nothing reported). */
  AccountStatusBuilder unclaimed(List<String> sids) {
    if (sids == null) {
      status.setUnclaimed(null);
      status.setUnclaimedCount(null);
      return this;
    }
    status.setUnclaimed(
        sids.isEmpty()
            ? null
            : List.copyOf(sids.subList(0, Math.min(sids.size(), TwilioAccountStatus.MAX_LISTED))));
    status.setUnclaimedCount(sids.size());
    return this;
  }

  /** Counts at Twilio and of those claimed; IP record counts null while they are not listed. */
  record Inventory(
      int mappings, int claimedMappings, Integer ipRecords, Integer claimedIpRecords) {}
}
