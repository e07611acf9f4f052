package dev.byoc.sourceip.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The targets, each with its measured value and whether it was met. */
final class Targets {
  private Targets() {}

  static ArrayNode evaluate(ObjectNode results) {
    ArrayNode targets = Report.JSON.createArrayNode();
    JsonNode runs = results.path("runs");
    JsonNode settings = results.path("settings");
    long latency = settings.path("latencyMs").asLong();
    int concurrency = settings.path("concurrencyLimit").asInt();

    JsonNode r1000 = byN(runs, 1000);
    if (r1000 == null || r1000.path("cold").isMissingNode()) {
      add(
          targets,
          "Cold converge within 1.5x the lower bound",
          1000,
          "<= 1.5x",
          "not run",
          null,
          "");
    } else {
      JsonNode cold = r1000.path("cold");
      double ratio = cold.path("ratioToLowerBound").asDouble();
      JsonNode b = r1000.path("bounds");
      add(
          targets,
          "Cold converge within 1.5x the lower bound",
          1000,
          "<= 1.5x max(N·L/C, Kubernetes floor)",
          "%.2fx (%.1f s; Twilio bound %.1f s, Kubernetes floor %.1f s)"
              .formatted(
                  ratio,
                  cold.path("seconds").asDouble(),
                  b.path("twilioSeconds").asDouble(),
                  b.path("kubernetesFloorSeconds").asDouble()),
          cold.path("completed").asBoolean() && ratio <= 1.5,
          latency == 200 && concurrency == 10 ? "" : "measured with L/C other than 200 ms/10");
    }

    for (JsonNode run : runs) {
      int n = run.path("n").asInt();
      JsonNode cold = run.path("cold");
      if (cold.isMissingNode()) {
        continue;
      }
      JsonNode t = cold.path("twilio");
      add(
          targets,
          "Twilio: exactly N creates (cold converge)",
          n,
          "= " + n,
          t.path("creates").asText(),
          t.path("creates").asLong() == n,
          "");
      long gets = sum(run, "perResourceGets");
      add(
          targets,
          "Twilio: zero per-resource GETs (all operator scenarios)",
          n,
          "0",
          String.valueOf(gets),
          gets == 0,
          "");
      long throttled = sum(run, "throttled429");
      long total = sum(run, "total");
      double share = total == 0 ? 0 : (double) throttled / total;
      add(
          targets,
          "Twilio: 429s at most 1% of requests (all operator scenarios)",
          n,
          "<= 1%",
          "%d of %d (%.2f%%)".formatted(throttled, total, 100 * share),
          share <= 0.01,
          "");
      JsonNode k = cold.path("kubernetes");
      double perResource = k.path("resourceWritesPerResource").asDouble();
      add(
          targets,
          "Kubernetes: at most 2 writes per created resource",
          n,
          "<= 2",
          "%.2f (finalizer %d + status %d)"
              .formatted(
                  perResource,
                  k.path("writes").path("mapping").asLong(),
                  k.path("writes").path("status").asLong()),
          perResource <= 2.0,
          "plus %.2f Event creates per resource, which docs/design.md requires for every Twilio write"
              .formatted(k.path("eventWritesPerResource").asDouble()));
      JsonNode refs = run.path("refs");
      if (!refs.isMissingNode()) {
        JsonNode rt = refs.path("twilio");
        double refsRatio = refs.path("ratioToBound").asDouble();
        long creates = rt.path("creates").asLong();
        long refsGets = rt.path("perResourceGets").asLong();
        add(
            targets,
            "refs: N IpRecords + N mappings by name, one apply in random order",
            n,
            "<= 1.5 × 2N·L/C, 2N creates, 0 per-resource GETs",
            "%.2fx (%.1f s; bound %.1f s), %d creates (%d IpRecords + %d mappings), %d GETs, %d list pages"
                .formatted(
                    refsRatio,
                    refs.path("seconds").asDouble(),
                    refs.path("boundSeconds").asDouble(),
                    creates,
                    rt.path("ipRecordCreates").asLong(),
                    rt.path("mappingCreates").asLong(),
                    refsGets,
                    rt.path("lists").asLong()),
            refs.path("completed").asBoolean()
                && refsRatio <= 1.5
                && creates == 2L * n
                && refsGets == 0
                && refs.path("mappingsNotOnTheirIpRecordAndDomain").asLong() == 0,
            (n == 1000 ? "" : "the issue's target is at N = 1,000")
                + (latency == 200 && concurrency == 10
                    ? ""
                    : (n == 1000 ? "" : "; ") + "measured with L/C other than 200 ms/10"));
      }
      JsonNode steady = run.path("steady");
      if (!steady.isMissingNode()) {
        long writes = steady.path("kubernetes").path("writes").path("total").asLong();
        add(
            targets,
            "Kubernetes: zero writes in steady state",
            n,
            "0",
            String.valueOf(writes),
            writes == 0,
            "");
        double lists = steady.path("listRequestsPerInterval").asDouble();
        double perInterval = steady.path("twilioRequestsPerInterval").asDouble();
        long expected = steady.path("expectedListRequestsPerInterval").asLong();
        add(
            targets,
            "Steady state: ceil(N/1000) list requests per interval per account",
            n,
            "= " + expected,
            "%s lists, %s requests in all, per interval"
                .formatted(Benchmark.fmt(lists), Benchmark.fmt(perInterval)),
            lists == expected && perInterval == expected,
            "");
      }
    }

    JsonNode r5000 = byN(runs, 5000);
    JsonNode restart = r5000 == null ? null : r5000.path("restart");
    if (restart == null || restart.isMissingNode()) {
      add(
          targets,
          "Restart with 5,000 converged: steady within 10 s",
          5000,
          "<= 10 s",
          "not run",
          null,
          "");
      add(
          targets,
          "Restart: at most 6 Twilio requests, zero creates",
          5000,
          "<= 6, 0 creates",
          "not run",
          null,
          "");
      add(targets, "Restart: zero Kubernetes writes", 5000, "0", "not run", null, "");
    } else {
      double seconds = restart.path("seconds").asDouble();
      add(
          targets,
          "Restart with 5,000 converged: steady within 10 s",
          5000,
          "<= 10 s",
          "%.1f s (JVM up and informer synced after %.1f s)"
              .formatted(seconds, restart.path("startedSeconds").asDouble()),
          restart.path("completed").asBoolean() && seconds <= 10,
          "");
      JsonNode t = restart.path("twilio");
      add(
          targets,
          "Restart: at most 6 Twilio requests, zero creates",
          5000,
          "<= 6, 0 creates",
          "%d requests, %d creates".formatted(t.path("total").asLong(), t.path("creates").asLong()),
          t.path("total").asLong() <= 6 && t.path("creates").asLong() == 0,
          "");
      long writes = restart.path("kubernetes").path("writes").path("total").asLong();
      add(
          targets,
          "Restart: zero Kubernetes writes",
          5000,
          "0",
          String.valueOf(writes),
          writes == 0,
          "");
    }
    if (r5000 == null || !r5000.has("operatorPeakRssMiB")) {
      add(
          targets,
          "RSS at most 256 MiB (container JVM flags)",
          5000,
          "<= 256 MiB",
          "not run",
          null,
          "");
    } else {
      long peak = r5000.path("operatorPeakRssMiB").asLong();
      add(
          targets,
          "RSS at most 256 MiB (container JVM flags)",
          5000,
          "<= 256 MiB",
          "peak %d MiB".formatted(peak),
          peak > 0 && peak <= 256,
          "");
    }
    return targets;
  }

  /** A Twilio counter summed over every operator scenario of one run. */
  private static long sum(JsonNode run, String field) {
    long total = 0;
    for (String s :
        List.of("cold", "steady", "drift", "restart", "update", "delete", "refs", "refsCleanup")) {
      total += run.path(s).path("twilio").path(field).asLong();
    }
    return total;
  }

  private static JsonNode byN(JsonNode runs, int n) {
    for (JsonNode run : runs) {
      if (run.path("n").asInt() == n) {
        return run;
      }
    }
    return null;
  }

  private static void add(
      ArrayNode targets,
      String target,
      int n,
      String goal,
      String measured,
      Boolean met,
      String note) {
    ObjectNode t = targets.addObject();
    t.put("target", target);
    t.put("n", n);
    t.put("goal", goal);
    t.put("measured", measured);
    if (met == null) {
      t.putNull("met");
    } else {
      t.put("met", met);
    }
    t.put("note", note);
  }
}
