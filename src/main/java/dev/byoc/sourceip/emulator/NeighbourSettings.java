package dev.byoc.sourceip.emulator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The account's other (production) traffic, so that a run can measure the harm the operator does to
 * it: slots of the concurrency limit it holds, and requests of its own it sends. Off by default
 * ({@link #off()}); serialized to and from JSON with these field names by the admin API.
 *
 * @param slots slots of each account's concurrency limit the neighbour holds (all the time, or
 *     during bursts)
 * @param mode {@link Mode#CONSTANT} (held all the time) or {@link Mode#BURSTS}; null = constant
 * @param burstMs in bursts mode, how long each burst holds the slots
 * @param periodMs in bursts mode, the time from the start of one burst to the start of the next
 * @param requestsPerSecond neighbour requests sent per account and second; each needs a slot for
 *     the emulator's latency and is refused (a 429 it got) when the account is full
 */
public record NeighbourSettings(
    int slots, Mode mode, long burstMs, long periodMs, double requestsPerSecond) {

  /** Whether the neighbour's slots are held all the time or only during bursts. */
  public enum Mode {
    CONSTANT,
    BURSTS;

    @JsonValue
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** "constant" or "bursts", in any case. */
    @JsonCreator
    public static Mode parse(String name) {
      for (Mode mode : values()) {
        if (mode.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
          return mode;
        }
      }
      throw new IllegalArgumentException(
          "unknown neighbour mode '" + name + "'; expected constant or bursts");
    }
  }

  public NeighbourSettings {
    if (slots < 0) {
      throw new IllegalArgumentException("slots must be >= 0, got " + slots);
    }
    if (burstMs < 0) {
      throw new IllegalArgumentException("burstMs must be >= 0, got " + burstMs);
    }
    if (periodMs < 0) {
      throw new IllegalArgumentException("periodMs must be >= 0, got " + periodMs);
    }
    if (!(requestsPerSecond >= 0 && requestsPerSecond <= 10_000)) {
      throw new IllegalArgumentException(
          "requestsPerSecond must be within 0..10000, got " + requestsPerSecond);
    }
    mode = mode == null ? Mode.CONSTANT : mode;
    if (mode == Mode.BURSTS && (periodMs == 0 || burstMs == 0 || burstMs > periodMs)) {
      throw new IllegalArgumentException(
          "bursts mode needs 0 < burstMs <= periodMs, got burstMs "
              + burstMs
              + " and periodMs "
              + periodMs);
    }
  }

  /** No slots held, no requests sent. */
  public static NeighbourSettings off() {
    return new NeighbourSettings(0, Mode.CONSTANT, 0, 0, 0);
  }

  /** {@code slots} held all the time, and {@code requestsPerSecond} requests sent. */
  public static NeighbourSettings constant(int slots, double requestsPerSecond) {
    return new NeighbourSettings(slots, Mode.CONSTANT, 0, 0, requestsPerSecond);
  }

  /** {@code slots} held for {@code burstMs} every {@code periodMs}, and requests sent. */
  public static NeighbourSettings bursts(
      int slots, long burstMs, long periodMs, double requestsPerSecond) {
    return new NeighbourSettings(slots, Mode.BURSTS, burstMs, periodMs, requestsPerSecond);
  }

  /** Whether the neighbour holds slots or sends requests at all. */
  public boolean active() {
    return slots > 0 || requestsPerSecond > 0;
  }

  /**
   * Checks the slots against a concurrency limit (0 = unlimited).
   *
   * @throws IllegalArgumentException if the neighbour would hold more slots than there are
   */
  public void checkAgainst(int concurrencyLimit) {
    if (concurrencyLimit > 0 && slots > concurrencyLimit) {
      throw new IllegalArgumentException(
          "neighbour slots " + slots + " exceed the concurrency limit " + concurrencyLimit);
    }
  }
}
