package dev.byoc.sourceip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.ProcessLogs;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.health.ManagementPaths;
import dev.byoc.sourceip.reconciler.Conditions;
import dev.byoc.sourceip.testing.EmulatorExtension;
import dev.byoc.sourceip.testing.MockApiServer;
import dev.byoc.sourceip.testing.ShippedJar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped jar's management endpoint and logs as the kubelet and a log pipeline see them:
 * readiness only once the informers have synced, liveness that Twilio being down does not touch,
 * JSON log lines that carry the resource of a reconcile.
 */
class ManagementEndpointProcessIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String NS = "telephony";
  static final Path LOGS = ProcessLogs.dir("ManagementEndpointProcessIT");
  static final OkHttpClient HTTP = new OkHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  /** Holds the operator's first list of SourceIpMappings until released: informers not synced. */
  static final class HeldListDispatcher extends KubernetesCrudDispatcher {
    final CountDownLatch release = new CountDownLatch(1);

    HeldListDispatcher() {
      super(List.of());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if (request.getMethod().equals("GET")
          && path.contains("/sourceipmappings")
          && !path.contains("watch=true")
          && KnownSecrets.KUBERNETES_TOKEN.equals(bearer(request))) {
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return super.dispatch(request);
    }

    private static String bearer(RecordedRequest request) {
      String header = request.getHeader("Authorization");
      return header == null ? null : header.replaceFirst("^Bearer ", "");
    }
  }

  @TempDir Path temp; // the kubeconfig (it holds the bearer token) stays out of the logs folder

  @RegisterExtension final EmulatorExtension twilio = EmulatorExtension.withKnownAccount();

  private TwilioEmulator emulator;
  private HeldListDispatcher dispatcher;
  private MockApiServer api;
  private KubernetesClient client;
  private Process operator;

  @BeforeEach
  void start() {
    emulator = twilio.emulator();
    dispatcher = new HeldListDispatcher();
    api = MockApiServer.start(dispatcher, "admin");
    client = api.client("admin");
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  @AfterEach
  void stop() throws InterruptedException {
    dispatcher.release.countDown();
    OperatorJar.stop(operator);
    client.close();
    api.close();
  }

  @Test
  void readyOnlyAfterInformersSyncAliveWhileTwilioIsDownAndJsonLogsNameTheResource()
      throws Exception {
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    Path log = LOGS.resolve("operator.log");
    Map<String, String> env =
        OperatorJar.env(
            api.writeKubeconfig(temp.resolve("kubeconfig"), KnownSecrets.KUBERNETES_TOKEN),
            emulator.baseUrl(),
            NS);
    env.put("SOURCEIP_RESYNC_INTERVAL", "1s");
    ProcessBuilder builder =
        ShippedJar.process(
            List.of(),
            List.of(
                "operator",
                "--log-format",
                "json",
                "--log-level",
                "DEBUG",
                "--management-port",
                "" + port),
            env);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    operator = builder.start();

    // while the informer's list is held: alive (a startup probe passes), not ready
    await()
        .atMost(Duration.ofSeconds(60))
        .failFast("the operator exited", () -> !operator.isAlive())
        .until(() -> status(base + ManagementPaths.HEALTHZ) == 200);
    assertThat(status(base + ManagementPaths.READYZ)).isEqualTo(503);
    assertThat(body(base + ManagementPaths.READYZ)).contains("starting");

    dispatcher.release.countDown();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> status(base + ManagementPaths.READYZ) == 200);

    String domain = emulator.createSipDomain(ACCOUNT, "probe.sip.twilio.com");
    String ip = emulator.createIpRecord(ACCOUNT, "10.9.9.9", 32, null);
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(new ObjectMetaBuilder().withName("pbx-probe").withNamespace(NS).build());
    r.setSpec(new SourceIpMappingSpec(ip, domain));
    client.resources(SourceIpMapping.class).inNamespace(NS).resource(r).create();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              SourceIpMapping now =
                  client
                      .resources(SourceIpMapping.class)
                      .inNamespace(NS)
                      .withName("pbx-probe")
                      .get();
              return now.getStatus() != null
                  && Conditions.isTrue(now.getStatus().getConditions(), Conditions.READY);
            });

    // Twilio gone: resyncs fail every second, liveness stays 200 throughout
    emulator.close();
    List<Integer> answers = new ArrayList<>();
    long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    while (System.nanoTime() < until) {
      answers.add(status(base + ManagementPaths.HEALTHZ));
      Thread.sleep(200); // sampling the probe over several failed resyncs, not synchronisation
    }
    assertThat(answers).hasSizeGreaterThan(5).containsOnly(200);
    assertThat(Files.readString(log)).contains("Resync of Twilio account");

    operator.destroy();
    assertThat(operator.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(operator.exitValue()).isZero();

    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      lines.add(JSON.readTree(line)); // every line is one JSON object
    }
    assertThat(lines).allSatisfy(l -> assertThat(l.isObject()).isTrue());
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("mdc").path("resource.namespace").asText()).isEqualTo(NS);
              assertThat(l.path("mdc").path("resource.name").asText()).isEqualTo("pbx-probe");
              assertThat(l.path("formattedMessage").asText()).isNotEmpty();
            });
  }

  private static int status(String url) {
    try (Response response = HTTP.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.code();
    } catch (IOException e) {
      return -1;
    }
  }

  private static String body(String url) throws IOException {
    try (Response response = HTTP.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.body().string();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
