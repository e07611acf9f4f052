package dev.byoc.sourceip.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, per request, the latency and the fault (scripted first, then probabilistic): from the
 * settings of the request's account if it has its own ({@link #update(String, FaultSettings)}),
 * else from the emulator-wide ones.
 */
public final class FaultInjector {
  /** The outcome for one request: a fault kind (null = none) and the Retry-After to send. */
  record Decision(FaultKind kind, Integer retryAfterSeconds) {
    static final Decision NONE = new Decision(null, null);
  }

  private volatile FaultSettings settings;
  private final LinkedList<ScriptedFault> script = new LinkedList<>();
  private Random random;

  /** One account's own settings, with their own random source. */
  private record Override(FaultSettings settings, Random random) {}

  private final Map<String, Override> overrides = new ConcurrentHashMap<>();

  FaultInjector(FaultSettings initial) {
    update(initial);
  }

  /** The emulator-wide settings: those of every account without settings of its own. */
  public FaultSettings settings() {
    return settings;
  }

  /** The settings that apply to this account's requests: its own, else the emulator-wide ones. */
  public FaultSettings settings(String accountSid) {
    Override o = accountSid == null ? null : overrides.get(accountSid);
    return o == null ? settings : o.settings();
  }

  /** The accounts with settings of their own, and those settings, by Account SID. */
  public Map<String, FaultSettings> accountSettings() {
    Map<String, FaultSettings> all = new TreeMap<>();
    overrides.forEach((sid, o) -> all.put(sid, o.settings()));
    return all;
  }

  /**
   * Gives one account settings of its own (latency, concurrency limit, probabilistic faults), in
   * place of the emulator-wide ones; a non-null seed seeds its own random source. Scripted faults
   * and the neighbour stay emulator-wide.
   */
  public synchronized void update(String accountSid, FaultSettings accountSettings) {
    if (accountSid == null || accountSid.isBlank()) {
      throw new IllegalArgumentException("accountSid must not be blank");
    }
    FaultSettings s = accountSettings == null ? FaultSettings.none() : accountSettings;
    overrides.put(
        accountSid, new Override(s, s.seed() == null ? new Random() : new Random(s.seed())));
  }

  /** The account follows the emulator-wide settings again. */
  public synchronized void clear(String accountSid) {
    overrides.remove(accountSid);
  }

  /** Every account follows the emulator-wide settings again. */
  public synchronized void clearAccounts() {
    overrides.clear();
  }

  /** Replaces the settings; a non-null seed restarts the random source from it. */
  public synchronized void update(FaultSettings newSettings) {
    this.settings = newSettings == null ? FaultSettings.none() : newSettings;
    this.random = settings.seed() == null ? new Random() : new Random(settings.seed());
  }

  /** Appends one-shot faults to the script. */
  public void script(ScriptedFault... faults) {
    script(Arrays.asList(faults));
  }

  public synchronized void script(List<ScriptedFault> faults) {
    script.addAll(faults);
  }

  public synchronized void clearScript() {
    script.clear();
  }

  /** The scripted faults not yet consumed, in order. */
  public synchronized List<ScriptedFault> pendingScript() {
    return List.copyOf(new ArrayList<>(script));
  }

  /** Milliseconds to delay this request: the fixed latency plus a uniform jitter. */
  synchronized long latencyMillis() {
    return latencyMillis(null);
  }

  /** Milliseconds to delay a request of this account (null: the emulator-wide settings). */
  synchronized long latencyMillis(String accountSid) {
    Override o = accountSid == null ? null : overrides.get(accountSid);
    FaultSettings s = o == null ? settings : o.settings();
    Random r = o == null ? random : o.random();
    long jitter = s.latencyJitterMs() > 0 ? (long) (r.nextDouble() * (s.latencyJitterMs() + 1)) : 0;
    return s.latencyMs() + jitter;
  }

  /** The fault for this request, consuming the first matching scripted entry if any. */
  synchronized Decision decide(String method, String template) {
    return decide(method, template, null);
  }

  /**
   * The fault for a request of this account (null: the emulator-wide settings), consuming the first
   * matching scripted entry if any.
   */
  synchronized Decision decide(String method, String template, String accountSid) {
    for (Iterator<ScriptedFault> it = script.iterator(); it.hasNext(); ) {
      ScriptedFault entry = it.next();
      if (entry.matches(method, template)) {
        it.remove();
        Integer retry =
            entry.retryAfterSeconds() != null
                ? entry.retryAfterSeconds()
                : settings.retryAfterSeconds();
        return new Decision(entry.kind(), retry);
      }
    }
    Override o = accountSid == null ? null : overrides.get(accountSid);
    FaultSettings s = o == null ? settings : o.settings();
    Random r = o == null ? random : o.random();
    if (!s.appliesTo(method)) {
      return Decision.NONE;
    }
    FaultKind kind = null;
    if (hit(r, s.probabilityResetBefore())) {
      kind = FaultKind.RESET_BEFORE;
    } else if (hit(r, s.probability429())) {
      kind = FaultKind.TOO_MANY_REQUESTS;
    } else if (hit(r, s.probability503())) {
      kind = FaultKind.UNAVAILABLE;
    } else if (hit(r, s.probability500())) {
      kind = FaultKind.INTERNAL_ERROR;
    } else if (hit(r, s.probabilityResetAfter())) {
      kind = FaultKind.RESET_AFTER;
    }
    return kind == null ? Decision.NONE : new Decision(kind, s.retryAfterSeconds());
  }

  private static boolean hit(Random random, double probability) {
    return probability > 0 && (probability >= 1.0 || random.nextDouble() < probability);
  }
}
