package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.secs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.bench.Bench.Change;
import dev.byoc.sourceip.bench.Bench.Measured;
import dev.byoc.sourceip.bench.Bench.Requests;
import dev.byoc.sourceip.bench.Bench.Writes;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * A change to all N converged mappings at once, bounded by max(N·L/C, its Kubernetes floor): what
 * the update and delete scenarios share, so that each only says what it changes.
 */
abstract class MassChange implements Scenario {
  /** Its row's title. */
  abstract String title();

  /** What it prints before it starts. */
  abstract String progress();

  /** Its Kubernetes floor, measured by the floor scenario. */
  abstract double floor(Bench b);

  /** The Twilio writes it causes, one per mapping. */
  abstract Writes writes();

  abstract Change change(Bench b);

  abstract BooleanSupplier done(Bench b);

  @Override
  public final void run(Bench b) throws Exception {
    System.out.println(progress());
    ObjectNode node = b.run.putObject(name());
    node.set("mockServerBefore", b.probe());
    Measured m = b.measure(node, change(b), false, b.massTimeout(), done(b), writes());
    double floor = floor(b);
    double bound = Math.max(b.twilioBound(), floor);
    node.put("seconds", m.seconds());
    node.put("completed", m.completed());
    node.put("kubernetesFloorSeconds", floor);
    node.put("boundSeconds", bound);
    node.put("ratioToBound", m.seconds() / bound);
    node.put("cpuSeconds", m.cpuSeconds());
    Requests r = b.requests(node);
    b.row(
        title(),
        secs(m.seconds(), m.completed()),
        "%.1f s".formatted(bound),
        "%.2fx".formatted(m.seconds() / bound),
        Report.twilioShort(r.twilio()),
        r.twilio().path("throttled429").asText(),
        Report.k8sShort(r.kubernetes(), b.n),
        "%.1f s".formatted(m.cpuSeconds()),
        "bound: max(N·L/C, its Kubernetes floor %.1f s); mock server held %d objects before"
            .formatted(floor, node.path("mockServerBefore").path("objects").asLong()));
    System.out.printf(Locale.ROOT, "  %s: %.1f s (bound %.1f s)%n", title(), m.seconds(), bound);
  }
}
