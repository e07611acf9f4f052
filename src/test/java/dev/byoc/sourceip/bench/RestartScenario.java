package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.await;
import static dev.byoc.sourceip.bench.Benchmark.secs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.bench.Bench.Requests;
import java.time.Duration;
import java.util.Locale;

/** The operator stopped and started again with N converged: what a restart costs. */
final class RestartScenario implements Scenario {
  @Override
  public String name() {
    return "restart";
  }

  @Override
  public void run(Bench b) throws Exception {
    System.out.println("restart ...");
    b.peakRssKib = Math.max(b.peakRssKib, b.op.statusKib("VmHWM"));
    int exit = b.op.stop();
    b.resetCounts();
    b.op = b.startOperator("operator-2.log");
    OperatorProcess op = b.op;
    long t0 = op.startedNanos();
    boolean started = op.awaitLog("sourceip-operator started", Duration.ofSeconds(120));
    double startedSeconds = secs(t0);
    boolean dispatched = await(Duration.ofSeconds(120), () -> op.dispatchedResources() >= b.n);
    long last = b.awaitQuiet(Duration.ofSeconds(3), Duration.ofSeconds(60));
    double seconds = (last - t0) / 1e9;
    ObjectNode restart = b.run.putObject("restart");
    restart.put("previousExitCode", exit);
    restart.put("startedSeconds", startedSeconds);
    restart.put("seconds", seconds);
    restart.put("completed", started && dispatched);
    restart.put("reconciled", op.dispatchedResources());
    restart.put("dispatches", op.dispatches());
    restart.put("cpuSeconds", op.cpuSeconds());
    Requests r = b.requests(restart);
    restart.set("memory", b.memory("afterRestart", true));
    Report.row(
        b.rows,
        "Restart with N converged",
        secs(seconds, started && dispatched),
        "",
        "",
        Report.twilioShort(r.twilio()),
        r.twilio().path("throttled429").asText(),
        Report.k8sTotals(r.kubernetes()),
        "%.1f s".formatted(op.cpuSeconds()),
        "process start to the last request and the last of N reconciles (JVM start %.1f s)"
            .formatted(startedSeconds));
    System.out.printf(Locale.ROOT, "  restart: steady after %.1f s%n", seconds);
  }
}
