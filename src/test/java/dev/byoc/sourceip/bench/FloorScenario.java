package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.BENCH;
import static dev.byoc.sourceip.bench.Benchmark.FLOOR;
import static dev.byoc.sourceip.bench.Benchmark.FLOOR_NS;
import static dev.byoc.sourceip.bench.Benchmark.RECONCILE_CONCURRENCY;
import static dev.byoc.sourceip.bench.Benchmark.await;
import static dev.byoc.sourceip.bench.Benchmark.fmt;
import static dev.byoc.sourceip.bench.Benchmark.secs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.bench.ResourceView.State;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Locale;

/**
 * The Kubernetes floor: the same N resources applied to a fresh mock server, converged by a
 * controller that only adds its finalizer and writes status; then the same mass update and mass
 * delete. No Twilio, no Events: what no operator on this mock server can beat.
 */
final class FloorScenario implements Scenario {
  @Override
  public String name() {
    return "floor";
  }

  @Override
  public void run(Bench b) throws Exception {
    System.out.println("Kubernetes floor ...");
    ObjectNode floor = b.run.putObject("floor");
    try (KubeApi floorApi = KubeApi.start();
        KubernetesClient floorClient = floorApi.client(FLOOR);
        KubernetesClient client = floorApi.client(BENCH)) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(FLOOR_NS).endMetadata().build())
          .create();
      Operator controller =
          FloorController.start(floorClient, FLOOR_NS, RECONCILE_CONCURRENCY, b.o.floorEvents());
      try (ResourceView floorView = new ResourceView(client, FLOOR_NS)) {
        Duration max = Duration.ofSeconds(120 + b.n / 10);
        floorApi.resetCounts();
        long t0 = System.nanoTime();
        b.apply(client, FLOOR_NS);
        boolean done = await(max, () -> floorView.count(State::readyNow) == b.n);
        b.floorCold = phase(b, floor, "cold", floorApi, t0, done);

        floorApi.resetCounts();
        t0 = System.nanoTime();
        b.patchAll(client, FLOOR_NS, b.domainB);
        done =
            await(
                max,
                () ->
                    floorView.count(s -> s.readyNow() && b.domainB.equals(s.sipDomainSid()))
                        == b.n);
        b.floorUpdate = phase(b, floor, "update", floorApi, t0, done);

        floorApi.resetCounts();
        t0 = System.nanoTime();
        b.deleteAll(client, FLOOR_NS);
        done = await(max, () -> floorView.size() == 0);
        b.floorDelete = phase(b, floor, "delete", floorApi, t0, done);
      } finally {
        controller.stop();
      }
    }
    Report.row(
        b.rows,
        "Kubernetes floor: apply, finalizer + status",
        "%.1f s".formatted(b.floorCold),
        "",
        "",
        "0",
        "",
        "%s writes/resource".formatted(fmt(floor.path("cold").path("writes").asDouble() / b.n)),
        "",
        (b.o.floorEvents()
                ? "diagnostic: the floor controller records one Event per write, as the operator"
                : "fresh mock server, controller without Twilio or Events")
            + "; update %.1f s, delete %.1f s".formatted(b.floorUpdate, b.floorDelete));
    System.out.printf(
        Locale.ROOT,
        "  floor: cold %.1f s, update %.1f s, delete %.1f s%n",
        b.floorCold,
        b.floorUpdate,
        b.floorDelete);
  }

  private static double phase(
      Bench b, ObjectNode floor, String key, KubeApi api, long t0, boolean done) {
    double seconds = secs(t0);
    ObjectNode phase = floor.putObject(key);
    phase.put("seconds", seconds);
    phase.put("completed", done);
    phase.put("writes", api.writes(FLOOR, null));
    phase.put("writesPerResource", (double) api.writes(FLOOR, null) / b.n);
    phase.put("benchRequests", api.requests(BENCH));
    phase.set("benchRequestsByKind", api.countsJson(BENCH));
    phase.set("kubernetesRequests", api.countsJson(FLOOR));
    phase.put("storedObjectsAfter", api.storedObjects());
    return done ? seconds : Double.NaN;
  }
}
