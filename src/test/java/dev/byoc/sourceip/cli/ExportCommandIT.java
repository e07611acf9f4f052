package dev.byoc.sourceip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.ProcessLogs;
import dev.byoc.sourceip.SourceIpOperator;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.config.OperatorConfig;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.emulator.StoredSourceIpMapping;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.export.ExportedYaml;
import dev.byoc.sourceip.testing.Crd;
import dev.byoc.sourceip.testing.EmulatorExtension;
import dev.byoc.sourceip.twilio.HttpTwilioClient;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `export` against the emulator over real HTTP: the YAML it prints, what it costs at Twilio, its
 * errors, and the proof that applying its output to a running operator adopts every mapping and
 * creates none.
 */
@EnableKubernetesMockClient(crud = true)
class ExportCommandIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  static final String KEY = KnownSecrets.API_KEY_SID;
  static final String KEY_SECRET = KnownSecrets.API_SECRET;
  static final String OTHER = KnownSecrets.OTHER_ACCOUNT_SID;
  static final Duration WAIT = Duration.ofSeconds(60);
  static final AtomicInteger JAR_RUNS = new AtomicInteger();

  static KubernetesClient client; // fabric8's CRUD mock API server

  @RegisterExtension
  static final EmulatorExtension EMULATOR =
      EmulatorExtension.withKnownAccount()
          .account(OTHER, KnownSecrets.OTHER_AUTH_TOKEN)
          .apiKey(ACCOUNT, KEY, KEY_SECRET);

  static TwilioEmulator emulator;
  @TempDir Path dir;

  @BeforeAll
  static void startEmulator() {
    emulator = EMULATOR.emulator();
  }

  @BeforeEach
  void emptyTwilio() {
    emulator.reset();
    emulator.counters().reset();
  }

  static Map<String, String> env() {
    return Map.of(
        "TWILIO_ACCOUNT_SID", ACCOUNT,
        "TWILIO_AUTH_TOKEN", TOKEN,
        "TWILIO_BASE_URL", emulator.baseUrl());
  }

  /** `export args` in process through {@link Main#commandLine()}, with {@code env} only. */
  static CliRun export(Map<String, String> env, String... args) {
    return CliRun.command(env, "export", args);
  }

  /** The mappings of a YAML stream, read as the typed resource. */
  static List<SourceIpMapping> parse(String yaml) {
    return ExportedYaml.ofKind(ExportedYaml.parse(yaml), SourceIpMapping.class);
  }

  static Map<String, SourceIpMapping> byName(List<SourceIpMapping> resources) {
    return resources.stream()
        .collect(
            Collectors.toMap(r -> r.getMetadata().getName(), r -> r, (a, b) -> a, TreeMap::new));
  }

  static String externalSid(SourceIpMapping r) {
    return ExportedYaml.externalSid(r);
  }

  /** The emulator's mappings of {@link #ACCOUNT}: IP record SID to mapping. */
  static Map<String, StoredSourceIpMapping> atTwilio() {
    return emulator.sourceIpMappings(ACCOUNT).stream()
        .collect(Collectors.toMap(StoredSourceIpMapping::ipRecordSid, m -> m));
  }

  static long count(String method, String path) {
    return emulator.counters().count(method, path);
  }

  static String domain(String name) {
    return emulator.createSipDomain(ACCOUNT, name + ".sip.twilio.com");
  }

  @Test
  void printsOneAdoptingResourcePerMappingWithReadableNamesAndTheSameOutputEveryRun() {
    String east = domain("east");
    String west = domain("west");
    String pbx = emulator.createIpRecord(ACCOUNT, "203.0.113.10", 32, "PBX East");
    String range = emulator.createIpRecord(ACCOUNT, "198.51.100.0", 24, null);
    String carrier = emulator.createIpRecord(ACCOUNT, "192.0.2.7", 32, "Ünïcödé Carrier (Tier 1)");
    emulator.createIpRecord(ACCOUNT, "192.0.2.99", 32, "not mapped");
    for (String ip : List.of(pbx, range)) {
      emulator.createSourceIpMapping(ACCOUNT, ip, east);
    }
    emulator.createSourceIpMapping(ACCOUNT, carrier, west);
    // another account's mapping is not this account's business
    String otherIp = emulator.createIpRecord(OTHER, "203.0.113.10", 32, "PBX East");
    emulator.createSourceIpMapping(
        OTHER, otherIp, emulator.createSipDomain(OTHER, "o.sip.twilio.com"));

    CliRun first = export(env(), "--namespace", "telephony");
    CliRun second = export(env(), "--namespace", "telephony");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).isEmpty();
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(first.out())
        .startsWith(
            "# sourceip-operator export: 3 SourceIpMapping resources of Twilio account\n# "
                + ACCOUNT);
    Map<String, SourceIpMapping> byName = byName(parse(first.out()));
    assertThat(byName.keySet())
        .containsExactly("ip-198-51-100-0-24", "pbx-east", "unicode-carrier-tier-1");
    assertThat(byName.get("pbx-east").getSpec().getIpRecordSid()).isEqualTo(pbx);
    assertThat(byName.get("ip-198-51-100-0-24").getSpec().getIpRecordSid()).isEqualTo(range);
    assertThat(byName.get("unicode-carrier-tier-1").getSpec().getSipDomainSid()).isEqualTo(west);
    Map<String, StoredSourceIpMapping> twilio = atTwilio();
    for (SourceIpMapping r : byName.values()) {
      StoredSourceIpMapping m = twilio.get(r.getSpec().getIpRecordSid());
      assertThat(externalSid(r)).isEqualTo(m.sid());
      assertThat(r.getSpec().getSipDomainSid()).isEqualTo(m.sipDomainSid());
      assertThat(r.getMetadata().getNamespace()).isEqualTo("telephony");
      assertThat(r.getMetadata().getAnnotations()).hasSize(1);
      assertThat(r.getSpec().getDeletionPolicy()).isNull();
      assertThat(r.getStatus()).isNull();
    }

    // two runs: one list of each per run, nothing fetched one by one, nothing written
    assertThat(count("GET", "/v1/SourceIpMappings")).isEqualTo(2);
    assertThat(count("GET", "/v1/IpRecords")).isEqualTo(2);
    assertThat(emulator.counters().total()).isEqualTo(4);
  }

  @Test
  void eachPageIsOneRequestAndNothingIsFetchedOneByOne() {
    String d = domain("paged");
    for (int i = 1; i <= 7; i++) {
      String ip = emulator.createIpRecord(ACCOUNT, "10.1.0." + i, 32, i <= 2 ? "edge" : null);
      if (i <= 5) {
        emulator.createSourceIpMapping(ACCOUNT, ip, d);
      }
    }

    CliRun run = export(env(), "--twilio-page-size", "2");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(byName(parse(run.out())).keySet())
        .containsExactly("edge", "edge-2", "ip-10-1-0-3", "ip-10-1-0-4", "ip-10-1-0-5");
    assertThat(count("GET", "/v1/SourceIpMappings")).isEqualTo(3); // 5 mappings, 2 a page
    assertThat(count("GET", "/v1/IpRecords")).isEqualTo(4); // 7 records, 2 a page
    assertThat(count("GET", "/v1/SourceIpMappings/{Sid}")).isZero();
    assertThat(count("GET", "/v1/IpRecords/{Sid}")).isZero();
    assertThat(emulator.counters().total()).isEqualTo(7);
  }

  static final String SIP_DOMAINS = "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json";

  @Test
  void allCostsOneListOfEachKind() {
    String d = domain("all-paged");
    for (int i = 1; i <= 7; i++) {
      String ip = emulator.createIpRecord(ACCOUNT, "10.2.0." + i, 32, i <= 2 ? "edge" : null);
      if (i <= 5) {
        emulator.createSourceIpMapping(ACCOUNT, ip, d);
      }
    }
    for (int i = 1; i <= 2; i++) {
      domain("spare-" + i);
    }

    CliRun firstPage = export(env(), "--kind", "all");
    long onePageEach = emulator.counters().total();
    emulator.counters().reset();
    CliRun paged = export(env(), "--kind", "all", "--twilio-page-size", "2");

    assertThat(firstPage.exitCode()).as(firstPage.err()).isZero();
    assertThat(onePageEach).isEqualTo(3);
    assertThat(paged.exitCode()).as(paged.err()).isZero();
    assertThat(paged.out()).isEqualTo(firstPage.out());
    assertThat(count("GET", "/v1/SourceIpMappings")).isEqualTo(3); // 5 mappings, 2 a page
    assertThat(count("GET", "/v1/IpRecords")).isEqualTo(4); // 7 records, 2 a page
    assertThat(count("GET", SIP_DOMAINS)).isEqualTo(2); // 3 domains, 2 a page
    assertThat(emulator.counters().total()).isEqualTo(9);
    List<HasMetadata> all = ExportedYaml.parse(paged.out());
    assertThat(ExportedYaml.ofKind(all, IpRecord.class)).hasSize(7);
    assertThat(ExportedYaml.ofKind(all, SourceIpMapping.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("edge", "edge-2", "ip-10-2-0-3", "ip-10-2-0-4", "ip-10-2-0-5");
  }

  @Test
  void allPrintsIpRecordsThenTheMappingsThatNameThemTheSameEveryRun() {
    String east = domain("east");
    String pbx = emulator.createIpRecord(ACCOUNT, "203.0.113.10", 32, "PBX East");
    String range = emulator.createIpRecord(ACCOUNT, "198.51.100.0", 24, null);
    String spare = emulator.createIpRecord(ACCOUNT, "192.0.2.99", 32, "spare");
    emulator.createSourceIpMapping(ACCOUNT, pbx, east);
    emulator.createSourceIpMapping(ACCOUNT, range, east);

    CliRun first = export(env(), "--kind", "all", "--namespace", "telephony");
    CliRun second = export(env(), "--kind", "ALL", "--namespace", "telephony");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).isEmpty();
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(first.out())
        .startsWith(
            "# sourceip-operator export: 3 IpRecord and 2 SourceIpMapping resources of Twilio"
                + " account\n# "
                + ACCOUNT);
    List<HasMetadata> all = ExportedYaml.parse(first.out());
    assertThat(all)
        .extracting(r -> r.getKind() + "/" + r.getMetadata().getName())
        .containsExactly(
            "IpRecord/ip-198-51-100-0-24",
            "IpRecord/pbx-east",
            "IpRecord/spare",
            "SourceIpMapping/ip-198-51-100-0-24",
            "SourceIpMapping/pbx-east");
    Map<String, String> ipRecordSids = new HashMap<>();
    for (IpRecord r : ExportedYaml.ofKind(all, IpRecord.class)) {
      ipRecordSids.put(r.getMetadata().getName(), ExportedYaml.externalSid(r));
    }
    assertThat(ipRecordSids)
        .containsEntry("pbx-east", pbx)
        .containsEntry("ip-198-51-100-0-24", range)
        .containsEntry("spare", spare);
    Map<String, StoredSourceIpMapping> twilio = atTwilio();
    for (SourceIpMapping m : ExportedYaml.ofKind(all, SourceIpMapping.class)) {
      String ipRecordSid = ipRecordSids.get(m.getSpec().getIpRecordRef().getName());
      assertThat(ExportedYaml.externalSid(m)).isEqualTo(twilio.get(ipRecordSid).sid());
      assertThat(m.getSpec().getSipDomainName()).isEqualTo("east.sip.twilio.com");
      assertThat(m.getSpec().getIpRecordSid()).isNull();
      assertThat(m.getSpec().getSipDomainSid()).isNull();
    }
    assertThat(emulator.counters().total()).isEqualTo(6); // two runs, three lists each
  }

  @Test
  void ipRecordKindPrintsEveryIpRecordAndListsNothingElse() {
    String range = emulator.createIpRecord(ACCOUNT, "198.51.100.0", 24, null);
    String pbx = emulator.createIpRecord(ACCOUNT, "203.0.113.10", 32, "PBX");
    emulator.createSourceIpMapping(ACCOUNT, pbx, domain("ip-kind"));

    CliRun run = export(env(), "--kind", "IpRecord");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("# sourceip-operator export: 2 IpRecord resources");
    Map<String, IpRecord> byName = new TreeMap<>();
    for (IpRecord r : ExportedYaml.ofKind(ExportedYaml.parse(run.out()), IpRecord.class)) {
      byName.put(r.getMetadata().getName(), r);
    }
    assertThat(byName.keySet()).containsExactly("ip-198-51-100-0-24", "pbx");
    assertThat(ExportedYaml.externalSid(byName.get("pbx"))).isEqualTo(pbx);
    assertThat(byName.get("pbx").getSpec().getCidrPrefixLength()).isNull();
    assertThat(ExportedYaml.externalSid(byName.get("ip-198-51-100-0-24"))).isEqualTo(range);
    assertThat(byName.get("ip-198-51-100-0-24").getSpec().getCidrPrefixLength()).isEqualTo(24);
    assertThat(count("GET", "/v1/IpRecords")).isEqualTo(1);
    assertThat(emulator.counters().total()).isEqualTo(1);
  }

  @Test
  void anEmptyAccountGivesOnlyTheHeaderAndCostsOneRequest() {
    CliRun run = export(env());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("# sourceip-operator export: 0 SourceIpMapping resources")
        .doesNotContain("---");
    assertThat(parse(run.out())).isEmpty();
    assertThat(emulator.counters().total()).isEqualTo(1);
  }

  @Test
  void theOutputFileGetsWhatStdoutWouldHaveShown() throws IOException {
    String ip = emulator.createIpRecord(ACCOUNT, "203.0.113.10", 32, "pbx");
    emulator.createSourceIpMapping(ACCOUNT, ip, domain("file"));
    Path file = dir.resolve("mappings.yaml");

    CliRun toFile = export(env(), "-o", file.toString(), "--deletion-policy", "Orphan");
    CliRun toStdout = export(env(), "--deletion-policy", "orphan");

    assertThat(toFile.exitCode()).isZero();
    assertThat(toFile.out()).isEmpty();
    assertThat(toFile.err().lines())
        .containsExactly("Wrote 1 SourceIpMapping resource to " + file + ".");
    assertThat(Files.readString(file)).isEqualTo(toStdout.out()).contains("deletionPolicy: Orphan");

    CliRun noDirectory = export(env(), "-o", dir.resolve("missing/x.yaml").toString());
    assertThat(noDirectory.exitCode()).isEqualTo(1);
    assertThat(noDirectory.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: could not write ")
        .endsWith("no such directory");
  }

  @Test
  void anApiKeyWorksAndARefusedOneIsNamedWithoutItsSecret() {
    String ip = emulator.createIpRecord(ACCOUNT, "203.0.113.10", 32, "pbx");
    emulator.createSourceIpMapping(ACCOUNT, ip, domain("key"));
    Map<String, String> keyEnv = new HashMap<>(env());
    keyEnv.remove("TWILIO_AUTH_TOKEN");
    keyEnv.put("TWILIO_API_KEY", KEY);
    keyEnv.put("TWILIO_API_SECRET", KEY_SECRET);

    CliRun ok = export(keyEnv);
    keyEnv.put("TWILIO_API_SECRET", KnownSecrets.WRONG_AUTH_TOKEN);
    CliRun refused = export(keyEnv);

    assertThat(ok.exitCode()).isZero();
    assertThat(byName(parse(ok.out())).keySet()).containsExactly("pbx");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err().lines())
        .singleElement()
        .asString()
        .contains("401", "refused the credentials", "TWILIO_API_KEY (" + KEY + ")")
        .doesNotContain(KEY_SECRET)
        .doesNotContain(KnownSecrets.WRONG_AUTH_TOKEN);
  }

  @Test
  void aWrongTokenIsOneLineNamingTheProblemAndExitCode1() {
    Map<String, String> wrong = new HashMap<>(env());
    wrong.put("TWILIO_AUTH_TOKEN", KnownSecrets.WRONG_AUTH_TOKEN);

    CliRun run = export(wrong);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: Twilio refused the credentials for account " + ACCOUNT)
        .contains("401", "TWILIO_AUTH_TOKEN")
        .doesNotContain(KnownSecrets.WRONG_AUTH_TOKEN);
    assertThat(count("GET", "/v1/SourceIpMappings")).isEqualTo(1); // a 401 is not retried
  }

  @Test
  void anUnreachableTwilioIsOneLineAndExitCode1() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Map<String, String> lost = new HashMap<>(env());
    lost.put("TWILIO_BASE_URL", "http://127.0.0.1:" + closed);

    CliRun run = export(lost, "--twilio-max-retries", "0");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: Could not reach Twilio")
        .contains("127.0.0.1:" + closed)
        .doesNotContain(TOKEN);
  }

  /**
   * The promise: the exported YAML, applied to a cluster with the operator running, makes
   * every resource Ready on the mapping it names, and Twilio sees no create, update or delete.
   */
  @Test
  void appliedToARunningOperatorTheExportAdoptsEveryMappingAndCreatesNothing() throws Exception {
    String ns = "adopt";
    String east = domain("adopt-east");
    String west = domain("adopt-west");
    for (int i = 1; i <= 12; i++) {
      String name = i % 3 == 0 ? null : i % 3 == 1 ? "PBX" : "Carrier " + i;
      String ip = emulator.createIpRecord(ACCOUNT, "10.9.0." + i, i == 12 ? 30 : 32, name);
      emulator.createSourceIpMapping(ACCOUNT, ip, i % 2 == 0 ? east : west);
    }
    Map<String, StoredSourceIpMapping> before = atTwilio();
    CliRun run = export(env(), "--namespace", ns);
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<SourceIpMapping> exported = parse(run.out());
    assertThat(exported).hasSize(12);

    installCrd();
    for (SourceIpMapping r : exported) {
      client.resources(SourceIpMapping.class).inNamespace(ns).resource(r).create();
    }
    emulator.counters().reset();
    TwilioConfig twilio = TwilioConfig.builder(ACCOUNT, TOKEN, emulator.baseUrl()).build();
    try (SourceIpOperator operator =
        SourceIpOperator.start(
            new OperatorConfig(Set.of(ns), Duration.ofMinutes(5), 20, twilio),
            client,
            new HttpTwilioClient(twilio))) {
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                List<SourceIpMapping> live =
                    client.resources(SourceIpMapping.class).inNamespace(ns).list().getItems();
                assertThat(live).hasSize(12).allSatisfy(ExportCommandIT::assertAdopted);
              });
    }

    assertThat(count("POST", "/v1/SourceIpMappings")).as("creates").isZero();
    assertThat(count("POST", "/v1/SourceIpMappings/{Sid}")).as("updates").isZero();
    assertThat(count("DELETE", "/v1/SourceIpMappings/{Sid}")).as("deletes").isZero();
    assertThat(count("GET", "/v1/SourceIpMappings/{Sid}")).as("fetches").isZero();
    assertThat(atTwilio()).isEqualTo(before);
  }

  static void assertAdopted(SourceIpMapping r) {
    assertThat(r.getStatus()).as("status of %s", r.getMetadata().getName()).isNotNull();
    assertThat(r.getStatus().getConditions())
        .as("conditions of %s", r.getMetadata().getName())
        .anySatisfy(c -> assertTrue(c, "Ready", r))
        .anySatisfy(c -> assertTrue(c, "Synced", r));
    assertThat(r.getStatus().getSid()).isEqualTo(externalSid(r));
    assertThat(r.getStatus().getIpRecordSid()).isEqualTo(r.getSpec().getIpRecordSid());
  }

  static void assertTrue(Condition c, String type, SourceIpMapping r) {
    assertThat(c.getType()).isEqualTo(type);
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getObservedGeneration()).isEqualTo(r.getMetadata().getGeneration());
  }

  static void installCrd() {
    Crd.install(client);
  }

  /** The shipped jar: the real environment, exit code and a stdout with nothing but YAML. */
  @Test
  void theJarExportsFromItsEnvironmentWithCleanStdoutAndOneErrorLine() throws Exception {
    String ip = emulator.createIpRecord(ACCOUNT, "203.0.113.10", 32, "pbx");
    emulator.createSourceIpMapping(ACCOUNT, ip, domain("jar"));

    CliRun ok = jar(env(), "export", "--namespace", "telephony");
    Map<String, String> wrong = new HashMap<>(env());
    wrong.put("TWILIO_AUTH_TOKEN", KnownSecrets.WRONG_AUTH_TOKEN);
    CliRun refused = jar(wrong, "export");

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.err()).isEmpty();
    assertThat(ok.out()).isEqualTo(export(env(), "--namespace", "telephony").out());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err().lines())
        .singleElement()
        .asString()
        .contains("401")
        .doesNotContain(KnownSecrets.WRONG_AUTH_TOKEN);
  }

  CliRun jar(Map<String, String> env, String... args) throws Exception {
    Path jar = Path.of(System.getProperty("sourceip.jar", "target/sourceip-operator.jar"));
    assertThat(jar).as("run `mvn package` first").isRegularFile();
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()));
    command.addAll(List.of(args));
    int run = JAR_RUNS.incrementAndGet();
    Path out = ProcessLogs.dir("ExportCommandIT").resolve("jar-" + run + "-stdout.log");
    Path err = ProcessLogs.dir("ExportCommandIT").resolve("jar-" + run + "-stderr.log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("TWILIO_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
      return new CliRun(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      process.destroyForcibly();
    }
  }
}
