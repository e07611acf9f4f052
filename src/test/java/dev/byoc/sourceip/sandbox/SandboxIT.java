package dev.byoc.sourceip.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.emulator.StoredIpRecord;
import dev.byoc.sourceip.emulator.StoredSipDomain;
import dev.byoc.sourceip.emulator.StoredSourceIpMapping;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.health.ManagementPaths;
import dev.byoc.sourceip.testing.Scrape;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's parts: kubectl discovery and kubectl itself on the embedded API, the examples
 * (IpRecords and mappings by reference) converging, and live directory edits.
 */
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
          .contains("\"iprecords\"", "\"iprecords/status\"", "\"iprec\"", "\"IpRecord\"")
          .contains("\"namespaced\":true");
      Path config = kubernetes.writeKubeconfig(temp.resolve("kubeconfig"));
      assertThat(Files.readString(config)).contains(kubernetes.url());
    }
  }

  @Test
  void theExamplesDeclareIpRecordsAndMappingsByReferenceAndAllBecomeReady() {
    try (Sandbox sandbox = examplesReady()) {
      List<IpRecord> ipRecords = sandbox.ipRecords();
      List<SourceIpMapping> mappings = sandbox.mappings();
      assertThat(ipRecords).isNotEmpty();
      List<SourceIpMapping> byReference =
          mappings.stream()
              .filter(m -> m.getSpec().getIpRecordRef() != null)
              .filter(m -> m.getSpec().getSipDomainName() != null)
              .toList();
      assertThat(byReference).isNotEmpty();

      TwilioEmulator emulator = sandbox.emulator();
      for (IpRecord r : ipRecords) {
        // the operator created it in the resource's account, and the seeder put nothing else at
        // its address
        String account = r.getStatus().getAccountSid();
        assertThat(emulator.ipRecords(account))
            .filteredOn(t -> t.ipAddress().equals(r.getSpec().getIpAddress()))
            .singleElement()
            .satisfies(t -> assertThat(t.sid()).isEqualTo(r.getStatus().getSid()))
            .satisfies(
                t ->
                    assertThat(t.cidrPrefixLength())
                        .isEqualTo(r.getSpec().effectiveCidrPrefixLength()));
      }
      for (SourceIpMapping m : byReference) {
        String account = m.getStatus().getAccountSid();
        IpRecord named =
            ipRecords.stream()
                .filter(
                    r -> r.getMetadata().getName().equals(m.getSpec().getIpRecordRef().getName()))
                .filter(r -> r.getMetadata().getNamespace().equals(m.getMetadata().getNamespace()))
                .findFirst()
                .orElseThrow();
        String domainSid = domainSid(emulator, account, m.getSpec().getSipDomainName());
        assertThat(emulator.sourceIpMappings(account))
            .filteredOn(t -> t.sid().equals(m.getStatus().getSid()))
            .singleElement()
            .satisfies(t -> assertThat(t.ipRecordSid()).isEqualTo(named.getStatus().getSid()))
            .satisfies(t -> assertThat(t.sipDomainSid()).isEqualTo(domainSid));
      }
      Map<String, Long> byAccount =
          mappings.stream()
              .collect(
                  Collectors.groupingBy(m -> m.getStatus().getAccountSid(), Collectors.counting()));
      byAccount.forEach(
          (account, count) ->
              assertThat(emulator.mappingCount(account)).as(account).isEqualTo(count.intValue()));
    }
  }

  @Test
  void theTwoTeamsExampleConvergesEachTeamAtItsOwnAccount() {
    try (Sandbox sandbox = examplesReady()) {
      TwilioEmulator emulator = sandbox.emulator();
      Map<String, String> accountOfTeam =
          Map.of(
              "team-voice", "AC00000000000000000000000000000a01",
              "team-support", "AC00000000000000000000000000000b02");
      accountOfTeam.forEach(
          (team, account) -> {
            List<SourceIpMapping> mine =
                sandbox.mappings().stream()
                    .filter(m -> m.getMetadata().getNamespace().equals(team))
                    .toList();
            assertThat(mine).isNotEmpty();
            assertThat(mine)
                .allSatisfy(m -> assertThat(m.getStatus().getAccountSid()).isEqualTo(account));
            // the emulator's counters per account: each team's account holds its mappings and
            // was asked by the operator, authenticated as itself
            assertThat(emulator.sourceIpMappings(account))
                .extracting(StoredSourceIpMapping::sid)
                .containsExactlyInAnyOrderElementsOf(
                    mine.stream().map(m -> m.getStatus().getSid()).toList());
            assertThat(emulator.counters().byUser(account)).isPositive();
          });
      // nothing of the teams' in the sandbox's own account
      assertThat(emulator.sourceIpMappings(sandbox.twilio().accountSid()))
          .noneMatch(
              t ->
                  sandbox.mappings().stream()
                      .filter(m -> accountOfTeam.containsKey(m.getMetadata().getNamespace()))
                      .anyMatch(m -> m.getStatus().getSid().equals(t.sid())));
    }
  }

  @Test
  void aNewIpRecordAndAMappingToItAppliedWithKubectlBothBecomeReady() throws Exception {
    assumeTrue(
        Files.isExecutable(KUBECTL),
        "kubectl is not installed at " + KUBECTL + ": the sandbox's kubectl path is not checked");
    try (Sandbox sandbox = examplesReady()) {
      String account = sandbox.twilio().accountSid();
      TwilioEmulator emulator = sandbox.emulator();
      Set<String> ipRecordsBefore = sids(emulator.ipRecords(account), StoredIpRecord::sid);
      Set<String> mappingsBefore =
          sids(emulator.sourceIpMappings(account), StoredSourceIpMapping::sid);
      Path config = sandbox.kubernetes().writeKubeconfig(temp.resolve("kubeconfig"));
      Path manifest = temp.resolve("office.yaml");
      Files.writeString(
          manifest,
          """
          apiVersion: voice.byoc.dev/v1alpha1
          kind: IpRecord
          metadata: {name: office, namespace: telephony}
          spec: {ipAddress: 192.0.2.44, friendlyName: office}
          ---
          apiVersion: voice.byoc.dev/v1alpha1
          kind: SourceIpMapping
          metadata: {name: office, namespace: telephony}
          spec:
            ipRecordRef: {name: office}
            sipDomainName: acme.sip.twilio.com
          """);

      assertThat(kubectl(config, "apply", "-f", manifest.toString()))
          .contains("iprecord.voice.byoc.dev/office created")
          .contains("sourceipmapping.voice.byoc.dev/office created");
      assertThat(
              kubectl(
                  config,
                  "wait",
                  "--for=condition=Ready",
                  "--timeout=60s",
                  "-n",
                  "telephony",
                  "iprecord/office",
                  "sourceipmapping/office"))
          .contains("iprecord.voice.byoc.dev/office condition met")
          .contains("sourceipmapping.voice.byoc.dev/office condition met");
      assertThat(kubectl(config, "get", "iprecords,sourceipmappings", "-n", "telephony"))
          .contains("iprecord.voice.byoc.dev/office")
          .contains("sourceipmapping.voice.byoc.dev/office");
      String ipRecordSid =
          kubectl(
              config, "get", "iprec", "office", "-n", "telephony", "-o", "jsonpath={.status.sid}");
      String mappingSid =
          kubectl(
              config,
              "get",
              "sourceipmapping",
              "office",
              "-n",
              "telephony",
              "-o",
              "jsonpath={.status.sid}");

      assertThat(emulator.ipRecords(account))
          .filteredOn(r -> !ipRecordsBefore.contains(r.sid()))
          .singleElement()
          .satisfies(r -> assertThat(r.sid()).isEqualTo(ipRecordSid))
          .satisfies(r -> assertThat(r.ipAddress()).isEqualTo("192.0.2.44"))
          .satisfies(r -> assertThat(r.cidrPrefixLength()).isEqualTo(32));
      assertThat(emulator.sourceIpMappings(account))
          .filteredOn(m -> !mappingsBefore.contains(m.sid()))
          .singleElement()
          .satisfies(m -> assertThat(m.sid()).isEqualTo(mappingSid))
          .satisfies(m -> assertThat(m.ipRecordSid()).isEqualTo(ipRecordSid))
          .satisfies(
              m ->
                  assertThat(m.sipDomainSid())
                      .isEqualTo(domainSid(emulator, account, "acme.sip.twilio.com")));
    }
  }

  @Test
  void aRemovedFileDeletesItsIpRecordAndTheMappingToIt() throws IOException {
    Path dir = twoMappings("references");
    Files.writeString(
        dir.resolve("office.yaml"),
        """
        apiVersion: voice.byoc.dev/v1alpha1
        kind: SourceIpMapping
        metadata: {name: office, namespace: edits}
        spec: {ipRecordRef: {name: office}, sipDomainName: edits.sip.twilio.com}
        ---
        apiVersion: voice.byoc.dev/v1alpha1
        kind: IpRecord
        metadata: {name: office, namespace: edits}
        spec: {ipAddress: 192.0.2.45}
        """);
    try (Sandbox sandbox =
        Sandbox.start(new Sandbox.Options(dir, null, 0, 0, 0, Duration.ofSeconds(30)))) {
      sandbox.sync(dir);
      awaitReady(sandbox, 4);
      String account = sandbox.twilio().accountSid();
      assertThat(sandbox.emulator().ipRecords(account))
          .extracting(StoredIpRecord::ipAddress)
          .contains("192.0.2.45");

      Files.delete(dir.resolve("office.yaml"));
      sandbox.sync(dir);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> sandbox.ipRecords().isEmpty() && sandbox.mappings().size() == 2);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  sandbox.emulator().ipRecords(account).stream()
                      .noneMatch(r -> r.ipAddress().equals("192.0.2.45")));
      assertThat(sandbox.emulator().mappingCount(account)).isEqualTo(2);
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
              List<HasMetadata> all = sandbox.resources();
              return all.size() == n && all.stream().allMatch(StatusTable::isReady);
            });
  }

  private static final Path EXAMPLES = Path.of("deploy/examples");
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");

  /** A sandbox with the project's examples applied and every one of them Ready. */
  private static Sandbox examplesReady() {
    Sandbox sandbox =
        Sandbox.start(new Sandbox.Options(EXAMPLES, null, 0, 0, 0, Duration.ofSeconds(30)));
    try {
      sandbox.sync(EXAMPLES);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> StatusTable.state(sandbox.resources()), s -> s != StatusTable.State.PENDING);
      assertThat(StatusTable.state(sandbox.resources()))
          .as(StatusTable.render(sandbox.resources()))
          .isEqualTo(StatusTable.State.READY);
      return sandbox;
    } catch (RuntimeException | Error e) {
      sandbox.close();
      throw e;
    }
  }

  private static String domainSid(TwilioEmulator emulator, String account, String name) {
    return emulator.sipDomains(account).stream()
        .filter(d -> d.domainName().equals(name))
        .map(StoredSipDomain::sid)
        .findFirst()
        .orElseThrow(() -> new AssertionError("the emulator holds no SIP domain " + name));
  }

  private static <T> Set<String> sids(List<T> items, Function<T, String> sid) {
    return items.stream().map(sid).collect(Collectors.toSet());
  }

  /** Runs kubectl against the sandbox; its standard output, after asserting it exited 0. */
  private String kubectl(Path config, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(KUBECTL.toString());
    command.add("--kubeconfig=" + config);
    command.add("--cache-dir=" + temp.resolve("kube-cache"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(temp, "kubectl", ".out");
    Path err = Files.createTempFile(temp, "kubectl", ".err");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end in 90s");
    }
    String printed = Files.readString(out);
    assertThat(p.exitValue())
        .as(String.join(" ", command) + "\n" + printed + Files.readString(err))
        .isZero();
    return printed;
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
