package dev.byoc.sourceip.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.emulator.StoredSourceIpMapping;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kubectl against the sandbox's embedded API, answered as a real API server answers it:
 * printer columns, explain, apply validated on the server, the schema's refusal, Events in
 * describe, and wait and delete that watch without a word on stderr; and the README's tour.
 */
class SandboxKubectlIT {
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
  private static final Path EXAMPLES = Path.of("deploy/examples");
  private static final Path TOUR = EXAMPLES.resolve("sandbox-tour.sh");

  private static Path dir;
  private static Sandbox sandbox;
  private static Path config;

  /** What a kubectl run printed, and how it exited. */
  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void examplesReady() throws IOException {
    assumeTrue(
        Files.isExecutable(KUBECTL),
        "kubectl is not installed at "
            + KUBECTL
            + ": the sandbox's kubectl answers are not checked");
    dir = Files.createTempDirectory("sandbox-kubectl");
    sandbox = Sandbox.start(new Sandbox.Options(EXAMPLES, null, 0, 0, 0, Duration.ofSeconds(30)));
    sandbox.sync(EXAMPLES);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> StatusTable.state(sandbox.resources()), s -> s != StatusTable.State.PENDING);
    assertThat(StatusTable.state(sandbox.resources()))
        .as(StatusTable.render(sandbox.resources()))
        .isEqualTo(StatusTable.State.READY);
    config = sandbox.kubernetes().writeKubeconfig(dir.resolve("kubeconfig"));
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void getShowsEachCrdsPrinterColumns() throws Exception {
    Run run = kubectl("get", "sourceipmappings", "-A");

    assertThat(run.err()).isEmpty();
    String header = run.out().lines().findFirst().orElseThrow();
    assertThat(header.split(" +"))
        .containsSubsequence("NAMESPACE", "NAME", "AGE", "READY", "SYNCED", "IP-RECORD", "SID");
    assertThat(run.out()).containsPattern("telephony +pbx-east +\\d+s +True +True +IL\\w{32} +IB");

    Run ipRecords = kubectl("get", "iprec", "-n", "telephony", "pbx-west");
    assertThat(ipRecords.out()).containsPattern("pbx-west +\\d+s +198\\.51\\.100\\.16 +28 +True");
  }

  @Test
  void explainDescribesTheSpecFromTheOpenApiDocument() throws Exception {
    Run run = kubectl("explain", "sourceipmapping.spec");

    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("KIND:       SourceIpMapping")
        .contains("ipRecordSid\t<string>")
        .contains("sipDomainName\t<string>")
        .contains("enum: Delete, Orphan");
  }

  @Test
  void applyValidatesOnTheServerAndWaitAndDeleteWatchQuietly() throws Exception {
    Path manifest = dir.resolve("lobby.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: voice.byoc.dev/v1alpha1
        kind: IpRecord
        metadata: {name: lobby, namespace: telephony}
        spec: {ipAddress: 192.0.2.60}
        ---
        apiVersion: voice.byoc.dev/v1alpha1
        kind: SourceIpMapping
        metadata: {name: lobby, namespace: telephony}
        spec:
          ipRecordRef: {name: lobby}
          sipDomainName: acme.sip.twilio.com
        """);

    Run apply = kubectl("apply", "-f", manifest.toString());
    assertThat(apply.err()).isEmpty();
    assertThat(apply.out())
        .contains("iprecord.voice.byoc.dev/lobby created")
        .contains("sourceipmapping.voice.byoc.dev/lobby created");

    Run wait =
        kubectl(
            "wait",
            "--for=condition=Ready",
            "--timeout=60s",
            "-n",
            "telephony",
            "iprecord/lobby",
            "sourceipmapping/lobby");
    assertThat(wait.err()).isEmpty();
    assertThat(wait.out())
        .contains("iprecord.voice.byoc.dev/lobby condition met")
        .contains("sourceipmapping.voice.byoc.dev/lobby condition met");

    Run delete = kubectl("delete", "-f", manifest.toString(), "--wait", "--timeout=60s");
    assertThat(delete.err()).isEmpty();
    assertThat(delete.out()).contains("sourceipmapping.voice.byoc.dev \"lobby\" deleted");
    assertThat(sandbox.mappings()).noneMatch(m -> m.getMetadata().getName().equals("lobby"));
    assertThat(sandbox.ipRecords()).noneMatch(r -> r.getMetadata().getName().equals("lobby"));
  }

  @Test
  void anInvalidObjectIsRefusedWithTheSchemasMessageAndNotStored() throws Exception {
    Path manifest = dir.resolve("broken.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: voice.byoc.dev/v1alpha1
        kind: SourceIpMapping
        metadata: {name: broken, namespace: telephony}
        spec: {ipRecordSid: ILnothex, sipDomainName: acme.sip.twilio.com}
        """);

    Run apply = kubectlMayFail("apply", "-f", manifest.toString());

    assertThat(apply.exit()).isNotZero();
    assertThat(apply.err())
        .contains(
            "spec.ipRecordSid: Invalid value: \"ILnothex\": spec.ipRecordSid in body should"
                + " match '^IL[0-9a-fA-F]{32}$'");
    assertThat(sandbox.mappings()).noneMatch(m -> m.getMetadata().getName().equals("broken"));

    // the answer itself, as the API server gives it
    OkHttpClient http = new OkHttpClient();
    String body =
        "{\"apiVersion\":\"voice.byoc.dev/v1alpha1\",\"kind\":\"SourceIpMapping\","
            + "\"metadata\":{\"name\":\"x\",\"namespace\":\"telephony\"},"
            + "\"spec\":{\"ipRecordSid\":\"ILnothex\",\"sipDomainName\":\"acme.sip.twilio.com\"}}";
    Request create =
        new Request.Builder()
            .url(
                sandbox.kubernetes().url()
                    + "/apis/voice.byoc.dev/v1alpha1/namespaces/telephony/sourceipmappings")
            .post(RequestBody.create(body, MediaType.get("application/json")))
            .build();
    try (Response r = http.newCall(create).execute()) {
      assertThat(r.code()).isEqualTo(422);
      JsonNode status = Discovery.readTree(r.body().string());
      assertThat(status.path("kind").asText()).isEqualTo("Status");
      assertThat(status.path("reason").asText()).isEqualTo("Invalid");
      assertThat(status.path("message").asText())
          .isEqualTo(
              "SourceIpMapping.voice.byoc.dev \"x\" is invalid: spec.ipRecordSid: Invalid value:"
                  + " \"ILnothex\": spec.ipRecordSid in body should match '^IL[0-9a-fA-F]{32}$'");
      assertThat(status.path("details").path("causes").get(0).path("field").asText())
          .isEqualTo("spec.ipRecordSid");
    }
  }

  @Test
  void theCrdsCelRulesAreEnforcedOnCreateAndOnUpdate() throws Exception {
    Path both = dir.resolve("both.yaml");
    Files.writeString(
        both,
        """
        apiVersion: voice.byoc.dev/v1alpha1
        kind: SourceIpMapping
        metadata: {name: both, namespace: telephony}
        spec:
          ipRecordSid: ILaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
          ipRecordRef: {name: pbx-east}
          sipDomainName: acme.sip.twilio.com
        """);
    Run refused = kubectlMayFail("apply", "-f", both.toString());
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err())
        .contains(
            "The SourceIpMapping \"both\" is invalid: spec: Invalid value: \"object\": set exactly"
                + " one of ipRecordSid or ipRecordRef");

    Path hall = dir.resolve("hall.yaml");
    Files.writeString(
        hall,
        """
        apiVersion: voice.byoc.dev/v1alpha1
        kind: IpRecord
        metadata: {name: hall, namespace: telephony}
        spec: {ipAddress: 192.0.2.70}
        """);
    assertThat(kubectl("apply", "-f", hall.toString()).out()).contains("created");
    Files.writeString(hall, Files.readString(hall).replace("192.0.2.70", "192.0.2.71"));
    Run moved = kubectlMayFail("apply", "-f", hall.toString());
    assertThat(moved.exit()).isNotZero();
    assertThat(moved.err()).contains("ipAddress is immutable: create a new IpRecord");
    assertThat(kubectl("delete", "-f", hall.toString(), "--wait", "--timeout=60s").err()).isEmpty();
  }

  @Test
  void describeListsTheEventsOfTheResource() throws Exception {
    Run run = kubectl("describe", "sourceipmapping", "pbx-east", "-n", "telephony");

    assertThat(run.err()).isEmpty();
    String events = run.out().substring(run.out().indexOf("Events:"));
    assertThat(events)
        .doesNotContain("<none>")
        .containsPattern("Normal +Created +\\S+ +sourceip-operator +Created Twilio mapping IB");
  }

  @Test
  void theTourInTheReadmeRunsWithNothingOnStderr() throws Exception {
    // the README shows the script as it is (indented in a list item)
    assertThat(unindented(Files.readString(Path.of("README.md"))))
        .contains(unindented(Files.readString(TOUR)).strip());

    Run tour = run(List.of("bash", TOUR.toString()), Map.of("KUBECONFIG", config.toString()));

    assertThat(tour.exit()).as(tour.out() + tour.err()).isZero();
    assertThat(tour.err()).isEmpty();
    assertThat(tour.out())
        .contains("sourceipmapping.voice.byoc.dev/office condition met")
        .contains("Events:")
        .contains("in body should match '^IL[0-9a-fA-F]{32}$'")
        .contains("sourceipmapping.voice.byoc.dev \"office\" deleted");
  }

  /**
   * The proof: one kubectl apply of two TwilioAccounts, their Secrets and resources in two
   * namespaces, against a sandbox that had nothing applied, converges with each team at its own
   * account, as the emulator's records per account show.
   */
  @Test
  void oneApplyOfTwoTeamsAccountsConvergesEachAtItsOwnAccount() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    try (Sandbox fresh =
        Sandbox.start(new Sandbox.Options(empty, null, 0, 0, 0, Duration.ofSeconds(30)))) {
      Path kubeconfig = fresh.kubernetes().writeKubeconfig(dir.resolve("fresh-kubeconfig"));

      Run apply =
          kubectlAt(kubeconfig, "apply", "-f", EXAMPLES.resolve("two-teams.yaml").toString());

      assertThat(apply.exit()).as(apply.err()).isZero();
      assertThat(apply.err()).isEmpty();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> StatusTable.state(fresh.resources()), s -> s == StatusTable.State.READY);
      Map<String, String> accountOfTeam =
          Map.of(
              "team-voice", "AC00000000000000000000000000000a01",
              "team-support", "AC00000000000000000000000000000b02");
      TwilioEmulator emulator = fresh.emulator();
      accountOfTeam.forEach(
          (team, account) -> {
            List<SourceIpMapping> mine =
                fresh
                    .kubernetes()
                    .client()
                    .resources(SourceIpMapping.class)
                    .inNamespace(team)
                    .list()
                    .getItems();
            assertThat(mine).hasSize(1);
            assertThat(mine.get(0).getStatus().getAccountSid()).isEqualTo(account);
            assertThat(emulator.sourceIpMappings(account))
                .extracting(StoredSourceIpMapping::sid)
                .containsExactly(mine.get(0).getStatus().getSid());
            assertThat(emulator.ipRecords(account)).hasSize(1);
            // the operator asked each account as itself
            assertThat(emulator.counters().byUser(account)).isPositive();
          });
      assertThat(emulator.mappingCount(fresh.twilio().accountSid())).isZero();
      Run accounts = kubectlAt(kubeconfig, "get", "twilioaccounts", "-A");
      assertThat(accounts.out()).contains("ACCOUNT", "READY", "AC00000000000000000000000000000a01");
      assertThat(accounts.err()).isEmpty();
    }
  }

  private static String unindented(String text) {
    return text.lines().map(String::strip).collect(java.util.stream.Collectors.joining("\n"));
  }

  private static Run kubectl(String... args) throws Exception {
    Run run = kubectlMayFail(args);
    assertThat(run.exit()).as("kubectl " + String.join(" ", args) + "\n" + run.err()).isZero();
    return run;
  }

  private static Run kubectlMayFail(String... args) throws Exception {
    return kubectlAt(config, args);
  }

  private static Run kubectlAt(Path kubeconfig, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(KUBECTL.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    return run(command, Map.of());
  }

  private static Run run(List<String> command, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile(dir, "run", ".out");
    Path err = Files.createTempFile(dir, "run", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    // kubectl's discovery and OpenAPI cache stays in this test's folder
    builder.environment().put("HOME", dir.toString());
    builder.environment().putAll(env);
    Process p = builder.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end in 120s");
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
