package dev.byoc.sourceip.account;

import dev.byoc.sourceip.twilio.ErrorClass;
import dev.byoc.sourceip.twilio.TwilioException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One kind of Twilio object in an account snapshot, as Twilio last listed it, by SID and by one
 * key: the snapshot's kinds share it so that shared lists, backoff, write-through, the journal,
 * unknown creates and drift behave the same for each.
 */
final class ListedKind<T> {
  private final Clock clock;
  private final Supplier<List<T>> lister;
  private final Function<T, String> sidOf;
  private final Function<T, String> keyOf;
  private final BiPredicate<T, T> unchanged;
  private final Function<T, Collection<String>> reportedAs;
  private final Object refreshLock = new Object();
  private final Object state = new Object();
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

  // guarded by state
  private Map<String, T> bySid = new HashMap<>();
  private Map<String, String> sidByKey = new HashMap<>();
  private List<Consumer<Map<String, T>>> journal;
  private final Map<String, Instant> unknownCreates = new HashMap<>();

  // written under refreshLock
  private volatile Instant listStartedAt;
  private volatile TwilioException lastFailure;
  private volatile Instant failedAt;

  private volatile boolean inUse;

  /**
   * @param keyOf the key objects are looked up by besides their SID; unknown creates are keyed by
   *     it
   * @param unchanged whether a listed object is the same, for drift, as the one seen before
   * @param reportedAs what listeners are told when an object appears, disappears or changes
   */
  ListedKind(
      Clock clock,
      Supplier<List<T>> lister,
      Function<T, String> sidOf,
      Function<T, String> keyOf,
      BiPredicate<T, T> unchanged,
      Function<T, Collection<String>> reportedAs) {
    this.clock = Objects.requireNonNull(clock);
    this.lister = Objects.requireNonNull(lister);
    this.sidOf = Objects.requireNonNull(sidOf);
    this.keyOf = Objects.requireNonNull(keyOf);
    this.unchanged = Objects.requireNonNull(unchanged);
    this.reportedAs = Objects.requireNonNull(reportedAs);
  }

  /** From now on this kind is listed at every refresh of the snapshot. */
  void use() {
    inUse = true;
  }

  boolean inUse() {
    return inUse;
  }

  void addListener(Consumer<Set<String>> changed) {
    listeners.add(changed);
  }

  Optional<Instant> listedAt() {
    return Optional.ofNullable(listStartedAt);
  }

  boolean firstListEnded() {
    return listStartedAt != null || lastFailure != null;
  }

  void ensureLoaded() {
    if (listStartedAt == null) {
      refreshIfOlderThan(Instant.MIN);
    }
  }

  /** Lists unless a list that began at or after {@code notBefore} already completed. */
  void refreshIfOlderThan(Instant notBefore) {
    if (listedSince(notBefore)) {
      return;
    }
    synchronized (refreshLock) {
      if (listedSince(notBefore)) {
        return;
      }
      Instant started = clock.instant();
      TwilioException failed = lastFailure;
      if (failed != null && started.isBefore(failedAt.plus(backoffAfter(failed)))) {
        // one failed list answers every caller for a while: no storm of lists
        throw failed;
      }
      synchronized (state) {
        journal = new ArrayList<>();
      }
      List<T> listed;
      try {
        listed = lister.get();
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
        Map<String, T> next = new HashMap<>();
        for (T o : listed) {
          next.put(sidOf.apply(o), o);
        }
        // writes this operator made while the list was in flight are newer than the list
        journal.forEach(write -> write.accept(next));
        journal = null;
        Map<String, T> previous = bySid;
        install(next);
        // this list began after those creates ended: whatever they did, it is in the view now
        unknownCreates.values().removeIf(endedAt -> !started.isBefore(endedAt));
        changed = listStartedAt == null ? Set.of() : changed(previous, next);
      }
      listStartedAt = started;
      if (!changed.isEmpty()) {
        listeners.forEach(l -> l.accept(changed));
      }
    }
  }

  private boolean listedSince(Instant notBefore) {
    Instant listed = listStartedAt;
    return listed != null && !listed.isBefore(notBefore);
  }

  private static Duration backoffAfter(TwilioException failure) {
    return failure.errorClass() == ErrorClass.CREDENTIALS
        ? AccountSnapshot.CREDENTIALS_BACKOFF
        : AccountSnapshot.FAILURE_BACKOFF;
  }

  /** A create keyed {@code key} ended at {@code endedAt} without a usable answer. */
  void createOutcomeUnknown(String key, Instant endedAt) {
    synchronized (state) {
      unknownCreates.merge(key, endedAt, (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  /** Lists once if a create keyed {@code key} ended unknown after the current view's list began. */
  void settleUnknownCreate(String key) {
    Instant endedAt;
    synchronized (state) {
      endedAt = unknownCreates.get(key);
    }
    if (endedAt != null) {
      refreshIfOlderThan(endedAt);
    }
  }

  Optional<T> byKey(String key) {
    synchronized (state) {
      String sid = sidByKey.get(key);
      return Optional.ofNullable(sid == null ? null : bySid.get(sid));
    }
  }

  Optional<T> bySid(String sid) {
    synchronized (state) {
      return Optional.ofNullable(bySid.get(sid));
    }
  }

  int size() {
    synchronized (state) {
      return bySid.size();
    }
  }

  /** Every object the view holds now. */
  List<T> all() {
    synchronized (state) {
      return List.copyOf(bySid.values());
    }
  }

  /** Forgets the last failed list, so that the next caller lists at once (new credentials). */
  void forgetFailure() {
    lastFailure = null;
  }

  /** Write-through of an object the operator created, adopted or updated. */
  void put(T o) {
    String sid = sidOf.apply(o);
    String key = keyOf.apply(o);
    synchronized (state) {
      journaled(m -> m.put(sid, o));
      T previous = bySid.put(sid, o);
      if (previous != null && !keyOf.apply(previous).equals(key)) {
        sidByKey.remove(keyOf.apply(previous), sid);
      }
      sidByKey.put(key, sid);
    }
  }

  /** Write-through of an object the operator deleted or found gone. */
  void remove(String sid) {
    synchronized (state) {
      journaled(m -> m.remove(sid));
      T previous = bySid.remove(sid);
      if (previous != null) {
        sidByKey.remove(keyOf.apply(previous), sid);
      }
    }
  }

  private void journaled(Consumer<Map<String, T>> write) {
    if (journal != null) {
      journal.add(write);
    }
  }

  private void install(Map<String, T> next) {
    Map<String, String> index = new HashMap<>();
    // ordered by SID so that, were Twilio ever to hold two objects under one key, every reader
    // picks the same one
    next.values().stream()
        .sorted(Comparator.comparing(sidOf))
        .forEach(o -> index.putIfAbsent(keyOf.apply(o), sidOf.apply(o)));
    bySid = next;
    sidByKey = index;
  }

  private Set<String> changed(Map<String, T> before, Map<String, T> after) {
    Set<String> changed = new HashSet<>();
    after.forEach(
        (sid, now) -> {
          T was = before.get(sid);
          if (was == null || !unchanged.test(was, now)) {
            changed.addAll(reportedAs.apply(now));
            if (was != null) {
              changed.addAll(reportedAs.apply(was));
            }
          }
        });
    before.forEach(
        (sid, was) -> {
          if (!after.containsKey(sid)) {
            changed.addAll(reportedAs.apply(was));
          }
        });
    return changed;
  }
}
