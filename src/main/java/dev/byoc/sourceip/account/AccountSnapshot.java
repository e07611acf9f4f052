package dev.byoc.sourceip.account;

import dev.byoc.sourceip.twilio.SipDomain;
import dev.byoc.sourceip.twilio.TwilioClient;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import dev.byoc.sourceip.twilio.TwilioMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One account's mappings, and once asked for its IP records and SIP domains, as Twilio last listed
 * them, kept current by the operator's own writes. Reconciles read it instead of fetching one by
 * one; a paged list per kind refreshes it at start and at each resync, and what changed at Twilio
 * is reported to listeners (drift).
 */
public final class AccountSnapshot {
  /** After Twilio refused the credentials, lists are not retried for this long. */
  public static final Duration CREDENTIALS_BACKOFF = Duration.ofSeconds(30);

  /** After a list failed otherwise (429, 5xx, network), not retried for this long. */
  static final Duration FAILURE_BACKOFF = Duration.ofSeconds(2);

  private final Clock clock;
  private final ListedKind<TwilioMapping> mappings;
  private final ListedKind<TwilioIpRecord> ipRecords;
  private final ListedKind<SipDomain> sipDomains;

  public AccountSnapshot(TwilioClient client, Clock clock) {
    Objects.requireNonNull(client);
    this.clock = Objects.requireNonNull(clock);
    this.mappings =
        new ListedKind<>(
            clock,
            client::listSourceIpMappings,
            TwilioMapping::sid,
            TwilioMapping::ipRecordSid,
            (was, now) ->
                Objects.equals(was.sipDomainSid(), now.sipDomainSid())
                    && Objects.equals(was.ipRecordSid(), now.ipRecordSid()),
            m -> List.of(m.ipRecordSid()));
    this.mappings.use();
    this.ipRecords =
        new ListedKind<>(
            clock,
            client::listIpRecords,
            TwilioIpRecord::sid,
            AccountSnapshot::ipRecordKey,
            Objects::equals,
            r -> List.of(r.sid(), ipRecordKey(r)));
    this.sipDomains =
        new ListedKind<>(
            clock,
            client::listSipDomains,
            SipDomain::sid,
            d -> domainKey(d.domainName()),
            (was, now) -> domainKey(was.domainName()).equals(domainKey(now.domainName())),
            d -> List.of(domainKey(d.domainName())));
  }

  /**
   * The key an IP record is found again by at Twilio, and reported to IP record listeners by
   * besides its SID: {@code address/prefix}, a missing prefix being 32 (one address).
   */
  public static String ipRecordKey(String ipAddress, Integer cidrPrefixLength) {
    return ipAddress + "/" + (cidrPrefixLength == null ? 32 : cidrPrefixLength);
  }

  private static String ipRecordKey(TwilioIpRecord r) {
    return ipRecordKey(r.ipAddress(), r.cidrPrefixLength());
  }

  private static String domainKey(String domainName) {
    return domainName == null ? "" : domainName.toLowerCase(Locale.ROOT);
  }

  /** Told, after each refresh, which IP records' mappings changed at Twilio since the last view. */
  public void addListener(Consumer<Set<String>> changedIpRecords) {
    mappings.addListener(changedIpRecords);
  }

  /**
   * Told, after each refresh of the IP records, the SIDs and {@link #ipRecordKey} keys of the IP
   * records that appeared, disappeared or changed at Twilio since the last view (both the old and
   * the new key when an address changed).
   */
  public void addIpRecordListener(Consumer<Set<String>> changedIpRecords) {
    ipRecords.addListener(changedIpRecords);
  }

  /**
   * Told, after each refresh of the SIP domains, the lower-case names of the domains that appeared,
   * disappeared or changed at Twilio since the last view.
   */
  public void addSipDomainListener(Consumer<Set<String>> changedDomainNames) {
    sipDomains.addListener(changedDomainNames);
  }

  public boolean isLoaded() {
    return mappings.listedAt().isPresent();
  }

  /** True once a list of the mappings has completed or failed (a failure is then reported). */
  public boolean firstListEnded() {
    return mappings.firstListEnded();
  }

  /** When the mapping list behind the current view began; empty before the first one. */
  public Optional<Instant> listedAt() {
    return mappings.listedAt();
  }

  /** Lists the mappings once if no list has happened yet; concurrent callers share that list. */
  public void ensureLoaded() {
    mappings.ensureLoaded();
  }

  /**
   * Lists the IP records once if no list of them has happened yet, and from then on with the
   * mappings at every refresh; concurrent callers share that list.
   */
  public void ensureIpRecordsLoaded() {
    ipRecords.use();
    ipRecords.ensureLoaded();
  }

  /**
   * Lists the SIP domains once if no list of them has happened yet, and from then on with the
   * mappings at every refresh; concurrent callers share that list.
   */
  public void ensureSipDomainsLoaded() {
    sipDomains.use();
    sipDomains.ensureLoaded();
  }

  /** Refreshes every kind in use whose view comes from a list older than {@code maxAge}. */
  public void ensureFresherThan(Duration maxAge) {
    refreshIfOlderThan(clock.instant().minus(maxAge));
  }

  /**
   * Lists each kind in use (the mappings, then the IP records and SIP domains once asked for)
   * unless a list of it that began at or after {@code notBefore} already completed. Callers that
   * must see the effect of an ambiguous write pass the time of that write; many such callers at
   * once share one list. The first failed list ends the refresh and is thrown: the next would most
   * likely fail the same way.
   */
  public void refreshIfOlderThan(Instant notBefore) {
    mappings.refreshIfOlderThan(notBefore);
    if (ipRecords.inUse()) {
      ipRecords.refreshIfOlderThan(notBefore);
    }
    if (sipDomains.inUse()) {
      sipDomains.refreshIfOlderThan(notBefore);
    }
  }

  /**
   * Remembers that a create for this IP record ended at {@code endedAt} without a usable answer:
   * Twilio may hold a mapping this view does not show, until a list that began after then.
   */
  public void createOutcomeUnknown(String ipRecordSid, Instant endedAt) {
    mappings.createOutcomeUnknown(ipRecordSid, endedAt);
  }

  /**
   * Makes the view of this IP record trustworthy before anyone concludes that Twilio holds no
   * mapping for it (and creates one, or releases a resource): after a create of unknown outcome,
   * lists once, or throws that list's failure, so nothing is created again without a look.
   */
  public void settleUnknownCreate(String ipRecordSid) {
    mappings.settleUnknownCreate(ipRecordSid);
  }

  public Optional<TwilioMapping> byIpRecord(String ipRecordSid) {
    return mappings.byKey(ipRecordSid);
  }

  public Optional<TwilioMapping> bySid(String sid) {
    return mappings.bySid(sid);
  }

  /** Every mapping the view holds now. */
  public List<TwilioMapping> mappings() {
    return mappings.all();
  }

  /** Every IP record the view holds now (none until IP records are used). */
  public List<TwilioIpRecord> ipRecords() {
    return ipRecords.all();
  }

  /** When the list behind the IP records' view began (empty before one, or when unused). */
  public Optional<Instant> ipRecordsListedAt() {
    return ipRecords.listedAt();
  }

  /** Whether IP records are listed (something asked for them). */
  public boolean ipRecordsInUse() {
    return ipRecords.inUse();
  }

  /**
   * Forgets failed lists (their backoff would keep answering with the old failure): the account's
   * credentials changed.
   */
  public void credentialsChanged() {
    mappings.forgetFailure();
    ipRecords.forgetFailure();
    sipDomains.forgetFailure();
  }

  /** How many mappings the view holds. */
  public int size() {
    return mappings.size();
  }

  /** Records a mapping the operator created, adopted or updated (write-through). */
  public void put(TwilioMapping mapping) {
    mappings.put(mapping);
  }

  /** Records a mapping the operator deleted or found gone (write-through). */
  public void remove(String sid) {
    mappings.remove(sid);
  }

  /** The IP record with this SID; lists the IP records first if they never were. */
  public Optional<TwilioIpRecord> ipRecordBySid(String sid) {
    ensureIpRecordsLoaded();
    return ipRecords.bySid(sid);
  }

  /**
   * The IP record for this address and prefix (null meaning 32), as Twilio finds it again; lists
   * the IP records first if they never were.
   */
  public Optional<TwilioIpRecord> ipRecordByAddress(String ipAddress, Integer cidrPrefixLength) {
    ensureIpRecordsLoaded();
    return ipRecords.byKey(ipRecordKey(ipAddress, cidrPrefixLength));
  }

  /** Records an IP record the operator created, adopted or updated (write-through). */
  public void putIpRecord(TwilioIpRecord ipRecord) {
    ipRecords.put(ipRecord);
  }

  /** Records an IP record the operator deleted or found gone (write-through). */
  public void removeIpRecord(String sid) {
    ipRecords.remove(sid);
  }

  /**
   * Remembers that a create of an IP record for this address and prefix ended at {@code endedAt}
   * without a usable answer; the IP records are listed from now on.
   */
  public void ipRecordCreateOutcomeUnknown(
      String ipAddress, Integer cidrPrefixLength, Instant endedAt) {
    ipRecords.use();
    ipRecords.createOutcomeUnknown(ipRecordKey(ipAddress, cidrPrefixLength), endedAt);
  }

  /**
   * Before anyone concludes that Twilio holds no IP record for this address and prefix: after a
   * create of unknown outcome, lists the IP records once, or throws that list's failure.
   */
  public void settleUnknownIpRecordCreate(String ipAddress, Integer cidrPrefixLength) {
    ipRecords.settleUnknownCreate(ipRecordKey(ipAddress, cidrPrefixLength));
  }

  /**
   * The SIP domain with this name, in any case (DNS names); lists the domains if they never were.
   */
  public Optional<SipDomain> sipDomainByName(String domainName) {
    ensureSipDomainsLoaded();
    return sipDomains.byKey(domainKey(domainName));
  }

  /** The SIP domain with this SID; lists the SIP domains first if they never were. */
  public Optional<SipDomain> sipDomainBySid(String sid) {
    ensureSipDomainsLoaded();
    return sipDomains.bySid(sid);
  }
}
