package dev.byoc.sourceip.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.emulator.NeighbourSettings;

/** Cold converge by the operator at its defaults, not told C, against C = 4, 10 and 40. */
final class AdaptiveScenario implements Scenario {
  static final int[] LIMITS = {4, 10, 40};

  @Override
  public String name() {
    return "adaptive";
  }

  @Override
  public void run(Bench b) throws Exception {
    System.out.println("adaptive (operator at its defaults, C = 4, 10, 40) ...");
    ObjectNode adaptive = b.run.putObject("adaptive");
    for (int c : LIMITS) {
      ObjectNode node = DefaultsConverge.run(b, "adaptive-c" + c, c, NeighbourSettings.off());
      adaptive.set("c" + c, node);
      DefaultsConverge.row(b, "Adaptive: cold converge at defaults, C = " + c, node);
    }
  }
}
