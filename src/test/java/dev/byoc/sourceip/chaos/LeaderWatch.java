package dev.byoc.sourceip.chaos;

import dev.byoc.sourceip.emulator.ProcessedRequest;
import dev.byoc.sourceip.testing.Scrape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Watches the replicas of a leader-elected operator: samples each one's {@code sourceip_leader}
 * gauge in rounds, and records which replica (told apart by its API key) sent each request Twilio
 * carried out, and when. Within one incarnation leadership only moves from standby to leader (a
 * replica that loses the lease exits), so:
 *
 * <ul>
 *   <li>a gauge read of 0 taken after a request of that incarnation was processed proves the
 *       request was sent while standby (the request left before the read, the lease came after);
 *   <li>an incarnation led at least from the end of its first read of 1 to the start of its last;
 *       two such stretches of different replicas that overlap prove two leaders at once, and so
 *       does one round in which both gauges read 1.
 * </ul>
 *
 * Requests are attributed to the incarnation started last when they reached the emulator (a killed
 * one's requests may be carried out more than a second after its death, on 2 busy cores; they
 * reached the emulator before it died, and the harness restarts a replica a second or more later).
 * A request counts as sent while standby when it reached the emulator before a read of 0.
 */
final class LeaderWatch {
  record Replica(int index, KillableOperator operator, String metricsUrl, String keySid) {}

  private record Sent(int replica, int incarnation, long at, String what) {}

  /** One incarnation's reads of its gauge, in System.nanoTime(). */
  private static final class Reign {
    long lastStandbyRead = Long.MIN_VALUE; // start of the last read of 0 before any read of 1
    long firstLeadEnd = -1; // end of the first read of 1
    long lastLeadStart = -1; // start of the last read of 1
  }

  private final List<Replica> replicas;
  private final Map<String, Reign> reigns = new ConcurrentHashMap<>();
  private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
  private final long startedAt = System.nanoTime();
  private volatile Replica leader;
  private volatile int leaderIncarnation;
  private long rounds;
  private long roundsWithTwo;
  private long lastLed = System.nanoTime();
  private long longestWithout;
  private boolean leaderless = true;

  LeaderWatch(List<Replica> replicas) {
    this.replicas = List.copyOf(replicas);
  }

  /** The emulator's hook: who sent what Twilio just carried out. */
  void processed(ProcessedRequest request) {
    long at = request.receivedNanos(); // the sender was alive then
    for (Replica r : replicas) {
      if (r.keySid().equals(request.user())) {
        sent.add(
            new Sent(
                r.index(),
                r.operator().incarnationAt(at),
                at,
                request.method() + " " + request.pathTemplate() + " " + request.status()));
      }
    }
  }

  Replica byKey(String keySid) {
    return replicas.stream().filter(r -> r.keySid().equals(keySid)).findFirst().orElse(null);
  }

  /** The replica whose gauge alone read 1 in the last round, if that incarnation still runs. */
  Replica leader() {
    Replica r = leader;
    return r != null && r.operator().alive() && r.operator().incarnations() == leaderIncarnation
        ? r
        : null;
  }

  /** How long the current leader has been seen leading, in ms; 0 without one. */
  long leaderForMillis() {
    Replica r = leader();
    Reign reign = r == null ? null : reigns.get(r.index() + "/" + leaderIncarnation);
    if (reign == null) {
      return 0;
    }
    synchronized (reign) {
      return reign.firstLeadEnd < 0 ? 0 : (System.nanoTime() - reign.firstLeadEnd) / 1_000_000;
    }
  }

  /** One round: reads every live replica's gauge. */
  void sample() {
    Replica leading = null;
    int leadingIncarnation = 0;
    int count = 0;
    for (Replica r : replicas) {
      int incarnation = r.operator().incarnations();
      if (!r.operator().alive()) {
        continue;
      }
      long start = System.nanoTime();
      Double value = read(r.metricsUrl());
      long end = System.nanoTime();
      if (value == null || r.operator().incarnations() != incarnation) {
        continue; // not serving yet (or any more), or restarted meanwhile
      }
      Reign reign = reigns.computeIfAbsent(r.index() + "/" + incarnation, k -> new Reign());
      synchronized (reign) {
        if (value == 1) {
          if (reign.firstLeadEnd < 0) {
            reign.firstLeadEnd = end;
          }
          reign.lastLeadStart = start;
          count++;
          leading = r;
          leadingIncarnation = incarnation;
        } else if (reign.firstLeadEnd < 0) {
          reign.lastStandbyRead = start;
        }
      }
    }
    long now = System.nanoTime();
    synchronized (this) {
      rounds++;
      if (count > 1) {
        roundsWithTwo++;
      }
      if (count > 0) {
        if (leaderless) {
          longestWithout = Math.max(longestWithout, now - lastLed);
        }
        leaderless = false;
        lastLed = now;
      } else {
        leaderless = true;
      }
    }
    leaderIncarnation = leadingIncarnation;
    leader = count == 1 ? leading : null;
  }

  private static Double read(String url) {
    try {
      return Scrape.get(url).sum("sourceip_leader", Map.of());
    } catch (RuntimeException e) {
      return null;
    }
  }

  synchronized long rounds() {
    return rounds;
  }

  synchronized long roundsWithTwoLeaders() {
    return roundsWithTwo;
  }

  /** The longest stretch between two rounds in which some replica led (or the first lead). */
  synchronized long longestLeaderlessMillis() {
    return longestWithout / 1_000_000;
  }

  /** Incarnations whose gauge was seen at 1: the first leader, then one per takeover. */
  int reignsObserved() {
    return (int) reigns.values().stream().filter(r -> r.firstLeadEnd >= 0).count();
  }

  /** Requests Twilio carried out for this replica, by any of its incarnations. */
  long processedBy(int replica) {
    return sent.stream().filter(s -> s.replica() == replica).count();
  }

  /** Everything that proves two leaders at once, or a standby that talked to Twilio. */
  List<String> violations() {
    List<String> problems = new ArrayList<>();
    if (roundsWithTwoLeaders() > 0) {
      problems.add(roundsWithTwoLeaders() + " rounds in which two replicas' gauges read 1");
    }
    List<Map.Entry<String, Reign>> led =
        reigns.entrySet().stream()
            .filter(e -> e.getValue().firstLeadEnd >= 0)
            .filter(e -> e.getValue().lastLeadStart > e.getValue().firstLeadEnd)
            .toList();
    for (int i = 0; i < led.size(); i++) {
      for (int j = i + 1; j < led.size(); j++) {
        var a = led.get(i);
        var b = led.get(j);
        if (a.getKey().split("/")[0].equals(b.getKey().split("/")[0])) {
          continue; // one replica's incarnations follow each other
        }
        long from = Math.max(a.getValue().firstLeadEnd, b.getValue().firstLeadEnd);
        long to = Math.min(a.getValue().lastLeadStart, b.getValue().lastLeadStart);
        if (from < to) {
          problems.add(
              "replica/incarnation %s and %s both led for %d ms"
                  .formatted(a.getKey(), b.getKey(), (to - from) / 1_000_000));
        }
      }
    }
    for (Sent s : sent) {
      Reign reign = reigns.get(s.replica() + "/" + s.incarnation());
      if (reign != null && s.at() <= reign.lastStandbyRead) {
        problems.add(
            "replica %d (incarnation %d) sent %s at %d ms while standby"
                .formatted(
                    s.replica(), s.incarnation(), s.what(), (s.at() - startedAt) / 1_000_000));
      }
    }
    return problems;
  }
}
