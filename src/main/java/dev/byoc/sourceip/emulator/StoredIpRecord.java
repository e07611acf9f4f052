package dev.byoc.sourceip.emulator;

import java.time.Instant;

/** An IP record as the emulator holds it; readable by tests through {@link TwilioEmulator}. */
public record StoredIpRecord(
    String accountSid,
    String sid,
    String friendlyName,
    String ipAddress,
    int cidrPrefixLength,
    Instant dateCreated,
    Instant dateUpdated) {

  StoredIpRecord withFriendlyName(String name, Instant now) {
    return new StoredIpRecord(accountSid, sid, name, ipAddress, cidrPrefixLength, dateCreated, now);
  }
}
