package dev.byoc.sourceip.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.emulator.NeighbourSettings;

/**
 * Cold converge at the operator's defaults while the account's own traffic holds 6 of C = 10 slots:
 * the harm the operator does to production traffic, and the time it takes meanwhile.
 */
final class NeighbourScenario implements Scenario {
  static final int C = 10;
  static final int SLOTS = 6;

  /**
   * Its own requests: 5/s, each holding a slot for L (200 ms): one more slot on average. At 20/s
   * they would fill the 4 slots left (20 × 0.2 s = 4) and leave the operator none.
   */
  static final double REQUESTS_PER_SECOND = 5;

  @Override
  public String name() {
    return "neighbour";
  }

  @Override
  public void run(Bench b) throws Exception {
    System.out.println("neighbour (operator at its defaults, 6 of C = 10 held) ...");
    ObjectNode node =
        DefaultsConverge.run(
            b, "neighbour", C, NeighbourSettings.constant(SLOTS, REQUESTS_PER_SECOND));
    b.run.set("neighbour", node);
    DefaultsConverge.row(
        b,
        "Neighbour: cold converge at defaults, %d of C = %d held, %s req/s"
            .formatted(SLOTS, C, Benchmark.fmt(REQUESTS_PER_SECOND)),
        node);
  }
}
