package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountKey;
import dev.byoc.sourceip.account.Claims;
import dev.byoc.sourceip.api.v1alpha1.EventReasons;
import dev.byoc.sourceip.api.v1alpha1.PruneMode;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Finds an account's Twilio objects that no resource claims, reports them, and with prune Delete
 * deletes them, guarded: only after each has stayed unclaimed for the grace period (as this process
 * saw it: a restart starts the wait again), never one a resource claims when it is about to go,
 * never while the account's last list is older than one resync interval, and never more per
 * interval than the stated share of the kind's objects.
 */
final class Pruner {
  private final Clock clock;
  private final SourceIpMappingActuator mappingActuator;
  private final IpRecordActuator ipRecordActuator;
  private final Map<AccountKey, Map<String, Instant>> unclaimedSince = new ConcurrentHashMap<>();
  private final Map<AccountKey, Window> windows = new ConcurrentHashMap<>();

  /**
   * An interval: the share of each kind, fixed from what the account held when it began, and the
   * deletes of each kind since.
   */
  private record Window(
      Instant start, int mappingShare, int ipRecordShare, int mappings, int ipRecords) {
    Window deletedMapping() {
      return new Window(start, mappingShare, ipRecordShare, mappings + 1, ipRecords);
    }

    Window deletedIpRecord() {
      return new Window(start, mappingShare, ipRecordShare, mappings, ipRecords + 1);
    }
  }

  /** What a round found and did. */
  record Round(List<String> unclaimed, List<String> deleted, String held) {}

  /** What governs a round: the mode, the grace period, the share, the interval. */
  /**
   * @param partialView why this operator cannot see every resource that may claim an object (it
   *     watches some namespaces, or some labels), which holds every delete; null when it sees all
   */
  record Rules(
      PruneMode mode,
      Duration gracePeriod,
      int maxDeletePercent,
      Duration interval,
      String partialView) {
    Rules(PruneMode mode, Duration gracePeriod, int maxDeletePercent, Duration interval) {
      this(mode, gracePeriod, maxDeletePercent, interval, null);
    }
  }

  Pruner(Clock clock) {
    this.clock = clock;
    this.mappingActuator = new SourceIpMappingActuator(clock);
    this.ipRecordActuator = new IpRecordActuator(clock);
  }

  /**
   * One round for account object {@code key}: {@code claims} gives what the cluster claims now
   * (asked again before each delete). With mode Off, forgets the account's state.
   */
  Round round(
      AccountKey key,
      HasMetadata object,
      Account account,
      Rules rules,
      Supplier<Claims> claims,
      EventSink events) {
    if (rules.mode() == PruneMode.Off) {
      forget(key);
      return new Round(null, List.of(), null);
    }
    Instant now = clock.instant();
    List<TwilioMapping> mappings = account.snapshot().mappings();
    List<TwilioIpRecord> ipRecords = account.snapshot().ipRecords();
    Claims.Unclaimed unclaimed = claims.get().unclaimed(mappings, ipRecords);
    Map<String, Instant> previous = unclaimedSince.getOrDefault(key, Map.of());
    Map<String, Instant> since = new HashMap<>();
    for (String sid : unclaimed.all()) {
      Instant first = previous.get(sid);
      if (first == null) {
        first = now;
        events.normal(
            object,
            EventReasons.UNCLAIMED,
            "Twilio "
                + kindOf(sid)
                + " "
                + sid
                + " of account "
                + account.accountSid()
                + " is claimed by no resource"
                + (rules.mode() == PruneMode.Delete
                    ? "; deleted once unclaimed for " + rules.gracePeriod()
                    : ""));
      }
      since.put(sid, first);
    }
    unclaimedSince.put(key, since);
    if (rules.mode() != PruneMode.Delete) {
      return new Round(unclaimed.all(), List.of(), null);
    }
    List<String> due =
        unclaimed.all().stream()
            .filter(sid -> !since.get(sid).plus(rules.gracePeriod()).isAfter(now))
            .toList();
    if (due.isEmpty()) {
      return new Round(unclaimed.all(), List.of(), null);
    }
    String stale =
        rules.partialView() != null
            ? rules.partialView()
            : staleList(account, rules.interval(), now);
    if (stale != null) {
      String held = due.size() + " unclaimed object(s) past the grace period wait: " + stale;
      events.warning(object, EventReasons.PRUNE_HELD, held);
      return new Round(unclaimed.all(), List.of(), held);
    }
    Window window = windows.get(key);
    if (window == null || !window.start().plus(rules.interval()).isAfter(now)) {
      window =
          new Window(
              now,
              budget(mappings.size(), rules.maxDeletePercent()),
              budget(ipRecords.size(), rules.maxDeletePercent()),
              0,
              0);
    }
    int mappingBudget = window.mappingShare() - window.mappings();
    int ipRecordBudget = window.ipRecordShare() - window.ipRecords();
    List<String> deleted = new ArrayList<>();
    int heldBack = 0;
    // saved even when a delete fails: the deletes done before it count against the share
    try {
      for (String sid : due) {
        boolean mapping = sid.startsWith("IB");
        if ((mapping ? mappingBudget : ipRecordBudget) <= 0) {
          heldBack++;
          continue;
        }
        // a resource may have claimed it since the list: ask again, just before the delete (one
        // claimed now, or gone from the view, is not among the unclaimed any more)
        boolean stillUnclaimed =
            claims
                .get()
                .unclaimed(account.snapshot().mappings(), account.snapshot().ipRecords())
                .all()
                .contains(sid);
        if (!stillUnclaimed) {
          continue;
        }
        if (mapping) {
          mappingActuator.delete(account, sid);
          mappingBudget--;
          window = window.deletedMapping();
        } else {
          // Twilio's mappings still using it go first (a later round when held)
          boolean inUse =
              account.snapshot().mappings().stream().anyMatch(m -> sid.equals(m.ipRecordSid()));
          if (inUse) {
            continue;
          }
          ipRecordActuator.delete(account, sid);
          ipRecordBudget--;
          window = window.deletedIpRecord();
        }
        since.remove(sid);
        deleted.add(sid);
        events.normal(
            object,
            EventReasons.PRUNED,
            "Deleted Twilio "
                + kindOf(sid)
                + " "
                + sid
                + " of account "
                + account.accountSid()
                + ": claimed by no resource for "
                + rules.gracePeriod()
                + " or more");
      }
    } finally {
      windows.put(key, window);
    }
    String held = null;
    if (heldBack > 0) {
      held =
          heldBack
              + " unclaimed object(s) past the grace period wait for the next interval: at most "
              + rules.maxDeletePercent()
              + "% of each kind are deleted per resync interval";
      events.warning(object, EventReasons.PRUNE_HELD, held);
    }
    List<String> left = new ArrayList<>(unclaimed.all());
    left.removeAll(deleted);
    return new Round(left, deleted, held);
  }

  /** The account object is gone or prunes no more: its waits start again if it comes back. */
  void forget(AccountKey key) {
    unclaimedSince.remove(key);
    windows.remove(key);
  }

  /** Why the lists are too old to delete by, or null when both are fresh. */
  private static String staleList(Account account, Duration interval, Instant now) {
    Instant oldest = now.minus(interval);
    Optional<Instant> mappings = account.snapshot().listedAt();
    if (mappings.isEmpty() || mappings.get().isBefore(oldest)) {
      return "the last list of mappings is older than one resync interval (" + interval + ")";
    }
    Optional<Instant> ipRecords = account.snapshot().ipRecordsListedAt();
    if (ipRecords.isEmpty() || ipRecords.get().isBefore(oldest)) {
      return "the last list of IP records is older than one resync interval (" + interval + ")";
    }
    return null;
  }

  /** The most of a kind deleted per interval: the share of what the account held, at least 1. */
  static int budget(int total, int percent) {
    return Math.max(1, total * percent / 100);
  }

  private static String kindOf(String sid) {
    return sid.startsWith("IB") ? "mapping" : "IP record";
  }
}
