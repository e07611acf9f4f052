package dev.byoc.sourceip.emulator;

import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Probabilistic faults and latency applied to Twilio-path requests; the defaults ({@link #none()})
 * inject nothing. Serialized to and from JSON with these field names by the admin API.
 *
 * @param latencyMs fixed latency added to every request, in milliseconds
 * @param latencyJitterMs extra latency drawn uniformly from 0..jitter
 * @param concurrencyLimit in-flight requests allowed per account (0 = unlimited); more get 429
 * @param probability429 chance of a 429 (code 20429) instead of processing
 * @param probability500 chance of a 500 (code 20500) instead of processing
 * @param probability503 chance of a 503 (code 20503) instead of processing
 * @param probabilityResetBefore chance of dropping the connection without processing
 * @param probabilityResetAfter chance of processing, then dropping the connection unanswered
 * @param retryAfterSeconds when set, 429 and 503 answers carry this Retry-After
 * @param methods HTTP methods the probabilistic faults apply to (empty = all)
 * @param seed seed of the random source, for reproducible runs (null = unseeded)
 */
public record FaultSettings(
    long latencyMs,
    long latencyJitterMs,
    int concurrencyLimit,
    double probability429,
    double probability500,
    double probability503,
    double probabilityResetBefore,
    double probabilityResetAfter,
    Integer retryAfterSeconds,
    Set<String> methods,
    Long seed) {

  public FaultSettings {
    nonNegative("latencyMs", latencyMs);
    nonNegative("latencyJitterMs", latencyJitterMs);
    nonNegative("concurrencyLimit", concurrencyLimit);
    probability("probability429", probability429);
    probability("probability500", probability500);
    probability("probability503", probability503);
    probability("probabilityResetBefore", probabilityResetBefore);
    probability("probabilityResetAfter", probabilityResetAfter);
    if (retryAfterSeconds != null) {
      nonNegative("retryAfterSeconds", retryAfterSeconds);
    }
    TreeSet<String> upper = new TreeSet<>();
    if (methods != null) {
      for (String m : methods) {
        if (m == null || m.isBlank()) {
          throw new IllegalArgumentException("methods must not contain blank entries");
        }
        upper.add(m.trim().toUpperCase(Locale.ROOT));
      }
    }
    methods = Collections.unmodifiableSortedSet(upper);
  }

  /** No latency, no limit, no faults. */
  public static FaultSettings none() {
    return new FaultSettings(0, 0, 0, 0, 0, 0, 0, 0, null, Set.of(), null);
  }

  /** Whether the probabilistic faults apply to this HTTP method. */
  public boolean appliesTo(String method) {
    return methods.isEmpty() || methods.contains(method.toUpperCase(Locale.ROOT));
  }

  public FaultSettings withLatencyMs(long value) {
    return new FaultSettings(
        value,
        latencyJitterMs,
        concurrencyLimit,
        probability429,
        probability500,
        probability503,
        probabilityResetBefore,
        probabilityResetAfter,
        retryAfterSeconds,
        methods,
        seed);
  }

  public FaultSettings withLatencyJitterMs(long value) {
    return new FaultSettings(
        latencyMs,
        value,
        concurrencyLimit,
        probability429,
        probability500,
        probability503,
        probabilityResetBefore,
        probabilityResetAfter,
        retryAfterSeconds,
        methods,
        seed);
  }

  public FaultSettings withConcurrencyLimit(int value) {
    return new FaultSettings(
        latencyMs,
        latencyJitterMs,
        value,
        probability429,
        probability500,
        probability503,
        probabilityResetBefore,
        probabilityResetAfter,
        retryAfterSeconds,
        methods,
        seed);
  }

  public FaultSettings withProbability429(double value) {
    return new FaultSettings(
        latencyMs,
        latencyJitterMs,
        concurrencyLimit,
        value,
        probability500,
        probability503,
        probabilityResetBefore,
        probabilityResetAfter,
        retryAfterSeconds,
        methods,
        seed);
  }

  public FaultSettings withProbability500(double value) {
    return new FaultSettings(
        latencyMs,
        latencyJitterMs,
        concurrencyLimit,
        probability429,
        value,
        probability503,
        probabilityResetBefore,
        probabilityResetAfter,
        retryAfterSeconds,
        methods,
        seed);
  }

  public FaultSettings withProbability503(double value) {
    return new FaultSettings(
        latencyMs,
        latencyJitterMs,
        concurrencyLimit,
        probability429,
        probability500,
        value,
        probabilityResetBefore,
        probabilityResetAfter,
        retryAfterSeconds,
        methods,
        seed);
  }

  public FaultSettings withProbabilityResetBefore(double value) {
    return new FaultSettings(
        latencyMs,
        latencyJitterMs,
        concurrencyLimit,
        probability429,
        probability500,
        probability503,
        value,
        probabilityResetAfter,
        retryAfterSeconds,
        methods,
        seed);
  }

  public FaultSettings withProbabilityResetAfter(double value) {
    return new FaultSettings(
        latencyMs,
        latencyJitterMs,
        concurrencyLimit,
        probability429,
        probability500,
        probability503,
        probabilityResetBefore,
        value,
        retryAfterSeconds,
        methods,
        seed);
  }

  public FaultSettings withRetryAfterSeconds(Integer value) {
    return new FaultSettings(
        latencyMs,
        latencyJitterMs,
        concurrencyLimit,
        probability429,
        probability500,
        probability503,
        probabilityResetBefore,
        probabilityResetAfter,
        value,
        methods,
        seed);
  }

  public FaultSettings withMethods(Set<String> value) {
    return new FaultSettings(
        latencyMs,
        latencyJitterMs,
        concurrencyLimit,
        probability429,
        probability500,
        probability503,
        probabilityResetBefore,
        probabilityResetAfter,
        retryAfterSeconds,
        value,
        seed);
  }

  public FaultSettings withSeed(Long value) {
    return new FaultSettings(
        latencyMs,
        latencyJitterMs,
        concurrencyLimit,
        probability429,
        probability500,
        probability503,
        probabilityResetBefore,
        probabilityResetAfter,
        retryAfterSeconds,
        methods,
        value);
  }

  private static void nonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
  }

  private static void probability(String name, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(name + " must be within 0..1, got " + value);
    }
  }
}
