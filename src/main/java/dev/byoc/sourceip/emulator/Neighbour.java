package dev.byoc.sourceip.emulator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Models each account's other traffic, which shares Twilio's per-account concurrency limit with the
 * operator: slots it holds (constant or in bursts) and requests of its own, sent from one
 * emulator-owned scheduler thread, that are refused when the account is full.
 */
public final class Neighbour {
  private final FaultInjector faults;
  private final RequestCounters counters;
  private final Supplier<List<EmulatorAccount>> accounts;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  private volatile NeighbourSettings settings;
  private volatile long epochNanos = System.nanoTime();
  private ScheduledExecutorService scheduler;
  private ScheduledFuture<?> sender;

  Neighbour(
      NeighbourSettings settings,
      FaultInjector faults,
      RequestCounters counters,
      Supplier<List<EmulatorAccount>> accounts) {
    this.settings = settings;
    this.faults = faults;
    this.counters = counters;
    this.accounts = accounts;
  }

  public NeighbourSettings settings() {
    return settings;
  }

  /**
   * Replaces the settings; a bursts cycle starts now with a burst.
   *
   * @throws IllegalArgumentException if the slots exceed the current concurrency limit
   */
  public synchronized void update(NeighbourSettings newSettings) {
    newSettings.checkAgainst(faults.settings().concurrencyLimit());
    epochNanos = System.nanoTime();
    settings = newSettings;
    reschedule();
  }

  /** The neighbour's counts; the same object as {@link RequestCounters#neighbour()}. */
  public NeighbourCounters counters() {
    return counters.neighbour();
  }

  /** The slots the neighbour holds now in each account (k, or 0 between bursts). */
  public int heldSlots() {
    NeighbourSettings current = settings;
    if (current.slots() == 0) {
      return 0;
    }
    if (current.mode() == NeighbourSettings.Mode.CONSTANT) {
      return current.slots();
    }
    long sinceMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - epochNanos);
    return sinceMs % current.periodMs() < current.burstMs() ? current.slots() : 0;
  }

  /** The neighbour's requests of this account that hold a slot now. */
  public int inFlight(String accountSid) {
    AtomicInteger current = inFlight.get(accountSid);
    return current == null ? 0 : current.get();
  }

  /** Slots of this account the neighbour takes now: held slots plus its requests in flight. */
  int occupied(String accountSid) {
    return heldSlots() + inFlight(accountSid);
  }

  synchronized void start() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "twilio-emulator-neighbour");
              t.setDaemon(true);
              return t;
            });
    reschedule();
  }

  synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  private void reschedule() {
    if (scheduler == null || scheduler.isShutdown()) {
      return;
    }
    if (sender != null) {
      sender.cancel(false);
      sender = null;
      awaitRunningTick();
    }
    double rps = settings.requestsPerSecond();
    if (rps > 0) {
      long periodNanos = Math.max(1, Math.round(1_000_000_000d / rps));
      sender =
          scheduler.scheduleAtFixedRate(
              this::sendOneEach, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * The emulator's latency, with jitter drawn from a random source of its own so that a seeded
   * fault sequence stays the same whether the neighbour runs or not.
   */
  private long latencyMillis() {
    FaultSettings s = faults.settings();
    long jitter =
        s.latencyJitterMs() > 0 ? ThreadLocalRandom.current().nextLong(s.latencyJitterMs() + 1) : 0;
    return s.latencyMs() + jitter;
  }

  /**
   * Waits until a tick of the cancelled sender that may be running has finished (the scheduler has
   * one thread), so that once {@link #update} returns the old settings send nothing more.
   */
  private void awaitRunningTick() {
    try {
      scheduler.submit(() -> {}).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      // closing, or a tick that hangs: nothing more to wait for
    }
  }

  /** One neighbour request per account. */
  private void sendOneEach() {
    for (EmulatorAccount account : accounts.get()) {
      send(account.sid());
    }
  }

  /**
   * Takes a slot if the account has one free (API requests, held slots and the neighbour's own
   * requests counted) and keeps it for the emulator's latency; else counts a refusal.
   */
  void send(String accountSid) {
    AtomicInteger mine = inFlight.computeIfAbsent(accountSid, k -> new AtomicInteger());
    int now = mine.incrementAndGet();
    int limit = faults.settings().concurrencyLimit();
    if (limit > 0 && counters.inFlight(accountSid) + heldSlots() + now > limit) {
      mine.decrementAndGet();
      counters.neighbour().record(accountSid, false);
      return;
    }
    counters.neighbour().record(accountSid, true);
    long latency = latencyMillis();
    if (latency <= 0) {
      mine.decrementAndGet();
      return;
    }
    try {
      scheduler.schedule(mine::decrementAndGet, latency, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      mine.decrementAndGet(); // closing
    }
  }
}
