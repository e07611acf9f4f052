package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordStatus;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import java.time.Instant;
import java.util.List;

/** An IpRecord's status: the conditions, the IP record Twilio holds, and who uses it. */
final class IpRecordStatusBuilder extends StatusBuilder<IpRecordStatus, IpRecordStatusBuilder> {

  IpRecordStatusBuilder(IpRecord resource, Instant now) {
    super(resource, copy(resource.getStatus()), now);
  }

  private static IpRecordStatus copy(IpRecordStatus current) {
    IpRecordStatus status = new IpRecordStatus();
    if (current != null) {
      status.setSid(current.getSid());
      status.setIpAddress(current.getIpAddress());
      status.setCidrPrefixLength(current.getCidrPrefixLength());
      status.setFriendlyName(current.getFriendlyName());
      status.setUrl(current.getUrl());
      status.setDateCreated(current.getDateCreated());
      status.setDateUpdated(current.getDateUpdated());
      status.setUsedBy(current.getUsedBy());
    }
    return status;
  }

  /** Reports the IP record Twilio holds (or, with null, that it holds none). */
  IpRecordStatusBuilder observed(TwilioIpRecord record) {
    status.setSid(record == null ? null : record.sid());
    status.setIpAddress(record == null ? null : record.ipAddress());
    status.setCidrPrefixLength(record == null ? null : record.cidrPrefixLength());
    status.setFriendlyName(record == null ? null : record.friendlyName());
    status.setUrl(record == null ? null : record.url());
    status.setDateCreated(Times.text(record == null ? null : record.dateCreated()));
    status.setDateUpdated(Times.text(record == null ? null : record.dateUpdated()));
    return this;
  }

  /** The mappings that name this IpRecord (sorted names; null when none). */
  IpRecordStatusBuilder usedBy(List<String> names) {
    status.setUsedBy(names.isEmpty() ? null : List.copyOf(names));
    return this;
  }
}
