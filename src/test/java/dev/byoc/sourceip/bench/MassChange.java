package dev.byoc.sourceip.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.bench.Bench.Change;
import dev.byoc.sourceip.bench.Bench.Measured;
import dev.byoc.sourceip.bench.Bench.Requests;
import dev.byoc.sourceip.bench.Bench.Writes;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A change to all N converged mappings at once, bounded by max(N·L/C, its Kubernetes floor): what
 * the update and delete scenarios share, so that each only says what it changes.
 */
abstract class MassChange implements Scenario {
  private final String name;
  private final String title;
  private final String progress;
  private final Writes writes;
  private final ToDoubleFunction<Bench> floor;
  private final Function<Bench, Change> change;
  private final Function<Bench, BooleanSupplier> done;

  /**
   * Its name in --scenarios, its row's title, what it prints before it starts, the Twilio writes it
   * causes (one per mapping), its Kubernetes floor (measured by the floor scenario), the change and
   * when it is done.
   */
  MassChange(
      String name,
      String title,
      String progress,
      Writes writes,
      ToDoubleFunction<Bench> floor,
      Function<Bench, Change> change,
      Function<Bench, BooleanSupplier> done) {
    this.name = name;
    this.title = title;
    this.progress = progress;
    this.writes = writes;
    this.floor = floor;
    this.change = change;
    this.done = done;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final void run(Bench b) throws Exception {
    System.out.println(progress);
    ObjectNode node = b.run.putObject(name());
    node.set("mockServerBefore", b.probe());
    Measured m = b.measure(node, change.apply(b), false, b.massTimeout(), done.apply(b), writes);
    double floor = this.floor.applyAsDouble(b);
    double bound = Math.max(b.twilioBound(), floor);
    node.put("seconds", m.seconds());
    node.put("completed", m.completed());
    node.put("kubernetesFloorSeconds", floor);
    node.put("boundSeconds", bound);
    node.put("ratioToBound", m.seconds() / bound);
    node.put("cpuSeconds", m.cpuSeconds());
    Requests r = b.requests(node);
    Report.row(
        b.rows,
        title,
        m,
        bound,
        Report.twilioShort(r.twilio()),
        r.twilio(),
        Report.k8sShort(r.kubernetes(), b.n),
        "bound: max(N·L/C, its Kubernetes floor %.1f s); mock server held %d objects before"
            .formatted(floor, node.path("mockServerBefore").path("objects").asLong()));
    System.out.printf(Locale.ROOT, "  %s: %.1f s (bound %.1f s)%n", title, m.seconds(), bound);
  }
}
