package dev.byoc.sourceip.emulator;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * One account's resources, kept in SID order (the listing order), guarded by this object's lock so
 * that reference checks and writes are atomic.
 */
final class AccountStore {
  private final String accountSid;
  private final NavigableMap<String, StoredIpRecord> ipRecords = new TreeMap<>();

  /** IP record SIDs by "address/prefix length": Twilio-side uniqueness of a record's block. */
  private final Map<String, String> ipRecordsByBlock = new HashMap<>();

  private final NavigableMap<String, StoredSourceIpMapping> mappings = new TreeMap<>();
  private final NavigableMap<String, StoredSipDomain> domains = new TreeMap<>();

  /** Mapping SIDs by IP record: one, unless the ledger lets duplicates through. */
  private final Map<String, Set<String>> mappingsByIpRecord = new HashMap<>();

  private final DuplicateLedger duplicates;

  AccountStore(String accountSid, DuplicateLedger duplicates) {
    this.accountSid = accountSid;
    this.duplicates = duplicates;
  }

  // --- IP records ---

  /**
   * Creates an IP record under {@code sid}, or a fresh SID when null; refuses a second record of
   * the same address and prefix length.
   */
  synchronized StoredIpRecord createIpRecord(String sid, String ip, int cidr, String friendlyName) {
    String block = ip + "/" + cidr;
    String holder = ipRecordsByBlock.get(block);
    if (holder != null) {
      throw TwilioError.badRequest("An IP record for " + block + " already exists: " + holder);
    }
    var now = Json.now();
    var record =
        new StoredIpRecord(
            accountSid, sid == null ? Sids.next("IL") : sid, friendlyName, ip, cidr, now, now);
    ipRecords.put(record.sid(), record);
    ipRecordsByBlock.put(block, record.sid());
    return record;
  }

  synchronized Optional<StoredIpRecord> ipRecord(String sid) {
    return Optional.ofNullable(ipRecords.get(sid));
  }

  synchronized Optional<StoredIpRecord> renameIpRecord(String sid, String friendlyName) {
    return Optional.ofNullable(
        ipRecords.computeIfPresent(sid, (k, r) -> r.withFriendlyName(friendlyName, Json.now())));
  }

  /** Deletes the record; false if absent; refuses a record that a mapping still uses. */
  synchronized boolean deleteIpRecord(String sid) {
    if (!ipRecords.containsKey(sid)) {
      return false;
    }
    String mapping = firstMapping(sid);
    if (mapping != null) {
      throw TwilioError.badRequest(
          "IP record " + sid + " is in use by source IP mapping " + mapping + "; delete it first");
    }
    StoredIpRecord removed = ipRecords.remove(sid);
    ipRecordsByBlock.remove(removed.ipAddress() + "/" + removed.cidrPrefixLength());
    return true;
  }

  synchronized Slice<StoredIpRecord> ipRecords(PageRequest request) {
    return Slice.of(ipRecords, request, StoredIpRecord::sid);
  }

  // --- source IP mappings ---

  synchronized StoredSourceIpMapping createMapping(String ipRecordSid, String sipDomainSid) {
    requireIpRecord(ipRecordSid);
    requireDomain(sipDomainSid);
    String existing = firstMapping(ipRecordSid);
    if (existing != null && !duplicates.allowed()) {
      duplicates.record(accountSid, ipRecordSid, existing, null);
      throw TwilioError.badRequest(
          "IP record " + ipRecordSid + " is already mapped by source IP mapping " + existing);
    }
    var now = Json.now();
    var mapping = new StoredSourceIpMapping(Sids.next("IB"), ipRecordSid, sipDomainSid, now, now);
    mappings.put(mapping.sid(), mapping);
    mappingsByIpRecord.computeIfAbsent(ipRecordSid, k -> new LinkedHashSet<>()).add(mapping.sid());
    if (existing != null) {
      duplicates.record(accountSid, ipRecordSid, existing, mapping.sid());
    }
    return mapping;
  }

  synchronized Optional<StoredSourceIpMapping> mapping(String sid) {
    return Optional.ofNullable(mappings.get(sid));
  }

  synchronized Optional<StoredSourceIpMapping> remapMapping(String sid, String sipDomainSid) {
    if (!mappings.containsKey(sid)) {
      return Optional.empty();
    }
    requireDomain(sipDomainSid);
    return Optional.of(
        mappings.computeIfPresent(sid, (k, m) -> m.withSipDomainSid(sipDomainSid, Json.now())));
  }

  synchronized boolean deleteMapping(String sid) {
    StoredSourceIpMapping removed = mappings.remove(sid);
    if (removed == null) {
      return false;
    }
    Set<String> sids = mappingsByIpRecord.get(removed.ipRecordSid());
    if (sids != null && sids.remove(sid) && sids.isEmpty()) {
      mappingsByIpRecord.remove(removed.ipRecordSid());
    }
    return true;
  }

  synchronized Slice<StoredSourceIpMapping> mappings(PageRequest request) {
    return Slice.of(mappings, request, StoredSourceIpMapping::sid);
  }

  // --- SIP domains ---

  synchronized void putDomain(StoredSipDomain domain) {
    domains.put(domain.sid(), domain);
  }

  synchronized Optional<StoredSipDomain> domain(String sid) {
    return Optional.ofNullable(domains.get(sid));
  }

  synchronized Optional<StoredSipDomain> updateDomain(
      String sid, UnaryOperator<StoredSipDomain> change) {
    return Optional.ofNullable(domains.computeIfPresent(sid, (k, d) -> change.apply(d)));
  }

  /** Deletes the domain and returns it; empty if absent; refuses a domain that mappings use. */
  synchronized Optional<StoredSipDomain> deleteDomain(String sid) {
    if (!domains.containsKey(sid)) {
      return Optional.empty();
    }
    for (StoredSourceIpMapping m : mappings.values()) {
      if (m.sipDomainSid().equals(sid)) {
        throw TwilioError.badRequest(
            "SIP domain "
                + sid
                + " is in use by source IP mapping "
                + m.sid()
                + "; delete it first");
      }
    }
    return Optional.of(domains.remove(sid));
  }

  synchronized Slice<StoredSipDomain> domains(PageRequest request) {
    return Slice.of(domains, request, StoredSipDomain::sid);
  }

  // --- read access for tests and reset ---

  synchronized List<StoredIpRecord> allIpRecords() {
    return List.copyOf(ipRecords.values());
  }

  synchronized List<StoredSourceIpMapping> allMappings() {
    return List.copyOf(mappings.values());
  }

  synchronized List<StoredSipDomain> allDomains() {
    return List.copyOf(domains.values());
  }

  synchronized void clear() {
    ipRecords.clear();
    ipRecordsByBlock.clear();
    mappings.clear();
    domains.clear();
    mappingsByIpRecord.clear();
  }

  private String firstMapping(String ipRecordSid) {
    Set<String> sids = mappingsByIpRecord.get(ipRecordSid);
    return sids == null || sids.isEmpty() ? null : sids.iterator().next();
  }

  private void requireIpRecord(String sid) {
    if (!ipRecords.containsKey(sid)) {
      throw TwilioError.invalidParameter(
          "IpRecordSid", "IP record " + sid + " does not exist in account " + accountSid);
    }
  }

  private void requireDomain(String sid) {
    if (!domains.containsKey(sid)) {
      throw TwilioError.invalidParameter(
          "SipDomainSid", "SIP domain " + sid + " does not exist in account " + accountSid);
    }
  }
}
