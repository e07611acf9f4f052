package dev.byoc.sourceip.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The neighbour target counts only the 429s the operator causes, and says why when missed. */
class TargetsTest {

  @Test
  void erlangLossMatchesTheTextbookValues() {
    assertThat(Targets.erlangB(1, 1)).isCloseTo(0.5, within(1e-9));
    assertThat(Targets.erlangB(2, 1)).isCloseTo(0.2, within(1e-9));
    assertThat(Targets.erlangB(4, 1))
        .isCloseTo((1.0 / 24) / (1 + 1 + 0.5 + 1.0 / 6 + 1.0 / 24), within(1e-9));
    assertThat(Targets.erlangB(0, 1)).isEqualTo(1);
  }

  @Test
  void theNeighboursRefusalsAloneAreNotCountedAgainstTheOperator() {
    JsonNode met = neighbourTarget(neighbourRun(10, 400, 4, 200));
    assertThat(met.path("met").asBoolean()).isTrue();
    assertThat(met.path("measured").asText()).startsWith("0.50%");

    JsonNode missed = neighbourTarget(neighbourRun(100, 400, 4, 200));
    assertThat(missed.path("met").asBoolean()).isFalse();
    assertThat(missed.path("note").asText()).contains("Erlang").contains("0: 1.5%, 1: 6.3%");
  }

  private static ObjectNode neighbourRun(
      long refused, long attempted, long aloneRefused, long aloneAttempted) {
    ObjectNode results = Report.JSON.createObjectNode();
    results.putObject("settings").put("latencyMs", 200).put("concurrencyLimit", 10);
    ObjectNode run = results.putArray("runs").addObject().put("n", 1000);
    ObjectNode node = run.putObject("neighbour");
    node.put("emulatorConcurrencyLimit", 10).put("neighbourSlots", 6);
    node.put("neighbourRequestsInFlight", 1.0).put("availableConcurrency", 3.0);
    node.put("seconds", 70).put("boundSeconds", 66.7).put("ratioToBound", 1.05);
    node.put("completed", true);
    node.putObject("twilio").put("throttled429", 0).put("total", 1000).put("maxInFlight", 4);
    node.putObject("concurrencyLimitGauge").put("min", 2).put("mean", 3).put("max", 4);
    node.putObject("neighbour").put("attempted", attempted).put("refused", refused);
    node.putObject("neighbourAlone")
        .put("attempted", aloneAttempted)
        .put("refused", aloneRefused)
        .put("refusedShare", (double) aloneRefused / aloneAttempted);
    return results;
  }

  private static JsonNode neighbourTarget(ObjectNode results) {
    for (JsonNode t : Targets.evaluate(results)) {
      if (t.path("target").asText().contains("neighbour's 429s caused")) {
        return t;
      }
    }
    throw new AssertionError("no neighbour target in " + Targets.evaluate(results));
  }
}
