package dev.byoc.sourceip.account;

import dev.byoc.sourceip.twilio.ErrorClass;
import dev.byoc.sourceip.twilio.TwilioClient;
import dev.byoc.sourceip.twilio.TwilioException;
import dev.byoc.sourceip.twilio.TwilioMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One account's mappings as Twilio last listed them, kept current by the operator's own writes.
 * Reconciles read it instead of fetching one by one; a paged list refreshes it at start and at each
 * resync, and the IP records whose mapping changed are reported to listeners (drift).
 */
public final class AccountSnapshot {
  private final TwilioClient client;
  private final Clock clock;
  private final Object refreshLock = new Object();
  private final Object state = new Object();
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

  // guarded by state
  private Map<String, TwilioMapping> bySid = new HashMap<>();
  private Map<String, String> sidByIpRecord = new HashMap<>();
  private List<Consumer<Map<String, TwilioMapping>>> journal;
  private final Map<String, Instant> unknownCreates = new HashMap<>();

  // written under refreshLock
  private volatile Instant listStartedAt;
  private volatile TwilioException lastFailure;
  private volatile Instant failedAt;

  /** After Twilio refused the credentials, lists are not retried for this long. */
  public static final Duration CREDENTIALS_BACKOFF = Duration.ofSeconds(30);

  /** After a list failed otherwise (429, 5xx, network), not retried for this long. */
  static final Duration FAILURE_BACKOFF = Duration.ofSeconds(2);

  public AccountSnapshot(TwilioClient client, Clock clock) {
    this.client = Objects.requireNonNull(client);
    this.clock = Objects.requireNonNull(clock);
  }

  /** Told, after each refresh, which IP records' mappings changed at Twilio since the last view. */
  public void addListener(Consumer<Set<String>> changedIpRecords) {
    listeners.add(changedIpRecords);
  }

  public boolean isLoaded() {
    return listStartedAt != null;
  }

  /** True once a list has completed or failed (the failure is then what reconciles report). */
  public boolean firstListEnded() {
    return listStartedAt != null || lastFailure != null;
  }

  /** When the list behind the current view began; empty before the first one. */
  public Optional<Instant> listedAt() {
    return Optional.ofNullable(listStartedAt);
  }

  /** Lists once if no list has happened yet; concurrent callers share that one list. */
  public void ensureLoaded() {
    if (listStartedAt == null) {
      refreshIfOlderThan(Instant.MIN);
    }
  }

  /** Refreshes unless the current view comes from a list that began within {@code maxAge}. */
  public void ensureFresherThan(Duration maxAge) {
    Instant listed = listStartedAt;
    if (listed == null || listed.isBefore(clock.instant().minus(maxAge))) {
      refreshIfOlderThan(clock.instant().minus(maxAge));
    }
  }

  /**
   * Lists the account unless a list that began at or after {@code notBefore} already completed.
   * Callers that must see the effect of an ambiguous write pass the time of that write; many such
   * callers at once share one list.
   */
  public void refreshIfOlderThan(Instant notBefore) {
    synchronized (refreshLock) {
      Instant listed = listStartedAt;
      if (listed != null && !listed.isBefore(notBefore)) {
        return;
      }
      Instant started = clock.instant();
      TwilioException failed = lastFailure;
      if (failed != null && started.isBefore(failedAt.plus(backoffAfter(failed)))) {
        // one failed list answers every reconcile of the account for a while: no storm of lists
        throw failed;
      }
      synchronized (state) {
        journal = new ArrayList<>();
      }
      List<TwilioMapping> listedMappings;
      try {
        listedMappings = client.listSourceIpMappings();
        lastFailure = null;
      } catch (RuntimeException e) {
        synchronized (state) {
          journal = null;
        }
        if (e instanceof TwilioException t) {
          lastFailure = t;
          failedAt = clock.instant();
        }
        throw e;
      }
      Set<String> changed;
      synchronized (state) {
        Map<String, TwilioMapping> next = new HashMap<>();
        for (TwilioMapping m : listedMappings) {
          next.put(m.sid(), m);
        }
        // writes this operator made while the list was in flight are newer than the list
        journal.forEach(write -> write.accept(next));
        journal = null;
        Map<String, TwilioMapping> previous = bySid;
        install(next);
        // this list began after those creates ended: whatever they did, it is in the view now
        unknownCreates.values().removeIf(endedAt -> !started.isBefore(endedAt));
        changed =
            listStartedAt == null ? Set.of() : changedIpRecords(previous.values(), next.values());
      }
      listStartedAt = started;
      if (!changed.isEmpty()) {
        listeners.forEach(l -> l.accept(changed));
      }
    }
  }

  /**
   * Remembers that a create for this IP record ended at {@code endedAt} without a usable answer:
   * Twilio may hold a mapping this view does not show, until a list that began after then.
   */
  public void createOutcomeUnknown(String ipRecordSid, Instant endedAt) {
    synchronized (state) {
      unknownCreates.merge(ipRecordSid, endedAt, (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  /**
   * Makes the view of this IP record trustworthy before anyone concludes that Twilio holds no
   * mapping for it (and creates one, or releases a resource): after a create of unknown outcome,
   * lists once, or throws that list's failure, so nothing is created again without a look.
   */
  public void settleUnknownCreate(String ipRecordSid) {
    Instant endedAt;
    synchronized (state) {
      endedAt = unknownCreates.get(ipRecordSid);
    }
    if (endedAt != null) {
      refreshIfOlderThan(endedAt);
    }
  }

  private static Duration backoffAfter(TwilioException failure) {
    return failure.errorClass() == ErrorClass.CREDENTIALS ? CREDENTIALS_BACKOFF : FAILURE_BACKOFF;
  }

  public Optional<TwilioMapping> byIpRecord(String ipRecordSid) {
    synchronized (state) {
      String sid = sidByIpRecord.get(ipRecordSid);
      return Optional.ofNullable(sid == null ? null : bySid.get(sid));
    }
  }

  public Optional<TwilioMapping> bySid(String sid) {
    synchronized (state) {
      return Optional.ofNullable(bySid.get(sid));
    }
  }

  public int size() {
    synchronized (state) {
      return bySid.size();
    }
  }

  /** Records a mapping the operator created, adopted or updated (write-through). */
  public void put(TwilioMapping mapping) {
    synchronized (state) {
      journaled(m -> m.put(mapping.sid(), mapping));
      TwilioMapping previous = bySid.put(mapping.sid(), mapping);
      if (previous != null && !previous.ipRecordSid().equals(mapping.ipRecordSid())) {
        sidByIpRecord.remove(previous.ipRecordSid(), previous.sid());
      }
      sidByIpRecord.put(mapping.ipRecordSid(), mapping.sid());
    }
  }

  /** Records a mapping the operator deleted or found gone (write-through). */
  public void remove(String sid) {
    synchronized (state) {
      journaled(m -> m.remove(sid));
      TwilioMapping previous = bySid.remove(sid);
      if (previous != null) {
        sidByIpRecord.remove(previous.ipRecordSid(), sid);
      }
    }
  }

  private void journaled(Consumer<Map<String, TwilioMapping>> write) {
    if (journal != null) {
      journal.add(write);
    }
  }

  private void install(Map<String, TwilioMapping> next) {
    Map<String, String> index = new HashMap<>();
    // ordered by SID so that, were Twilio ever to hold two mappings for one IP record, every
    // reader picks the same one
    next.values().stream()
        .sorted(java.util.Comparator.comparing(TwilioMapping::sid))
        .forEach(m -> index.putIfAbsent(m.ipRecordSid(), m.sid()));
    bySid = next;
    sidByIpRecord = index;
  }

  private static Set<String> changedIpRecords(
      Collection<TwilioMapping> before, Collection<TwilioMapping> after) {
    Map<String, TwilioMapping> old = new HashMap<>();
    before.forEach(m -> old.put(m.sid(), m));
    Set<String> changed = new HashSet<>();
    Map<String, TwilioMapping> now = new HashMap<>();
    after.forEach(m -> now.put(m.sid(), m));
    for (TwilioMapping m : after) {
      TwilioMapping was = old.get(m.sid());
      if (was == null
          || !Objects.equals(was.sipDomainSid(), m.sipDomainSid())
          || !Objects.equals(was.ipRecordSid(), m.ipRecordSid())) {
        changed.add(m.ipRecordSid());
        if (was != null) {
          changed.add(was.ipRecordSid());
        }
      }
    }
    for (TwilioMapping m : before) {
      if (!now.containsKey(m.sid())) {
        changed.add(m.ipRecordSid());
      }
    }
    return changed;
  }
}
