package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;
import static dev.byoc.sourceip.bench.Benchmark.NS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.bench.Bench.Measured;
import dev.byoc.sourceip.bench.Bench.Requests;
import dev.byoc.sourceip.bench.Bench.Writes;
import java.util.Locale;

/** N mappings applied at once to a fresh operator: the figure the lower bound is about. */
final class ColdScenario implements Scenario {
  @Override
  public String name() {
    return "cold";
  }

  @Override
  public void run(Bench b) throws Exception {
    System.out.println("cold converge ...");
    ObjectNode cold = b.run.putObject("cold");
    cold.set("mockServerBefore", b.probe());
    Measured m =
        b.measure(
            cold,
            () -> b.apply(b.bench, NS),
            true,
            b.massTimeout(),
            () -> b.allReady(s -> true) && b.emulator.mappingCount(ACCOUNT) == b.n,
            new Writes("", "POST", "/v1/SourceIpMappings"));
    b.coldSeconds = m.completed() ? m.seconds() : Double.NaN;
    cold.put("seconds", m.seconds());
    cold.put("completed", m.completed());
    cold.put("lowerBoundSeconds", b.lowerBound);
    cold.put("ratioToLowerBound", m.seconds() / b.lowerBound);
    cold.put("cpuSeconds", m.cpuSeconds());
    Requests r = b.requests(cold);
    cold.set("memory", b.memory("afterCold", true));
    Report.row(
        b.rows,
        "Cold converge",
        m,
        b.lowerBound,
        Report.twilioShort(r.twilio()),
        r.twilio(),
        Report.k8sShort(r.kubernetes(), b.n),
        "RSS %d MiB, heap after GC %d MiB"
            .formatted(
                cold.path("memory").path("rssMiB").asLong(),
                cold.path("memory").path("heapAfterGcMiB").asLong()));
    System.out.printf(
        Locale.ROOT, "  cold: %.1f s (lower bound %.1f s)%n", m.seconds(), b.lowerBound);
  }
}
