package dev.byoc.sourceip.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts Twilio-path requests by method, path template and status (0 = connection dropped), and
 * tracks in-flight requests per account with the highest concurrency observed.
 */
public final class RequestCounters {
  private record Key(String method, String path, int status) {}

  private static final Comparator<Key> ORDER =
      Comparator.comparing(Key::path).thenComparing(Key::method).thenComparingInt(Key::status);

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> faults = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> byUser = new ConcurrentHashMap<>();
  private final NeighbourCounters neighbour = new NeighbourCounters();

  /** The neighbour's own requests (attempted, served, refused), apart from these. */
  public NeighbourCounters neighbour() {
    return neighbour;
  }

  /** Requests with this method, path template and status. */
  public long count(String method, String pathTemplate, int status) {
    LongAdder adder = counts.get(new Key(method, pathTemplate, status));
    return adder == null ? 0 : adder.sum();
  }

  /** Requests with this method and path template, whatever their status. */
  public long count(String method, String pathTemplate) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().method().equals(method) && e.getKey().path().equals(pathTemplate))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  /**
   * Requests that authenticated (or tried to) as this Basic-auth user: an Account SID, or the SID
   * of an API key, so that clients sharing an account can be told apart.
   */
  public long byUser(String sid) {
    LongAdder adder = byUser.get(sid);
    return adder == null ? 0 : adder.sum();
  }

  void recordUser(String sid) {
    if (sid != null && sid.length() <= 64) {
      byUser.computeIfAbsent(sid, k -> new LongAdder()).increment();
    }
  }

  public long total() {
    return total.sum();
  }

  /** The highest number of requests of this account in flight at once since the last reset. */
  public int maxInFlight(String accountSid) {
    AtomicInteger max = maxInFlight.get(accountSid);
    return max == null ? 0 : max.get();
  }

  /** Requests of this account in flight now. */
  public int inFlight(String accountSid) {
    AtomicInteger current = inFlight.get(accountSid);
    return current == null ? 0 : current.get();
  }

  /** Faults injected by name (429, 500, 503, reset-before, ...; "concurrency-429"), sorted. */
  public Map<String, Long> faults() {
    TreeMap<String, Long> sorted = new TreeMap<>();
    faults.forEach((name, count) -> sorted.put(name, count.sum()));
    return sorted;
  }

  /**
   * Clears the counts, the neighbour's counts and the observed maxima (requests in flight stay in
   * flight).
   */
  public void reset() {
    neighbour.reset();
    counts.clear();
    faults.clear();
    byUser.clear();
    total.reset();
    maxInFlight.clear();
  }

  void record(String method, String pathTemplate, int status) {
    counts.computeIfAbsent(new Key(method, pathTemplate, status), k -> new LongAdder()).increment();
    total.increment();
  }

  void recordFault(String name) {
    faults.computeIfAbsent(name, k -> new LongAdder()).increment();
  }

  /** Enters a request of this account; returns how many are now in flight (this one included). */
  int enter(String accountSid) {
    int now = inFlight.computeIfAbsent(accountSid, k -> new AtomicInteger()).incrementAndGet();
    maxInFlight
        .computeIfAbsent(accountSid, k -> new AtomicInteger())
        .accumulateAndGet(now, Math::max);
    return now;
  }

  void exit(String accountSid) {
    inFlight.get(accountSid).decrementAndGet();
  }

  /**
   * {"total": n, "requests": [{method, path, status, count}...], "maxInFlight": {sid: n}, "faults":
   * {name: n}, "neighbour": {attempted, served, refused, byAccount}}.
   */
  ObjectNode toJson() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("total", total());
    ArrayNode requests = node.putArray("requests");
    TreeMap<Key, LongAdder> sorted = new TreeMap<>(ORDER);
    sorted.putAll(counts);
    sorted.forEach(
        (key, count) -> {
          ObjectNode row = requests.addObject();
          row.put("method", key.method());
          row.put("path", key.path());
          row.put("status", key.status());
          row.put("count", count.sum());
        });
    ObjectNode max = node.putObject("maxInFlight");
    new TreeMap<>(maxInFlight).forEach((sid, value) -> max.put(sid, value.get()));
    ObjectNode injected = node.putObject("faults");
    faults().forEach(injected::put);
    node.set("neighbour", neighbour.toJson());
    return node;
  }
}
