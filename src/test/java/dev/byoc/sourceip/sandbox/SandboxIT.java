package dev.byoc.sourceip.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.health.ManagementPaths;
import dev.byoc.sourceip.reconciler.Conditions;
import dev.byoc.sourceip.testing.Scrape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's parts: kubectl discovery on the embedded API, and live directory edits. */
class SandboxIT {
  @TempDir Path temp;

  @Test
  void servesTheDiscoveryDocumentsKubectlNeeds() throws IOException {
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start(0)) {
      OkHttpClient http = new OkHttpClient();
      String apis = get(http, kubernetes.url() + "/apis?timeout=32s");
      String group = get(http, kubernetes.url() + "/apis/voice.byoc.dev/v1alpha1");

      assertThat(apis).contains("\"kind\":\"APIGroupList\"").contains("voice.byoc.dev/v1alpha1");
      assertThat(group)
          .contains("\"sourceipmappings\"")
          .contains("\"sipm\"")
          .contains("\"namespaced\":true");
      Path config = kubernetes.writeKubeconfig(temp.resolve("kubeconfig"));
      assertThat(Files.readString(config)).contains(kubernetes.url());
    }
  }

  @Test
  void editsToTheDirectoryAreAppliedAndRemovedFilesDeleted() throws IOException {
    Path dir = twoMappings("manifests");
    try (Sandbox sandbox = readyWithTwo(dir)) {

      Files.delete(dir.resolve("b.yaml"));
      Files.writeString(dir.resolve("c.yaml"), mapping("c", "3"));
      sandbox.sync(dir);

      awaitReady(sandbox, 2);
      assertThat(sandbox.resources())
          .extracting(r -> r.getMetadata().getName())
          .containsExactlyInAnyOrder("a", "c");
      String account = sandbox.twilio().accountSid();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sandbox.emulator().mappingCount(account) == 2);
    }
  }

  @Test
  void metricsAtTheManagementUrlCountWhatTheEmulatorCounted() throws IOException {
    Path dir = twoMappings("metrics");
    try (Sandbox sandbox = readyWithTwo(dir)) {
      String url = sandbox.management().url();
      assertThat(url).startsWith("http://127.0.0.1:");

      var counters = sandbox.emulator().counters();
      // settled: a scrape and the emulator agree once no request is in flight
      Scrape scrape =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> Scrape.get(url + ManagementPaths.METRICS),
                  s -> s.sum(REQUESTS, Map.of()) == counters.total());
      assertThat(counters.total()).isGreaterThanOrEqualTo(3); // a list and two creates at least
      assertThat(
              scrape.sum(
                  REQUESTS,
                  Map.of("method", "POST", "resource", "SourceIpMappings", "api", "voice.v1")))
          .isEqualTo(counters.count("POST", "/v1/SourceIpMappings"))
          .isEqualTo(2);
      assertThat(
              scrape.sum(
                  REQUESTS,
                  Map.of("method", "GET", "resource", "SourceIpMappings", "api", "voice.v1")))
          .isEqualTo(counters.count("GET", "/v1/SourceIpMappings"));
      assertThat(scrape.sum(REQUESTS, Map.of("account", sandbox.twilio().accountSid())))
          .isEqualTo(counters.total());
    }
  }

  /** A folder with mappings a and b. */
  private Path twoMappings(String name) throws IOException {
    Path dir = temp.resolve(name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("a.yaml"), mapping("a", "1"));
    Files.writeString(dir.resolve("b.yaml"), mapping("b", "2"));
    return dir;
  }

  /** A sandbox with {@code dir} applied and both its mappings Ready. */
  private static Sandbox readyWithTwo(Path dir) {
    Sandbox sandbox =
        Sandbox.start(new Sandbox.Options(dir, null, 0, 0, 0, Duration.ofSeconds(30)));
    try {
      sandbox.sync(dir);
      awaitReady(sandbox, 2);
      return sandbox;
    } catch (RuntimeException | Error e) {
      sandbox.close();
      throw e;
    }
  }

  private static final String REQUESTS = "sourceip_twilio_requests_seconds_count";

  private static void awaitReady(Sandbox sandbox, int n) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              List<SourceIpMapping> all = sandbox.resources();
              return all.size() == n
                  && all.stream()
                      .allMatch(
                          r ->
                              r.getStatus() != null
                                  && Conditions.isTrue(
                                      r.getStatus().getConditions(), Conditions.READY));
            });
  }

  private static String mapping(String name, String digit) {
    return """
        apiVersion: voice.byoc.dev/v1alpha1
        kind: SourceIpMapping
        metadata:
          name: %s
          namespace: edits
        spec:
          ipRecordSid: IL%s
          sipDomainSid: SD%s
        """
        .formatted(name, digit.repeat(32), "d".repeat(32));
  }

  private static String get(OkHttpClient http, String url) throws IOException {
    try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      return r.body().string();
    }
  }
}
