package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.fmt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;

/**
 * Whole resync rounds with nothing changed, the window running from the end of one to another: what
 * the operator costs Twilio and Kubernetes at rest.
 */
final class SteadyScenario implements Scenario {
  @Override
  public String name() {
    return "steady";
  }

  @Override
  public void run(Bench b) throws Exception {
    System.out.println("steady state ...");
    long pages = Math.max(1, (b.n + 999) / 1000);
    Duration max = b.o.resync().multipliedBy(3).plusSeconds(30);
    long roundEnd = b.awaitRound(max); // the end of a round in progress or the next one
    if (roundEnd == 0) {
      throw new IllegalStateException("no resync round seen within " + max);
    }
    b.resetCounts();
    double cpu0 = b.op.cpuSeconds();
    long start = roundEnd;
    long end = start;
    int k = b.o.steadyIntervals();
    for (int i = 0; i < k; i++) {
      end = b.awaitRound(max);
      if (end == 0) {
        throw new IllegalStateException("resync round " + (i + 1) + " not seen within " + max);
      }
    }
    double cpu = b.op.cpuSeconds() - cpu0;
    double windowSeconds = (end - start) / 1e9;
    ObjectNode steady = b.run.putObject("steady");
    steady.put("intervals", k);
    steady.put("windowSeconds", windowSeconds);
    steady.put("measuredIntervalSeconds", windowSeconds / k);
    ObjectNode twilio = b.twilio();
    steady.set("twilio", twilio);
    steady.put("twilioRequestsPerInterval", twilio.path("total").asDouble() / k);
    steady.put("listRequestsPerInterval", twilio.path("lists").asDouble() / k);
    steady.put("expectedListRequestsPerInterval", pages);
    ObjectNode k8s = b.kubernetes();
    steady.set("kubernetes", k8s);
    steady.put("cpuSecondsPerInterval", cpu / k);
    steady.set("memory", b.memory("steady", true));
    double other = (twilio.path("total").asDouble() - twilio.path("lists").asDouble()) / k;
    Report.row(
        b.rows,
        "Steady state, per resync interval",
        "%.1f s".formatted(windowSeconds / k),
        "",
        "",
        "%s lists (expected %d)".formatted(fmt(twilio.path("lists").asDouble() / k), pages)
            + (other == 0 ? "" : ", %s other".formatted(fmt(other))),
        twilio.path("throttled429").asText(),
        Report.k8sTotals(k8s),
        "%.2f s".formatted(cpu / k),
        "%d intervals of --resync-interval %ds; RSS %d MiB"
            .formatted(k, b.o.resync().toSeconds(), steady.path("memory").path("rssMiB").asLong()));
    System.out.printf(
        Locale.ROOT,
        "  steady: %s Twilio requests per interval, %d Kubernetes writes%n",
        fmt(twilio.path("total").asDouble() / k),
        k8s.path("writes").path("total").asLong());
  }
}
