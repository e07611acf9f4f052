package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;
import static dev.byoc.sourceip.bench.Benchmark.TOKEN;
import static dev.byoc.sourceip.bench.Benchmark.secs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The best alternative to the operator: Twilio's helper library creating the N mappings on C
 * threads (told the true C) and on 2C, retrying 429s, for time and 429s beside the operator's.
 */
final class SdkThreadsScenario implements Scenario {
  @Override
  public String name() {
    return "sdk-threads";
  }

  @Override
  public void run(Bench b) throws Exception {
    int c = b.o.concurrency();
    System.out.printf(
        Locale.ROOT, "sdk-threads (helper library, %d and %d threads) ...%n", c, 2 * c);
    ObjectNode sdk = b.run.putObject("sdkThreads");
    double bound = b.n * b.o.latencyMs() / 1000.0 / c;
    for (int threads : new int[] {c, 2 * c}) {
      b.emulator
          .sourceIpMappings(ACCOUNT)
          .forEach(m -> b.emulator.deleteSourceIpMapping(ACCOUNT, m.sid()));
      b.emulator.counters().reset();
      long t0 = System.nanoTime();
      SdkScript.Threaded result =
          SdkScript.createAllThreaded(
              b.emulator.baseUrl(), ACCOUNT, TOKEN, b.ips, b.domainA, threads);
      double seconds = secs(t0);
      ObjectNode node = sdk.putObject("threads" + threads);
      node.put("threads", threads);
      node.put("emulatorConcurrencyLimit", c);
      node.put("seconds", seconds);
      node.put("boundSeconds", bound);
      node.put("ratioToBound", seconds / bound);
      node.put("created", result.created());
      node.put("retriedAfter429", result.retried429());
      node.put("failed", result.failed());
      node.put("mappingsInTwilio", b.emulator.mappingCount(ACCOUNT));
      node.set("twilio", b.twilio());
      Report.row(
          b.rows,
          "SDK threads: helper library, %d threads (C = %d)".formatted(threads, c),
          "%.1f s".formatted(seconds),
          "%.1f s".formatted(bound),
          "%.2fx".formatted(seconds / bound),
          Report.twilioShort(node.path("twilio")),
          node.path("twilio").path("throttled429").asText(),
          "",
          "",
          "each 429 retried after 100 ms; %d created, %d failed; compare: adaptive C = %d"
              .formatted(result.created(), result.failed(), c));
      System.out.printf(
          Locale.ROOT,
          "  %d threads: %.1f s (bound %.1f s), 429s %d%n",
          threads,
          seconds,
          bound,
          node.path("twilio").path("throttled429").asLong());
    }
  }
}
