package dev.byoc.sourceip.sandbox;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates, in the emulator, the IP records and SIP domains that the manifests name, under those
 * very SIDs, so that examples written with fixed SIDs converge without a real Twilio account.
 */
final class Seeder {
  private static final String IP_RECORD = "^IL[0-9a-fA-F]{32}$";
  private static final String SIP_DOMAIN = "^SD[0-9a-fA-F]{32}$";

  private Seeder() {}

  /** An IP record or SIP domain to create under a given SID. */
  record Seed(String kind, String sid, String value) {}

  /** What {@code mappings} reference, in SID order, with addresses and names to give them. */
  static List<Seed> plan(List<SourceIpMapping> mappings) {
    Set<String> ipRecords = new TreeSet<>();
    Set<String> domains = new TreeSet<>();
    for (SourceIpMapping m : mappings) {
      if (m.getSpec() == null) {
        continue;
      }
      String ip = m.getSpec().getIpRecordSid();
      String domain = m.getSpec().getSipDomainSid();
      if (ip != null && ip.matches(IP_RECORD)) {
        ipRecords.add(ip);
      }
      if (domain != null && domain.matches(SIP_DOMAIN)) {
        domains.add(domain);
      }
    }
    List<Seed> seeds = new ArrayList<>();
    for (String sid : ipRecords) {
      seeds.add(new Seed("ipRecord", sid, addressOf(sid)));
    }
    for (String sid : domains) {
      seeds.add(
          new Seed(
              "sipDomain",
              sid,
              "sandbox-" + sid.substring(26).toLowerCase(Locale.ROOT) + ".sip.twilio.com"));
    }
    return seeds;
  }

  /** Seeds an emulator running in this process. */
  static void seed(TwilioEmulator emulator, String accountSid, List<Seed> seeds) {
    for (Seed s : seeds) {
      if (s.kind().equals("ipRecord")) {
        emulator.seedIpRecord(accountSid, s.sid(), s.value(), 32, "sandbox");
      } else {
        emulator.seedSipDomain(accountSid, s.sid(), s.value());
      }
    }
  }

  /** The body of the emulator's {@code POST /_emulator/seed} for the same seeds. */
  static Map<String, Object> adminRequest(String accountSid, List<Seed> seeds) {
    List<Map<String, Object>> ipRecords = new ArrayList<>();
    List<Map<String, Object>> domains = new ArrayList<>();
    for (Seed s : seeds) {
      if (s.kind().equals("ipRecord")) {
        ipRecords.add(
            Map.of(
                "sid",
                s.sid(),
                "ipAddress",
                s.value(),
                "cidrPrefixLength",
                32,
                "friendlyName",
                "sandbox"));
      } else {
        domains.add(Map.of("sid", s.sid(), "domainName", s.value()));
      }
    }
    return Map.of("accountSid", accountSid, "ipRecords", ipRecords, "sipDomains", domains);
  }

  /**
   * An address in 10.0.0.0/8 that depends on the SID alone, so that a SID added by a later edit
   * never gets the address of one seeded earlier (the emulator, like Twilio, refuses a second IP
   * record of an address); two SIDs collide with a chance of one in 16 million.
   */
  static String addressOf(String ipRecordSid) {
    int h = ipRecordSid.toLowerCase(Locale.ROOT).hashCode();
    int bits = (h ^ (h >>> 24)) & 0xFFFFFF;
    return "10." + (bits >>> 16) + "." + ((bits >>> 8) & 255) + "." + (bits & 255);
  }
}
