package dev.byoc.sourceip.emulator;

import static dev.byoc.sourceip.emulator.SpecValidator.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Fault injection, scripted faults, counters and the admin API, over real HTTP. */
class EmulatorFaultsTest {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  static final String IP_RECORDS = "/v1/IpRecords";
  static final String IP_RECORD = "/v1/IpRecords/{Sid}";

  @RegisterExtension static final EmulatorExtension EMULATOR = EmulatorExtension.withKnownAccount();

  static TwilioEmulator emulator;
  static Wire wire;

  @BeforeAll
  static void start() {
    emulator = EMULATOR.emulator();
    wire = new Wire(emulator.baseUrl(), ACCOUNT, TOKEN);
  }

  @AfterAll
  static void stop() {
    wire.close();
  }

  @BeforeEach
  void clean() {
    emulator.reset();
    emulator.faults().update(FaultSettings.none());
    emulator.faults().clearAccounts();
    emulator.faults().clearScript();
    emulator.counters().reset();
  }

  @Test
  void concurrencyLimitAnswers429BeyondTheLimit() throws Exception {
    emulator
        .faults()
        .update(
            FaultSettings.none()
                .withLatencyMs(800)
                .withConcurrencyLimit(2)
                .withRetryAfterSeconds(3));
    List<Wire.Answer> answers = concurrently(5, () -> wire.get(IP_RECORDS));
    List<Integer> statuses = answers.stream().map(Wire.Answer::status).sorted().toList();
    assertThat(statuses).containsExactly(200, 200, 429, 429, 429);
    Wire.Answer rejected =
        answers.stream().filter(a -> a.status() == 429).findFirst().orElseThrow();
    error(rejected, 429, 20429);
    assertThat(rejected.json().get("message").asText()).isEqualTo("Too Many Requests");
    assertThat(rejected.headers().get("Retry-After")).isEqualTo("3");
    assertThat(emulator.counters().maxInFlight(ACCOUNT)).isBetween(3, 5);
    assertThat(emulator.counters().count("GET", IP_RECORDS, 429)).isEqualTo(3);
    assertThat(emulator.counters().inFlight(ACCOUNT)).isZero();
  }

  @Test
  void certainFaultsAnswerTwilioErrorsWithoutChangingState() throws IOException {
    emulator.faults().update(FaultSettings.none().withProbability500(1.0));
    error(wire.post(IP_RECORDS, "IpAddress", "10.0.0.1"), 500, 20500);

    emulator.faults().update(FaultSettings.none().withProbability503(1.0).withRetryAfterSeconds(7));
    Wire.Answer unavailable = error(wire.post(IP_RECORDS, "IpAddress", "10.0.0.1"), 503, 20503);
    assertThat(unavailable.headers().get("Retry-After")).isEqualTo("7");

    emulator.faults().update(FaultSettings.none().withProbability429(1.0));
    Wire.Answer limited = error(wire.post(IP_RECORDS, "IpAddress", "10.0.0.1"), 429, 20429);
    assertThat(limited.headers().get("Retry-After")).isNull();

    assertThat(emulator.ipRecordCount(ACCOUNT)).isZero();
    assertThat(emulator.counters().count("POST", IP_RECORDS)).isEqualTo(3);
  }

  @Test
  void aHugeErrorIsATwilio400WithA100KibMessageAndChangesNothing() throws IOException {
    emulator.faults().script(ScriptedFault.of("huge-error").forMethod("POST"));

    Wire.Answer huge = error(wire.post(IP_RECORDS, "IpAddress", "10.0.0.1"), 400, 20001);

    assertThat(huge.json().get("message").asText())
        .startsWith("Invalid parameter (emulated huge error): lorem ipsum")
        .hasSizeGreaterThan(100_000);
    assertThat(emulator.ipRecordCount(ACCOUNT)).isZero();
    assertThat(wire.post(IP_RECORDS, "IpAddress", "10.0.0.1").status()).isEqualTo(201);
  }

  @Test
  void faultsApplyOnlyToTheGivenMethods() throws IOException {
    emulator
        .faults()
        .update(FaultSettings.none().withProbability500(1.0).withMethods(Set.of("post")));
    assertThat(wire.get(IP_RECORDS).status()).isEqualTo(200);
    error(wire.post(IP_RECORDS, "IpAddress", "10.0.0.1"), 500, 20500);
    assertThat(emulator.faults().settings().methods()).containsExactly("POST");
  }

  @Test
  void resetBeforeDropsTheConnectionWithoutProcessing() {
    emulator.faults().update(FaultSettings.none().withProbabilityResetBefore(1.0));
    assertThatThrownBy(() -> wire.post(IP_RECORDS, "IpAddress", "10.0.0.1"))
        .isInstanceOf(IOException.class);
    assertThat(emulator.ipRecordCount(ACCOUNT)).isZero();
    assertThat(emulator.counters().count("POST", IP_RECORDS, 0)).isEqualTo(1);
  }

  @Test
  void resetAfterProcessesThenDropsTheConnection() {
    emulator.faults().script(ScriptedFault.of("reset-after"));
    assertThatThrownBy(() -> wire.post(IP_RECORDS, "IpAddress", "10.0.0.1"))
        .isInstanceOf(IOException.class);
    assertThat(emulator.ipRecords(ACCOUNT))
        .singleElement()
        .satisfies(r -> assertThat(r.ipAddress()).isEqualTo("10.0.0.1"));
    assertThat(emulator.counters().count("POST", IP_RECORDS, 0)).isEqualTo(1);
  }

  @Test
  void scriptedFaultsAreConsumedInOrderByMatchingRequests() throws IOException {
    String sid = emulator.createIpRecord(ACCOUNT, "10.0.0.9", 32, null);
    emulator
        .faults()
        .script(
            ScriptedFault.of("503"),
            ScriptedFault.of("429").withRetryAfterSeconds(1).forMethod("POST"),
            ScriptedFault.of("500").forPath(IP_RECORD));
    error(wire.get(IP_RECORDS), 503, 20503);
    assertThat(wire.get(IP_RECORDS).status()).isEqualTo(200); // the 429 waits for a POST
    Wire.Answer limited = error(wire.post(IP_RECORDS, "IpAddress", "10.0.0.1"), 429, 20429);
    assertThat(limited.headers().get("Retry-After")).isEqualTo("1");
    error(wire.get("/v1/IpRecords/" + sid), 500, 20500);
    assertThat(emulator.faults().pendingScript()).isEmpty();
    assertThat(wire.get("/v1/IpRecords/" + sid).status()).isEqualTo(200);
  }

  @Test
  void scriptedFaultsComeBeforeProbabilisticOnes() throws IOException {
    emulator.faults().update(FaultSettings.none().withProbability500(1.0));
    emulator.faults().script(ScriptedFault.of("503"));
    error(wire.get(IP_RECORDS), 503, 20503);
    error(wire.get(IP_RECORDS), 500, 20500);
  }

  @Test
  void aSeedMakesFaultsReproducible() throws IOException {
    FaultSettings coinFlip = FaultSettings.none().withProbability500(0.5).withSeed(42L);
    List<List<Integer>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      emulator.faults().update(coinFlip);
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        statuses.add(wire.get(IP_RECORDS).status());
      }
      runs.add(statuses);
    }
    assertThat(runs.get(0)).isEqualTo(runs.get(1)).contains(200, 500);
  }

  @Test
  void latencyIsAdded() throws IOException {
    emulator.faults().update(FaultSettings.none().withLatencyMs(150).withLatencyJitterMs(20));
    long start = System.nanoTime();
    assertThat(wire.get(IP_RECORDS).status()).isEqualTo(200);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(150);
  }

  @Test
  void countersByMethodTemplateAndStatus() throws IOException {
    String sid = emulator.createIpRecord(ACCOUNT, "10.0.0.2", 32, null);
    wire.get("/v1/IpRecords/" + sid);
    wire.get("/v1/IpRecords/" + sid);
    wire.get("/v1/IpRecords/IL" + "0".repeat(32));
    wire.as(ACCOUNT, "wrong").get(IP_RECORDS);
    wire.get("/nowhere");
    wire.get("/2010-04-01/Accounts/" + ACCOUNT + "/SIP/Domains.json");
    wire.admin("GET", "/_emulator/health", null);

    RequestCounters counters = emulator.counters();
    assertThat(counters.count("GET", IP_RECORD, 200)).isEqualTo(2);
    assertThat(counters.count("GET", IP_RECORD, 404)).isEqualTo(1);
    assertThat(counters.count("GET", IP_RECORD)).isEqualTo(3);
    assertThat(counters.count("GET", IP_RECORDS, 401)).isEqualTo(1);
    assertThat(counters.count("GET", "(unmatched)", 404)).isEqualTo(1);
    assertThat(counters.count("GET", "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json", 200))
        .isEqualTo(1);
    assertThat(counters.total()).isEqualTo(6);
    assertThat(counters.maxInFlight(ACCOUNT)).isEqualTo(1);

    JsonNode json = wire.admin("GET", "/_emulator/counters", null).json();
    assertThat(json.get("total").asLong()).isEqualTo(6);
    assertThat(json.get("requests"))
        .anySatisfy(
            row -> {
              assertThat(row.get("method").asText()).isEqualTo("GET");
              assertThat(row.get("path").asText()).isEqualTo(IP_RECORD);
              assertThat(row.get("status").asInt()).isEqualTo(200);
              assertThat(row.get("count").asLong()).isEqualTo(2);
            });

    assertThat(wire.admin("DELETE", "/_emulator/counters", null).status()).isEqualTo(204);
    assertThat(counters.total()).isZero();
    assertThat(counters.count("GET", IP_RECORD)).isZero();
    assertThat(counters.maxInFlight(ACCOUNT)).isZero();
  }

  @Test
  void oneAccountsOwnFaultsLeaveTheOthersAlone() throws IOException {
    String other = KnownSecrets.OTHER_ACCOUNT_SID;
    emulator.addAccount(other, KnownSecrets.OTHER_AUTH_TOKEN);
    Wire otherWire = wire.as(other, KnownSecrets.OTHER_AUTH_TOKEN);
    try {
      emulator.faults().update(other, FaultSettings.none().withProbability429(1.0));
      error(otherWire.get(IP_RECORDS), 429, 20429);
      assertThat(wire.get(IP_RECORDS).status()).isEqualTo(200);

      // the emulator-wide settings no longer reach the account with settings of its own
      emulator.faults().update(FaultSettings.none().withProbability500(1.0));
      error(wire.get(IP_RECORDS), 500, 20500);
      error(otherWire.get(IP_RECORDS), 429, 20429);
      emulator.faults().update(FaultSettings.none());

      // over the admin API: merge into what the account gets, read, then back to emulator-wide
      String path = "/_emulator/faults/accounts/" + ACCOUNT;
      Wire.Answer patched = wire.admin("PATCH", path, "{\"concurrencyLimit\":1,\"latencyMs\":3}");
      assertThat(patched.status()).isEqualTo(200);
      assertThat(emulator.faults().settings(ACCOUNT))
          .isEqualTo(FaultSettings.none().withConcurrencyLimit(1).withLatencyMs(3));
      assertThat(emulator.faults().settings()).isEqualTo(FaultSettings.none());
      assertThat(wire.admin("GET", path, null).json().get("concurrencyLimit").asInt()).isEqualTo(1);
      assertThat(emulator.faults().accountSettings()).containsOnlyKeys(ACCOUNT, other);
      assertThat(
              wire.admin("PUT", "/_emulator/faults/accounts/" + other, "{\"probability503\":1.0}")
                  .status())
          .isEqualTo(200);
      error(otherWire.get(IP_RECORDS), 503, 20503);
      assertThat(wire.get(IP_RECORDS).status()).isEqualTo(200);

      assertThat(wire.admin("DELETE", "/_emulator/faults/accounts/" + other, null).status())
          .isEqualTo(204);
      assertThat(otherWire.get(IP_RECORDS).status()).isEqualTo(200);
      assertThat(wire.admin("GET", "/_emulator/faults/accounts/AC" + "0".repeat(32), null).status())
          .isEqualTo(404);
      assertThat(wire.admin("PATCH", path, "{\"probability429\":3}").status()).isEqualTo(400);
    } finally {
      otherWire.close();
      emulator.faults().clearAccounts();
    }
  }

  @Test
  void adminFaultsReplaceMergeAndReject() throws IOException {
    Wire.Answer defaults = wire.admin("GET", "/_emulator/faults", null);
    assertThat(defaults.status()).isEqualTo(200);
    assertThat(Wire.JSON.convertValue(defaults.json(), FaultSettings.class))
        .isEqualTo(FaultSettings.none());
    assertThat(defaults.json().fieldNames())
        .toIterable()
        .containsExactly(
            "latencyMs",
            "latencyJitterMs",
            "concurrencyLimit",
            "probability429",
            "probability500",
            "probability503",
            "probabilityResetBefore",
            "probabilityResetAfter",
            "retryAfterSeconds",
            "methods",
            "seed");

    Wire.Answer put =
        wire.admin("PUT", "/_emulator/faults", "{\"probability503\":1.0,\"retryAfterSeconds\":2}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(emulator.faults().settings())
        .isEqualTo(FaultSettings.none().withProbability503(1.0).withRetryAfterSeconds(2));

    assertThat(
            wire.admin("PATCH", "/_emulator/faults", "{\"latencyMs\":5,\"methods\":[\"get\"]}")
                .status())
        .isEqualTo(200);
    assertThat(wire.admin("POST", "/_emulator/faults", "{\"seed\":7}").status()).isEqualTo(200);
    assertThat(emulator.faults().settings())
        .isEqualTo(
            FaultSettings.none()
                .withProbability503(1.0)
                .withRetryAfterSeconds(2)
                .withLatencyMs(5)
                .withMethods(Set.of("GET"))
                .withSeed(7L));

    assertThat(wire.admin("PUT", "/_emulator/faults", "{}").status()).isEqualTo(200);
    assertThat(emulator.faults().settings()).isEqualTo(FaultSettings.none());

    for (String bad :
        List.of(
            "{not json",
            "[1,2]",
            "{\"probability500\":2}",
            "{\"latencyMs\":-1}",
            "{\"colour\":1}")) {
      Wire.Answer answer = wire.admin("PATCH", "/_emulator/faults", bad);
      assertThat(answer.status()).as(bad).isEqualTo(400);
      assertThat(answer.json().get("message").asText()).as(bad).isNotBlank();
    }
    assertThat(wire.admin("PUT", "/_emulator/faults", "").status()).isEqualTo(400);
    assertThat(emulator.faults().settings()).isEqualTo(FaultSettings.none());
  }

  @Test
  void adminScriptAppendListAndClear() throws IOException {
    Wire.Answer appended =
        wire.admin(
            "POST",
            "/_emulator/faults/script",
            "[{\"fault\":\"reset-before\",\"method\":\"post\",\"pathTemplate\":\"/v1/IpRecords\"},"
                + "{\"fault\":\"429\",\"retryAfterSeconds\":4}]");
    assertThat(appended.status()).isEqualTo(200);
    assertThat(emulator.faults().pendingScript())
        .containsExactly(
            ScriptedFault.of("reset-before").forMethod("POST").forPath("/v1/IpRecords"),
            ScriptedFault.of("429").withRetryAfterSeconds(4));
    assertThat(wire.admin("POST", "/_emulator/faults/script", "{\"fault\":\"503\"}").status())
        .isEqualTo(200);
    assertThat(wire.admin("GET", "/_emulator/faults/script", null).json()).hasSize(3);
    assertThat(wire.admin("POST", "/_emulator/faults/script", "[{\"fault\":\"418\"}]").status())
        .isEqualTo(400);
    assertThat(wire.admin("DELETE", "/_emulator/faults/script", null).status()).isEqualTo(204);
    assertThat(emulator.faults().pendingScript()).isEmpty();
  }

  @Test
  void adminHealthResetAndAccounts() throws IOException {
    Wire.Answer health = wire.admin("GET", "/_emulator/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("ok");

    emulator.createIpRecord(ACCOUNT, "10.0.0.3", 32, null);
    assertThat(wire.admin("POST", "/_emulator/reset", null).status()).isEqualTo(204);
    assertThat(emulator.ipRecordCount(ACCOUNT)).isZero();

    String sid = KnownSecrets.OTHER_ACCOUNT_SID;
    String token = KnownSecrets.OTHER_AUTH_TOKEN;
    Wire.Answer added =
        wire.admin(
            "POST", "/_emulator/accounts", "{\"sid\":\"" + sid + "\",\"token\":\"" + token + "\"}");
    assertThat(added.status()).isEqualTo(201);
    assertThat(wire.as(sid, token).get(IP_RECORDS).status()).isEqualTo(200);
    JsonNode generated = wire.admin("POST", "/_emulator/accounts", null).json();
    assertThat(
            wire.as(generated.get("sid").asText(), generated.get("token").asText())
                .get(IP_RECORDS)
                .status())
        .isEqualTo(200);
    assertThat(wire.admin("GET", "/_emulator/accounts", null).body())
        .contains(sid)
        .doesNotContain(token);
    assertThat(wire.admin("POST", "/_emulator/accounts", "{\"sid\":\"nope\"}").status())
        .isEqualTo(400);
    assertThat(wire.admin("GET", "/_emulator/nothing", null).status()).isEqualTo(404);
    assertThat(wire.admin("DELETE", "/_emulator/health", null).status()).isEqualTo(405);
    assertThat(emulator.counters().total()).isEqualTo(2);
  }

  @Test
  void closeStopsPromptlyEvenWithRequestsInFlight() throws Exception {
    TwilioEmulator slow =
        TwilioEmulator.builder().faults(FaultSettings.none().withLatencyMs(30_000)).build().start();
    var account = slow.accounts().get(0);
    Wire slowWire = new Wire(slow.baseUrl(), account.sid(), account.authToken());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Wire.Answer> pending = pool.submit(() -> slowWire.get(IP_RECORDS));
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(5))
          .until(() -> slow.counters().inFlight(account.sid()) == 1);
      long start = System.nanoTime();
      slow.close();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
      assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IOException.class);
    } finally {
      pool.shutdownNow();
      slowWire.close();
    }
  }

  private interface Call {
    Wire.Answer run() throws IOException;
  }

  private static List<Wire.Answer> concurrently(int n, Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Wire.Answer>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return call.run();
                }));
      }
      go.countDown();
      List<Wire.Answer> answers = Collections.synchronizedList(new ArrayList<>());
      for (Future<Wire.Answer> f : futures) {
        answers.add(f.get(30, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }
}
