package dev.byoc.sourceip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.ProcessLogs;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.testing.Kubeconfigs;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped jar as its own process: CLI, env and KUBECONFIG wiring that in-process ITs skip. */
@EnableKubernetesMockClient(crud = true)
class OperatorProcessIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  static final String NS = "telephony";
  static final Duration RESYNC = Duration.ofSeconds(2);
  static final Duration WAIT = Duration.ofSeconds(60);
  static final ObjectMapper JSON = new ObjectMapper();
  static final OkHttpClient HTTP = new OkHttpClient();

  static KubernetesClient client; // fabric8's CRUD mock API server, in this JVM
  @TempDir static Path dir; // kubeconfigs
  static final Path logs = ProcessLogs.dir("OperatorProcessIT"); // the processes' output
  static Process emulator;
  static Process operator;
  static String baseUrl;

  @RegisterExtension
  static final TestWatcher PRINT_LOGS_ON_FAILURE =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          try (Stream<Path> files = Files.list(logs)) {
            files
                .filter(f -> f.toString().endsWith(".log"))
                .sorted()
                .forEach(f -> System.out.println("==== " + f.getFileName() + "\n" + read(f)));
          } catch (IOException e) {
            System.out.println("logs unreadable: " + e);
          }
        }
      };

  @BeforeAll
  static void startEmulator() throws IOException {
    emulator =
        jar(
            Map.of(),
            "emulator.log",
            "emulator-stderr.log",
            "emulator",
            "--port",
            "0",
            "--account",
            ACCOUNT + ":" + TOKEN);
    Path banner = logs.resolve("emulator.log");
    await()
        .atMost(WAIT)
        .failFast("the emulator exited", () -> !emulator.isAlive())
        .until(() -> read(banner).contains("Admin API: "));
    baseUrl =
        read(banner)
            .lines()
            .filter(l -> l.startsWith("TWILIO_BASE_URL="))
            .findFirst()
            .orElseThrow()
            .substring("TWILIO_BASE_URL=".length());
  }

  @AfterAll
  static void stopProcesses() throws InterruptedException {
    stop(operator);
    stop(emulator);
  }

  @Test
  void bringsResourcesToReadyRepairsDriftAndDeletesAtTwilio() throws Exception {
    installCrd();
    String ipA = emulatorPost("/v1/IpRecords", "IpAddress", "10.0.0.1").get("sid").asText();
    String ipB = emulatorPost("/v1/IpRecords", "IpAddress", "10.0.0.2").get("sid").asText();
    String domain = createSipDomain("process-it-main");
    String other = createSipDomain("process-it-other");
    operator =
        jar(
            operatorEnv(kubeconfig(client.getMasterUrl().toString())),
            "operator.log",
            "operator.log",
            "operator",
            "--namespaces",
            NS,
            "--resync-interval",
            RESYNC.toSeconds() + "s");

    apply("a", ipA, domain);
    apply("b", ipB, domain);

    // Ready in the mock API server can only have been written by the operator process.
    String sidA = awaitReadyWithTwilioSid("a", ipA);
    String sidB = awaitReadyWithTwilioSid("b", ipB);

    emulatorCall("DELETE", "/v1/SourceIpMappings/" + sidA);
    emulatorPost("/v1/SourceIpMappings/" + sidB, "SipDomainSid", other);
    long driftAt = System.nanoTime();
    await()
        .atMost(RESYNC.multipliedBy(5))
        .untilAsserted(
            () -> {
              Map<String, JsonNode> byIp = mappingsByIpRecord();
              assertThat(byIp).containsOnlyKeys(ipA, ipB);
              SourceIpMapping a = mappings().withName("a").get();
              assertThat(byIp.get(ipA).get("sid").asText())
                  .isNotEqualTo(sidA)
                  .isEqualTo(a.getStatus().getSid());
              assertThat(a.getStatus().getConditions()).anyMatch(OperatorProcessIT::readyTrue);
              assertThat(byIp.get(ipB).get("sid").asText()).isEqualTo(sidB);
              assertThat(byIp.get(ipB).get("sip_domain_sid").asText()).isEqualTo(domain);
            });
    System.out.printf("drift repaired after %d ms%n", (System.nanoTime() - driftAt) / 1_000_000);

    mappings().withName("b").delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(mappings().withName("b").get()).isNull();
              assertThat(mappingsByIpRecord()).containsOnlyKeys(ipA);
            });

    assertThat(count("GET", "/v1/SourceIpMappings/{Sid}")).isZero();
    assertThat(count("POST", "/v1/SourceIpMappings")).isEqualTo(3); // two, then one re-create
    assertThat(operator.isAlive()).isTrue();
    stop(operator); // its resyncs would count in the other tests' request totals
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "SOURCEIP_RESYNC_INTERVAL, soon",
    "TWILIO_BASE_URL, ftp://twilio.example.test",
    "TWILIO_READ_TIMEOUT, 0s"
  })
  void aBadSettingIsOneLineOnStderrAndExitCode2(String name, String value) throws Exception {
    Map<String, String> env = new HashMap<>(operatorEnv(kubeconfig("http://127.0.0.1:1")));
    env.put(name, value);
    Process bad = jar(env, "bad-setting-stdout.log", "bad-setting-stderr.log", "operator");
    try {
      assertThat(bad.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(bad.exitValue()).isEqualTo(2);
      assertThat(read(logs.resolve("bad-setting-stderr.log")).lines())
          .singleElement()
          .asString()
          .startsWith("error: ")
          .contains(name)
          .doesNotContain(TOKEN);
    } finally {
      bad.destroyForcibly();
    }
  }

  @Test
  void withoutAnAuthTokenTheOperatorStaysUpSendsNothingAndSaysSoOnEveryResource() throws Exception {
    installCrd();
    String ns = "no-credentials";
    Map<String, String> env =
        new HashMap<>(operatorEnv(kubeconfig(client.getMasterUrl().toString())));
    env.remove("TWILIO_AUTH_TOKEN"); // as when the Secret lacks the key
    env.put("SOURCEIP_CREDENTIALS_SECRET", "sourceip-system/twilio-credentials");
    long requests = total();
    Process process = jar(env, "no-token.log", "no-token.log", "operator", "--namespaces", ns);
    try {
      String expected =
          "no usable Twilio credentials: TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with"
              + " TWILIO_API_SECRET, is not set; check that Secret"
              + " sourceip-system/twilio-credentials exists and holds these keys, then restart the"
              + " operator";
      for (String name : List.of("first", "second")) {
        SourceIpMapping r = new SourceIpMapping();
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        r.setSpec(new SourceIpMappingSpec("IL" + "1".repeat(32), "SD" + "1".repeat(32)));
        client.resources(SourceIpMapping.class).inNamespace(ns).resource(r).create();
      }

      for (String name : List.of("first", "second")) {
        await()
            .atMost(WAIT)
            .failFast("the operator exited", () -> !process.isAlive())
            .untilAsserted(
                () -> {
                  SourceIpMapping r =
                      client.resources(SourceIpMapping.class).inNamespace(ns).withName(name).get();
                  assertThat(r.getStatus()).isNotNull();
                  assertThat(r.getStatus().getConditions())
                      .anySatisfy(
                          c -> {
                            assertThat(c.getType()).isEqualTo("Ready");
                            assertThat(c.getStatus()).isEqualTo("False");
                            assertThat(c.getReason()).isEqualTo("CredentialsInvalid");
                            assertThat(c.getMessage()).isEqualTo(expected);
                          });
                });
      }
      assertThat(process.isAlive()).isTrue();
      assertThat(total()).as("requests to Twilio").isEqualTo(requests);
      assertThat(read(logs.resolve("no-token.log")).lines())
          .as("said once at start, not per reconcile")
          .filteredOn(l -> l.contains("TWILIO_AUTH_TOKEN, or TWILIO_API_KEY"))
          .hasSize(1);
    } finally {
      stop(process);
    }
  }

  @Test
  void plainHttpToATwilioOffLoopbackIsRefusedAtStartWithExitCode2() throws Exception {
    Map<String, String> env = new HashMap<>(operatorEnv(kubeconfig("http://127.0.0.1:1")));
    env.put("TWILIO_BASE_URL", "http://192.0.2.10:8080"); // TEST-NET-1: refused, never contacted
    Process insecure = jar(env, "insecure-stdout.log", "insecure-stderr.log", "operator");
    try {
      assertThat(insecure.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(insecure.exitValue()).isEqualTo(2);
      assertThat(read(logs.resolve("insecure-stderr.log")).lines())
          .singleElement()
          .asString()
          .startsWith("error: TWILIO_BASE_URL uses plain http on non-loopback host 192.0.2.10")
          .contains("TWILIO_ALLOW_INSECURE_HTTP=true")
          .doesNotContain(TOKEN);
    } finally {
      insecure.destroyForcibly();
    }
  }

  @Test
  void anUnreachableKubernetesApiFailsTheStartWithOneErrorLine() throws Exception {
    Process lost =
        jar(
            operatorEnv(kubeconfig("http://127.0.0.1:1")),
            "no-api-stdout.log",
            "no-api-stderr.log",
            "operator",
            "--namespaces",
            NS);
    long start = System.nanoTime();
    try {
      assertThat(lost.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s").isTrue();
      System.out.printf(
          "unreachable API: exit after %d ms%n", (System.nanoTime() - start) / 1_000_000);
      assertThat(lost.exitValue()).isEqualTo(1);
      List<String> stderr = read(logs.resolve("no-api-stderr.log")).lines().toList();
      assertThat(stderr).filteredOn(l -> l.contains("could not start")).hasSize(1);
      assertThat(stderr.get(stderr.size() - 1)).startsWith("error: ").contains("could not start");
    } finally {
      lost.destroyForcibly();
    }
  }

  // --- processes

  /** Starts `java -jar <jar> args` with only {@code env} for Twilio and Kubernetes settings. */
  static Process jar(Map<String, String> env, String stdout, String stderr, String... args)
      throws IOException {
    return OperatorJar.start(logs, env, stdout, stderr, args);
  }

  static Map<String, String> operatorEnv(Path kubeconfig) {
    return Map.of(
        "KUBECONFIG", kubeconfig.toString(),
        "TWILIO_BASE_URL", baseUrl,
        "TWILIO_ACCOUNT_SID", ACCOUNT,
        "TWILIO_AUTH_TOKEN", TOKEN);
  }

  static void stop(Process process) throws InterruptedException {
    OperatorJar.stop(process);
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  // --- Kubernetes

  /** A kubeconfig with one context: {@code server}, namespace {@link #NS}, a known token. */
  static Path kubeconfig(String server) throws IOException {
    return Kubeconfigs.writeNew(dir, server, KnownSecrets.KUBERNETES_TOKEN, NS);
  }

  static void installCrd() throws IOException {
    OperatorJar.installCrd(client);
  }

  static NonNamespaceOperation<
          SourceIpMapping, KubernetesResourceList<SourceIpMapping>, Resource<SourceIpMapping>>
      mappings() {
    return client.resources(SourceIpMapping.class).inNamespace(NS);
  }

  static void apply(String name, String ipRecordSid, String sipDomainSid) {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    r.setSpec(new SourceIpMappingSpec(ipRecordSid, sipDomainSid));
    mappings().resource(r).create();
  }

  /** Awaits Ready=True with status.sid the SID the emulator holds for the IP record; that SID. */
  static String awaitReadyWithTwilioSid(String name, String ipRecordSid) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              SourceIpMapping r = mappings().withName(name).get();
              assertThat(r.getStatus()).as("status of %s", name).isNotNull();
              assertThat(r.getStatus().getConditions()).anyMatch(OperatorProcessIT::readyTrue);
              JsonNode atTwilio = mappingsByIpRecord().get(ipRecordSid);
              assertThat(atTwilio).as("emulator's mapping for %s", ipRecordSid).isNotNull();
              assertThat(r.getStatus().getSid())
                  .startsWith("IB")
                  .isEqualTo(atTwilio.get("sid").asText());
            });
    return mappings().withName(name).get().getStatus().getSid();
  }

  static boolean readyTrue(Condition c) {
    return "Ready".equals(c.getType()) && "True".equals(c.getStatus());
  }

  // --- the emulator, over its HTTP API only

  static String createSipDomain(String name) throws IOException {
    String path = "/2010-04-01/Accounts/" + ACCOUNT + "/SIP/Domains.json";
    return emulatorPost(path, "DomainName", name + ".sip.twilio.com").get("sid").asText();
  }

  /** Every mapping the emulator holds, by IP record SID. */
  static Map<String, JsonNode> mappingsByIpRecord() throws IOException {
    Map<String, JsonNode> byIp = new HashMap<>();
    emulatorCall("GET", "/v1/SourceIpMappings?PageSize=1000")
        .get("source_ip_mappings")
        .forEach(m -> byIp.put(m.get("ip_record_sid").asText(), m));
    return byIp;
  }

  /** Every request to a Twilio path the emulator counted. */
  static long total() throws IOException {
    return emulatorCall("GET", "/_emulator/counters").get("total").asLong();
  }

  /** Requests to one path template the emulator counted, whatever the status. */
  static long count(String method, String pathTemplate) throws IOException {
    long n = 0;
    for (JsonNode r : emulatorCall("GET", "/_emulator/counters").get("requests")) {
      if (method.equals(r.get("method").asText()) && pathTemplate.equals(r.get("path").asText())) {
        n += r.get("count").asLong();
      }
    }
    return n;
  }

  static JsonNode emulatorPost(String path, String... form) throws IOException {
    FormBody.Builder body = new FormBody.Builder();
    for (int i = 0; i < form.length; i += 2) {
      body.add(form[i], form[i + 1]);
    }
    return send(request(path).post(body.build()));
  }

  static JsonNode emulatorCall(String method, String path) throws IOException {
    return send(request(path).method(method, null));
  }

  static Request.Builder request(String path) {
    return new Request.Builder()
        .url(baseUrl + path)
        .header("Authorization", Credentials.basic(ACCOUNT, TOKEN));
  }

  static JsonNode send(Request.Builder request) throws IOException {
    try (Response response = HTTP.newCall(request.build()).execute()) {
      String body = response.body().string();
      assertThat(response.isSuccessful()).as("%s: %s", response, body).isTrue();
      return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
    }
  }
}
