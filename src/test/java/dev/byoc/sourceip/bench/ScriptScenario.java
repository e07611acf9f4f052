package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;
import static dev.byoc.sourceip.bench.Benchmark.TOKEN;
import static dev.byoc.sourceip.bench.Benchmark.secs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Twilio's helper library, one create after another, then idempotent re-runs: what the operator is
 * compared with, run after it has stopped.
 */
final class ScriptScenario implements Scenario {
  @Override
  public String name() {
    return "script";
  }

  @Override
  public void run(Bench b) throws Exception {
    ObjectNode script = b.run.putObject("script");
    if (b.n > b.o.scriptMaxN()) {
      script.put("skipped", "N above --script-max-n " + b.o.scriptMaxN());
      return;
    }
    System.out.println("script (Twilio helper library, sequential) ...");
    // start from no mappings at all, as the operator's cold converge did
    b.emulator
        .sourceIpMappings(ACCOUNT)
        .forEach(m -> b.emulator.deleteSourceIpMapping(ACCOUNT, m.sid()));
    SdkScript sdk = new SdkScript(b.emulator.baseUrl(), ACCOUNT, TOKEN);

    ObjectNode first =
        timed(
            b,
            script,
            "createAll",
            () -> {
              sdk.createAll(b.ips, b.domainA);
              return null; // all of them: no count in the results
            });
    double seconds = first.path("seconds").asDouble();
    first.put("operatorColdSeconds", b.coldSeconds);
    first.put("operatorToScriptRatio", b.coldSeconds / seconds);
    row(
        b,
        "Script: helper library, creates one by one",
        first,
        "%.1f s".formatted(b.n * b.o.latencyMs() / 1000.0),
        "operator cold converge / script = %.2f (%.1fx faster)"
            .formatted(b.coldSeconds / seconds, seconds / b.coldSeconds));
    System.out.printf(Locale.ROOT, "  script: %.1f s%n", seconds);

    ObjectNode rerun =
        timed(b, script, "rerunNothingMissing", () -> sdk.createMissing(b.ips, b.domainA));
    row(
        b,
        "Script: idempotent re-run, nothing missing",
        rerun,
        "",
        "list, then create what is missing (compare: steady state)");

    Map<String, String> sidByIp = new HashMap<>();
    b.emulator.sourceIpMappings(ACCOUNT).forEach(m -> sidByIp.put(m.ipRecordSid(), m.sid()));
    for (int i = 0; i < b.n; i += 10) {
      b.emulator.deleteSourceIpMapping(ACCOUNT, sidByIp.get(b.ips.get(i)));
    }
    ObjectNode repair =
        timed(b, script, "rerunTenPercentMissing", () -> sdk.createMissing(b.ips, b.domainA));
    double opDrift = b.run.path("drift").path("seconds").asDouble(Double.NaN);
    row(
        b,
        "Script: idempotent re-run, 10% missing",
        repair,
        "",
        "compare: drift repair (%.1f s, which includes waiting for the next resync)"
            .formatted(opDrift));
  }

  /** One run of the script. */
  private interface Step {
    /** Returns how many mappings it created, or null when it does not say. */
    Integer call() throws Exception;
  }

  /** Times one run of the script with the counters reset: seconds, created, twilio. */
  private static ObjectNode timed(Bench b, ObjectNode script, String key, Step step)
      throws Exception {
    b.emulator.counters().reset();
    long t0 = System.nanoTime();
    Integer created = step.call();
    double seconds = secs(t0);
    ObjectNode node = script.putObject(key);
    node.put("seconds", seconds);
    if (created != null) {
      node.put("created", created);
    }
    node.set("twilio", b.twilio());
    return node;
  }

  private static void row(Bench b, String title, ObjectNode node, String bound, String notes) {
    Report.row(
        b.rows,
        title,
        "%.1f s".formatted(node.path("seconds").asDouble()),
        bound,
        "",
        Report.twilioShort(node.path("twilio")),
        node.path("twilio").path("throttled429").asText(),
        "",
        "",
        notes);
  }
}
