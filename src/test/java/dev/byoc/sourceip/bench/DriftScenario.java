package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.bench.Bench.Measured;
import dev.byoc.sourceip.bench.Bench.Requests;
import dev.byoc.sourceip.bench.ResourceView.State;
import dev.byoc.sourceip.emulator.StoredSourceIpMapping;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every tenth mapping deleted at Twilio behind the operator's back: how soon it is recreated. */
final class DriftScenario implements Scenario {
  @Override
  public String name() {
    return "drift";
  }

  @Override
  public void run(Bench b) throws Exception {
    System.out.println("drift repair ...");
    Map<String, String> sidByIp = new HashMap<>();
    for (StoredSourceIpMapping m : b.emulator.sourceIpMappings(ACCOUNT)) {
      sidByIp.put(m.ipRecordSid(), m.sid());
    }
    List<Integer> drifted = new ArrayList<>();
    for (int i = 0; i < b.n; i += 10) {
      drifted.add(i);
    }
    ObjectNode drift = b.run.putObject("drift");
    drift.put("deleted", drifted.size());
    Measured m =
        b.measure(
            drift,
            () -> {
              for (int i : drifted) {
                b.emulator.deleteSourceIpMapping(ACCOUNT, sidByIp.get(b.ips.get(i)));
              }
            },
            false,
            b.o.resync().multipliedBy(3).plusSeconds((long) (3 * b.twilioBound()) + 30),
            () -> repaired(b, drifted));
    drift.put("seconds", m.seconds());
    drift.put("completed", m.completed());
    double bound =
        b.o.resync().toMillis() / 1000.0
            + drifted.size() * b.o.latencyMs() / 1000.0 / b.o.concurrency();
    drift.put("boundSeconds", bound);
    drift.put("cpuSeconds", m.cpuSeconds());
    Requests r = b.requests(drift);
    Report.row(
        b.rows,
        "Drift repair (10% deleted at Twilio)",
        m,
        bound,
        Report.twilioShort(r.twilio()),
        r.twilio(),
        Report.k8sShort(r.kubernetes(), drifted.size()),
        "bound: one resync interval to see it + 0.1N·L/C to recreate");
    System.out.printf(Locale.ROOT, "  drift: %.1f s%n", m.seconds());
  }

  /** All N at Twilio again, each drifted one Ready on its new mapping's SID. */
  private static boolean repaired(Bench b, List<Integer> drifted) {
    if (b.emulator.mappingCount(ACCOUNT) != b.n) {
      return false;
    }
    Map<String, String> now = new HashMap<>();
    b.emulator.sourceIpMappings(ACCOUNT).forEach(m -> now.put(m.ipRecordSid(), m.sid()));
    for (int i : drifted) {
      State s = b.view.get(b.names.get(i));
      if (s == null || !s.readyNow() || !now.get(b.ips.get(i)).equals(s.sid())) {
        return false;
      }
    }
    return true;
  }
}
