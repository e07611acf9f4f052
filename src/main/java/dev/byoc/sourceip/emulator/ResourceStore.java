package dev.byoc.sourceip.emulator;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** All accounts' resources plus the one thing shared across accounts: SIP domain names. */
final class ResourceStore {
  private final Map<String, AccountStore> accounts = new ConcurrentHashMap<>();
  private final Map<String, String> domainNames = new ConcurrentHashMap<>();
  private final DuplicateLedger duplicates = new DuplicateLedger();
  private final AllowedRanges allowedRanges = new AllowedRanges();

  /** Account configuration, not a resource: {@link #clear()} keeps it. */
  AllowedRanges allowedRanges() {
    return allowedRanges;
  }

  DuplicateLedger duplicates() {
    return duplicates;
  }

  /** The account's store, created on first use. */
  AccountStore account(String accountSid) {
    return accounts.computeIfAbsent(accountSid, sid -> new AccountStore(sid, duplicates));
  }

  /** Reserves a domain name (case-insensitively) for a domain SID; false if taken by another. */
  boolean claimDomainName(String name, String domainSid) {
    String holder = domainNames.putIfAbsent(name.toLowerCase(Locale.ROOT), domainSid);
    return holder == null || holder.equals(domainSid);
  }

  void releaseDomainName(String name, String domainSid) {
    domainNames.remove(name.toLowerCase(Locale.ROOT), domainSid);
  }

  /** Clears every resource of every account and the duplicate ledger; accounts stay. */
  void clear() {
    accounts.values().forEach(AccountStore::clear);
    domainNames.clear();
    duplicates.clear();
  }
}
