package dev.byoc.sourceip.emulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;

/** Decides, per request, the latency and the fault (scripted first, then probabilistic). */
public final class FaultInjector {
  /** The outcome for one request: a fault kind (null = none) and the Retry-After to send. */
  record Decision(FaultKind kind, Integer retryAfterSeconds) {
    static final Decision NONE = new Decision(null, null);
  }

  private volatile FaultSettings settings;
  private final LinkedList<ScriptedFault> script = new LinkedList<>();
  private Random random;

  FaultInjector(FaultSettings initial) {
    update(initial);
  }

  public FaultSettings settings() {
    return settings;
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
    FaultSettings s = settings;
    long jitter =
        s.latencyJitterMs() > 0 ? (long) (random.nextDouble() * (s.latencyJitterMs() + 1)) : 0;
    return s.latencyMs() + jitter;
  }

  /** The fault for this request, consuming the first matching scripted entry if any. */
  synchronized Decision decide(String method, String template) {
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
    FaultSettings s = settings;
    if (!s.appliesTo(method)) {
      return Decision.NONE;
    }
    FaultKind kind = null;
    if (hit(s.probabilityResetBefore())) {
      kind = FaultKind.RESET_BEFORE;
    } else if (hit(s.probability429())) {
      kind = FaultKind.TOO_MANY_REQUESTS;
    } else if (hit(s.probability503())) {
      kind = FaultKind.UNAVAILABLE;
    } else if (hit(s.probability500())) {
      kind = FaultKind.INTERNAL_ERROR;
    } else if (hit(s.probabilityResetAfter())) {
      kind = FaultKind.RESET_AFTER;
    }
    return kind == null ? Decision.NONE : new Decision(kind, s.retryAfterSeconds());
  }

  private boolean hit(double probability) {
    return probability > 0 && (probability >= 1.0 || random.nextDouble() < probability);
  }
}
