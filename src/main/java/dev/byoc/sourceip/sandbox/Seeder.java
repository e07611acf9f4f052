package dev.byoc.sourceip.sandbox;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Creates, in the emulator, what the manifests' mappings name but nothing in them declares: IP
 * records named by SID (under that very SID) and SIP domains named by SID or by domain name, so
 * that the examples converge without a real Twilio account. IP records that an IpRecord declares
 * are the operator's to create, so no seeded one ever takes their address.
 */
public final class Seeder {
  private static final String IP_RECORD = "^IL[0-9a-fA-F]{32}$";
  private static final String SIP_DOMAIN = "^SD[0-9a-fA-F]{32}$";
  private static final String DOMAIN_NAME = "^[A-Za-z0-9-]+\\.sip\\.twilio\\.com$";

  private Seeder() {}

  /** An IP record or SIP domain to create under a given SID. */
  record Seed(String kind, String sid, String value) {}

  /**
   * What {@code mappings} reference, in SID order, with addresses and names to give them; no IP
   * record gets an address (with prefix 32) that one of {@code ipRecords} declares.
   */
  static List<Seed> plan(List<SourceIpMapping> mappings, List<IpRecord> ipRecords) {
    Set<String> declared = new HashSet<>();
    for (IpRecord r : ipRecords) {
      if (r.getSpec() != null
          && r.getSpec().getIpAddress() != null
          && r.getSpec().effectiveCidrPrefixLength() == 32) {
        declared.add(r.getSpec().getIpAddress());
      }
    }
    Set<String> ipRecordSids = new TreeSet<>();
    Map<String, String> domains = new TreeMap<>(); // SID -> name
    for (SourceIpMapping m : mappings) {
      if (m.getSpec() == null) {
        continue;
      }
      String ip = m.getSpec().getIpRecordSid();
      String domain = m.getSpec().getSipDomainSid();
      String domainName = m.getSpec().getSipDomainName();
      if (ip != null && ip.matches(IP_RECORD)) {
        ipRecordSids.add(ip);
      }
      if (domain != null && domain.matches(SIP_DOMAIN)) {
        domains.putIfAbsent(
            domain, "sandbox-" + domain.substring(26).toLowerCase(Locale.ROOT) + ".sip.twilio.com");
      }
      if (domain == null && domainName != null && domainName.matches(DOMAIN_NAME)) {
        domains.putIfAbsent(sidOfDomain(domainName), domainName);
      }
    }
    List<Seed> seeds = new ArrayList<>();
    for (String sid : ipRecordSids) {
      seeds.add(new Seed("ipRecord", sid, addressOf(sid, declared)));
    }
    domains.forEach((sid, name) -> seeds.add(new Seed("sipDomain", sid, name)));
    return seeds;
  }

  /**
   * What each account needs seeded for {@code items}: their mappings and IpRecords grouped by the
   * account each will use ({@code ownAccount} when the manifests give it none), in SID order.
   */
  static Map<String, List<Seed>> planByAccount(
      List<HasMetadata> items, ManifestAccounts accounts, String ownAccount) {
    Map<String, List<SourceIpMapping>> mappings = new TreeMap<>();
    Map<String, List<IpRecord>> ipRecords = new TreeMap<>();
    for (HasMetadata item : items) {
      if (item instanceof SourceIpMapping m) {
        mappings.computeIfAbsent(accounts.accountOf(m, ownAccount), k -> new ArrayList<>()).add(m);
      } else if (item instanceof IpRecord r) {
        ipRecords.computeIfAbsent(accounts.accountOf(r, ownAccount), k -> new ArrayList<>()).add(r);
      }
    }
    Set<String> accountSids = new TreeSet<>(mappings.keySet());
    accountSids.addAll(ipRecords.keySet());
    Map<String, List<Seed>> plans = new TreeMap<>();
    for (String accountSid : accountSids) {
      plans.put(
          accountSid,
          plan(
              mappings.getOrDefault(accountSid, List.of()),
              ipRecords.getOrDefault(accountSid, List.of())));
    }
    return plans;
  }

  /**
   * Readies an emulator for the project's examples ({@code examples/*.yaml} in the jar, a copy of
   * deploy/examples): the accounts their Secrets name, and what their resources name by SID or
   * domain name in the account each will use. For the chart's emulator (emulator.enabled), so that
   * kubectl apply -f deploy/examples/ converges in a cluster without a Twilio account.
   */
  public static void seedExamples(TwilioEmulator emulator, String ownAccount) {
    List<HasMetadata> items = Manifests.examples();
    ManifestAccounts accounts = new ManifestAccounts(items);
    accounts.credentials().values().stream()
        .filter(c -> !c.accountSid().equals(ownAccount))
        .forEach(c -> emulator.addAccount(c.accountSid(), c.password()));
    planByAccount(items, accounts, ownAccount).forEach((sid, seeds) -> seed(emulator, sid, seeds));
  }

  /** Seeds an emulator running in this process; a domain name it holds already is left as is. */
  static void seed(TwilioEmulator emulator, String accountSid, List<Seed> seeds) {
    Set<String> domainNames = new HashSet<>();
    emulator.sipDomains(accountSid).forEach(d -> domainNames.add(d.domainName()));
    for (Seed s : seeds) {
      if (s.kind().equals("ipRecord")) {
        emulator.seedIpRecord(accountSid, s.sid(), s.value(), 32, "sandbox");
      } else if (!domainNames.contains(s.value())) {
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
   * A SID for a SIP domain named in a manifest, the same for the same name in every run, so that a
   * standalone emulator seeded by an earlier run is not asked for a second domain of that name.
   */
  static String sidOfDomain(String domainName) {
    UUID uuid =
        UUID.nameUUIDFromBytes(
            domainName.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    return "SD" + uuid.toString().replace("-", "");
  }

  /** {@link #addressOf(String)}, or the next derived address while that one is {@code taken}. */
  static String addressOf(String ipRecordSid, Set<String> taken) {
    String address = addressOf(ipRecordSid);
    for (int attempt = 1; taken.contains(address); attempt++) {
      address = addressOf(ipRecordSid + "#" + attempt);
    }
    return address;
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
