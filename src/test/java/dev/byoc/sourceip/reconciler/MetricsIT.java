package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.ProcessLogs;
import dev.byoc.sourceip.emulator.ScriptedFault;
import dev.byoc.sourceip.health.ManagementPaths;
import dev.byoc.sourceip.health.ManagementServer;
import dev.byoc.sourceip.secretscan.SecretScanner;
import dev.byoc.sourceip.testing.Scrape;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management endpoint's /metrics after real work: every series the README's metrics table
 * documents, with exactly its labels; no credential in any label; no growth with resources.
 */
@EnableKubernetesMockClient(crud = true)
class MetricsIT {
  static KubernetesClient client;
  private OperatorHarness h;
  private ManagementServer management;

  @BeforeEach
  void start() {
    h = new OperatorHarness(client).resync(Duration.ofSeconds(2));
    h.startFromEnvironment(
        Map.of(
            "TWILIO_ACCOUNT_SID", OperatorHarness.ACCOUNT,
            "TWILIO_AUTH_TOKEN", OperatorHarness.TOKEN,
            "TWILIO_RETRY_BASE_DELAY", "20ms"));
    management =
        ManagementServer.start(
            InetAddress.getLoopbackAddress(), 0, h.operator(), h.operator().metrics()::scrape);
  }

  @AfterEach
  void stop() {
    management.close();
    h.close();
  }

  @Test
  void everyDocumentedSeriesAppearsWithItsLabelsAfterCreateUpdate429UnknownCreateDriftAndDelete()
      throws IOException {
    String domain = h.newDomain();
    String other = h.newDomain();

    // a create, then an update of its SIP domain
    String ipA = h.newIpRecord();
    h.apply(h.resource("a", ipA, domain));
    h.awaitReady("a");
    h.edit(
        "a",
        r -> {
          r.getSpec().setSipDomainSid(other);
          return r;
        });
    await().atMost(OperatorHarness.WAIT).until(() -> other.equals(sipDomainAtTwilio(ipA)));

    // a 429 on a create: retried by the client
    h.emulator.faults().script(ScriptedFault.of("429").forMethod("POST"));
    String ipB = h.newIpRecord();
    h.apply(h.resource("b", ipB, domain));
    String sidB = h.awaitReady("b").getStatus().getSid();

    // a 500 on a create: outcome unknown, looked up, the reconcile fails and JOSDK retries it
    h.emulator.faults().script(ScriptedFault.of("500").forMethod("POST"));
    String ipC = h.newIpRecord();
    h.apply(h.resource("c", ipC, domain));
    h.awaitReady("c");

    // drift: a's mapping deleted at Twilio, b's pointed elsewhere; both repaired at resync
    String sidA = h.get("a").getStatus().getSid();
    h.emulator.deleteSourceIpMapping(OperatorHarness.ACCOUNT, sidA);
    h.twilio.updateSourceIpMapping(sidB, other);
    await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                !sidA.equals(h.get("a").getStatus().getSid())
                    && domain.equals(sipDomainAtTwilio(ipB)));

    // a delete
    h.mappings().inNamespace(h.ns).withName("c").delete();
    h.awaitGone("c");

    Scrape scrape =
        await()
            .atMost(OperatorHarness.WAIT)
            .until(
                () -> Scrape.get(management.url() + ManagementPaths.METRICS),
                s ->
                    s.sum(
                                "sourceip_drift_repairs_total",
                                Map.of("repair", "recreated", "kind", "SourceIpMapping"))
                            >= 1
                        && s.sum("sourceip_drift_repairs_total", Map.of("repair", "set_back")) >= 1
                        && s.sum(
                                "operator_sdk_controllers_execution_cleanup_success_total",
                                Map.of())
                            >= 1);
    Files.writeString(ProcessLogs.dir("MetricsIT").resolve("scrape.txt"), scrape.text());

    Map<String, Set<String>> documented = documentedSeries();
    assertThat(documented).hasSizeGreaterThan(20);
    documented.forEach(
        (series, labels) -> {
          assertThat(scrape.family(series)).as(series + " is in the scrape").isNotEmpty();
          assertThat(scrape.labelNames(series)).as(series + " labels").isEqualTo(labels);
        });

    String account = OperatorHarness.ACCOUNT;
    Map<String, String> create =
        Map.of("account", account, "method", "POST", "resource", "SourceIpMappings");
    assertThat(scrape.sum("sourceip_twilio_rate_limited_total", create)).isEqualTo(1);
    assertThat(scrape.sum("sourceip_twilio_retries_total", create)).isGreaterThanOrEqualTo(1);
    assertThat(scrape.sum("sourceip_twilio_outcome_unknown_total", Map.of("account", account)))
        .isEqualTo(1);
    assertThat(
            scrape.sum(
                "sourceip_twilio_requests_seconds_count",
                Map.of("method", "POST", "status_class", "4xx")))
        .isEqualTo(1);
    assertThat(
            scrape.sum(
                "sourceip_twilio_requests_seconds_count",
                Map.of("method", "POST", "status_class", "5xx")))
        .isEqualTo(1);
    // a's spec change and b's domain set back
    assertThat(scrape.sum("sourceip_events_total", Map.of("reason", "Updated"))).isEqualTo(2);
    assertThat(scrape.sum("sourceip_resources", Map.of("reason", "Available"))).isEqualTo(2);
    assertThat(scrape.sum("sourceip_managed_mappings", Map.of("account", account))).isEqualTo(2);
    assertThat(scrape.sum("sourceip_twilio_mappings", Map.of("account", account))).isEqualTo(2);
    assertThat(scrape.sum("operator_sdk_reconciliations_started_total", Map.of("retry", "true")))
        .isGreaterThanOrEqualTo(1);

    // no label value, nor anything else in the scrape, holds a credential in any form
    assertThat(SecretScanner.forKnownSecrets().formsIn(scrape.text())).isEmpty();
    assertThat(scrape.text()).doesNotContain(KnownSecrets.AUTH_TOKEN);
  }

  @Test
  void theOperatorsSeriesDoNotGrowFrom10To200Resources() {
    String domain = h.newDomain();
    IntStream.range(0, 10).forEach(i -> h.apply(h.resource("r" + i, h.newIpRecord(), domain)));
    awaitAvailable(10);
    long at10 = Scrape.get(metricsUrl()).seriesCount("sourceip_", "operator_sdk_");

    IntStream.range(10, 200).forEach(i -> h.apply(h.resource("r" + i, h.newIpRecord(), domain)));
    awaitAvailable(200);
    Scrape at200 = Scrape.get(metricsUrl());

    assertThat(at200.seriesCount("sourceip_", "operator_sdk_")).isEqualTo(at10);
    assertThat(at200.sum("sourceip_resources", Map.of("reason", "Available"))).isEqualTo(200);
  }

  private void awaitAvailable(int n) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                Scrape.get(metricsUrl()).sum("sourceip_resources", Map.of("reason", "Available"))
                    == n);
  }

  private String metricsUrl() {
    return management.url() + ManagementPaths.METRICS;
  }

  private String sipDomainAtTwilio(String ipRecordSid) {
    return h.emulator.sourceIpMappings(OperatorHarness.ACCOUNT).stream()
        .filter(m -> m.ipRecordSid().equals(ipRecordSid))
        .map(m -> m.sipDomainSid())
        .findFirst()
        .orElse(null);
  }

  /** The README's metrics table: series name to its label names. */
  static Map<String, Set<String>> documentedSeries() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("README.md"));
    int start = lines.indexOf("### Metrics");
    assertThat(start).as("README has a '### Metrics' section").isGreaterThan(0);
    Map<String, Set<String>> series = new LinkedHashMap<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("#")) {
        break;
      }
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      String name = cells[1].trim().replace("`", "");
      Set<String> labels = new TreeSet<>();
      Arrays.stream(cells[3].split(","))
          .map(c -> c.trim().replace("`", ""))
          .filter(c -> !c.isEmpty() && !c.equals("none"))
          .forEach(labels::add);
      series.put(name, labels);
    }
    return series;
  }
}
