package dev.byoc.sourceip.emulator;

import java.time.Instant;

/** A source IP mapping as the emulator holds it; readable by tests. */
public record StoredSourceIpMapping(
    String sid, String ipRecordSid, String sipDomainSid, Instant dateCreated, Instant dateUpdated) {

  StoredSourceIpMapping withSipDomainSid(String domainSid, Instant now) {
    return new StoredSourceIpMapping(sid, ipRecordSid, domainSid, dateCreated, now);
  }
}
