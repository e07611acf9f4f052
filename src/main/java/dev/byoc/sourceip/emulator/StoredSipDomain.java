package dev.byoc.sourceip.emulator;

import java.time.Instant;

/** A SIP domain (API 2010 shape) as the emulator holds it; readable by tests. */
public record StoredSipDomain(
    String accountSid,
    String sid,
    String domainName,
    String friendlyName,
    String voiceUrl,
    String voiceMethod,
    String voiceFallbackUrl,
    String voiceFallbackMethod,
    String voiceStatusCallbackUrl,
    String voiceStatusCallbackMethod,
    boolean sipRegistration,
    boolean emergencyCallingEnabled,
    boolean secure,
    String byocTrunkSid,
    String emergencyCallerSid,
    Instant dateCreated,
    Instant dateUpdated) {

  /** A new domain with Twilio's defaults for everything but the name. */
  static StoredSipDomain create(String accountSid, String sid, String domainName, Instant now) {
    return new StoredSipDomain(
        accountSid,
        sid,
        domainName,
        null,
        null,
        "POST",
        null,
        "POST",
        null,
        "POST",
        false,
        false,
        false,
        null,
        null,
        now,
        now);
  }
}
