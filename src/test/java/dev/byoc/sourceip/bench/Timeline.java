package dev.byoc.sourceip.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where the time of a mass change goes: until the first Twilio write, the writes, and from the last
 * write until done. Samples the emulator's counter every 20 ms in the background.
 */
final class Timeline implements AutoCloseable {
  private final TwilioEmulator emulator;
  private final long t0;
  private final String method;
  private final String path;
  private final ScheduledExecutorService timer;
  private long first;
  private long last;
  private long count;

  Timeline(TwilioEmulator emulator, long t0, String method, String path) {
    this.emulator = emulator;
    this.t0 = t0;
    this.method = method;
    this.path = path;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-timeline");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::sample, 0, 20, TimeUnit.MILLISECONDS);
  }

  private synchronized void sample() {
    long now = System.nanoTime();
    long c = emulator.counters().count(method, path);
    if (c > 0 && first == 0) {
      first = now;
    }
    if (c != count) {
      count = c;
      last = now;
    }
  }

  synchronized ObjectNode phases() {
    long end = System.nanoTime();
    ObjectNode p = Report.JSON.createObjectNode();
    p.put("twilioWrites", count);
    p.put("untilFirstWriteSeconds", (first - t0) / 1e9);
    p.put("firstToLastWriteSeconds", (last - first) / 1e9);
    p.put("writesPerSecond", last == first ? 0 : (count - 1) / ((last - first) / 1e9));
    p.put("lastWriteToDoneSeconds", (end - last) / 1e9);
    return p;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
