package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.twilio.TwilioMapping;
import java.time.Instant;

/** A SourceIpMapping's status: the conditions, and the mapping Twilio holds. */
final class MappingStatusBuilder
    extends StatusBuilder<SourceIpMappingStatus, MappingStatusBuilder> {

  MappingStatusBuilder(SourceIpMapping resource, Instant now) {
    super(resource, copy(resource.getStatus()), now);
  }

  private static SourceIpMappingStatus copy(SourceIpMappingStatus current) {
    SourceIpMappingStatus status = new SourceIpMappingStatus();
    if (current != null) {
      status.setSid(current.getSid());
      status.setIpRecordSid(current.getIpRecordSid());
      status.setSipDomainSid(current.getSipDomainSid());
      status.setUrl(current.getUrl());
      status.setDateCreated(current.getDateCreated());
      status.setDateUpdated(current.getDateUpdated());
    }
    return status;
  }

  /** Reports the mapping Twilio holds (or, with null, that it holds none). */
  MappingStatusBuilder observed(TwilioMapping mapping) {
    status.setSid(mapping == null ? null : mapping.sid());
    status.setIpRecordSid(mapping == null ? null : mapping.ipRecordSid());
    status.setSipDomainSid(mapping == null ? null : mapping.sipDomainSid());
    status.setUrl(mapping == null ? null : mapping.url());
    status.setDateCreated(Times.text(mapping == null ? null : mapping.dateCreated()));
    status.setDateUpdated(Times.text(mapping == null ? null : mapping.dateUpdated()));
    return this;
  }
}
