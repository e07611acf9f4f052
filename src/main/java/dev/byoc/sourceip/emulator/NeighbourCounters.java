package dev.byoc.sourceip.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The neighbour's own requests, per account, kept apart from the API's so that a run can tell the
 * harm the operator does to the account's production traffic: attempted, served, refused (429).
 */
public final class NeighbourCounters {
  private record Counts(LongAdder attempted, LongAdder served, LongAdder refused) {
    Counts() {
      this(new LongAdder(), new LongAdder(), new LongAdder());
    }
  }

  private final Map<String, Counts> byAccount = new ConcurrentHashMap<>();

  /** Neighbour requests sent, of every account. */
  public long attempted() {
    return byAccount.values().stream().mapToLong(c -> c.attempted().sum()).sum();
  }

  /** Neighbour requests that got a slot, of every account. */
  public long served() {
    return byAccount.values().stream().mapToLong(c -> c.served().sum()).sum();
  }

  /** Neighbour requests refused (a 429 the neighbour got) because the account was full. */
  public long refused() {
    return byAccount.values().stream().mapToLong(c -> c.refused().sum()).sum();
  }

  public long attempted(String accountSid) {
    Counts counts = byAccount.get(accountSid);
    return counts == null ? 0 : counts.attempted().sum();
  }

  public long served(String accountSid) {
    Counts counts = byAccount.get(accountSid);
    return counts == null ? 0 : counts.served().sum();
  }

  public long refused(String accountSid) {
    Counts counts = byAccount.get(accountSid);
    return counts == null ? 0 : counts.refused().sum();
  }

  /** Clears every count. */
  public void reset() {
    byAccount.clear();
  }

  void record(String accountSid, boolean served) {
    Counts counts = byAccount.computeIfAbsent(accountSid, k -> new Counts());
    counts.attempted().increment();
    (served ? counts.served() : counts.refused()).increment();
  }

  /**
   * {"attempted": n, "served": n, "refused": n, "byAccount": {sid: {attempted, served, refused}}}.
   */
  ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("attempted", attempted());
    node.put("served", served());
    node.put("refused", refused());
    ObjectNode accounts = node.putObject("byAccount");
    new TreeMap<>(byAccount)
        .forEach(
            (sid, counts) ->
                accounts
                    .putObject(sid)
                    .put("attempted", counts.attempted().sum())
                    .put("served", counts.served().sum())
                    .put("refused", counts.refused().sum()));
    return node;
  }
}
