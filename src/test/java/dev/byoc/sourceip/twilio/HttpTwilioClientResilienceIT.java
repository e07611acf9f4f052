package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.emulator.ScriptedFault;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries, unknown outcomes and the limiter, against the emulator's injected faults. */
class HttpTwilioClientResilienceIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  static final String MAPPINGS = "/v1/SourceIpMappings";
  static final String MAPPING = "/v1/SourceIpMappings/{Sid}";

  @RegisterExtension static final EmulatorExtension EMULATOR = EmulatorExtension.withKnownAccount();

  static TwilioEmulator emulator;
  HttpTwilioClient client;
  List<TwilioRequestListener.RequestEvent> events;
  String ipRecord;
  String domain;

  @BeforeAll
  static void startEmulator() {
    emulator = EMULATOR.emulator();
  }

  static TwilioConfig.Builder config() {
    return TwilioConfig.builder(ACCOUNT, TOKEN, emulator.baseUrl())
        .retries(3, Duration.ofMillis(5), Duration.ofSeconds(3))
        .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
  }

  HttpTwilioClient client(TwilioConfig config) {
    return new HttpTwilioClient(
        config, new OkHttpClient(), new AccountLimiter(config.limits()), events::add);
  }

  @BeforeEach
  void freshState() {
    emulator.reset();
    emulator.faults().update(FaultSettings.none());
    emulator.faults().clearScript();
    emulator.counters().reset();
    events = java.util.Collections.synchronizedList(new ArrayList<>());
    client = client(config().build());
    ipRecord = emulator.createIpRecord(ACCOUNT, "203.0.113.20", 32, "pbx");
    domain = emulator.createSipDomain(ACCOUNT, "res-" + System.nanoTime() + ".sip.twilio.com");
  }

  @Test
  void rateLimitedCreateIsRetriedAfterRetryAfterAndCreatesOnce() {
    emulator.faults().script(ScriptedFault.of("429").withRetryAfterSeconds(1).forMethod("POST"));
    long start = System.nanoTime();

    TwilioMapping m = client.createSourceIpMapping(ipRecord, domain);

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(m.sid()).startsWith("IB");
    assertThat(emulator.counters().count("POST", MAPPINGS, 429)).isEqualTo(1);
    assertThat(emulator.counters().count("POST", MAPPINGS, 201)).isEqualTo(1);
    assertThat(client.listSourceIpMappings()).hasSize(1);
  }

  @Test
  void aCreateAnsweredWithAServerErrorIsNeverRetried() {
    for (String fault : List.of("500", "503")) {
      emulator.counters().reset();
      emulator.faults().script(ScriptedFault.of(fault).forMethod("POST"));

      assertThatThrownBy(() -> client.createSourceIpMapping(ipRecord, domain))
          .as(fault)
          .isInstanceOf(TwilioOutcomeUnknownException.class)
          .hasCauseInstanceOf(TwilioApiException.class)
          .hasMessageContaining("look it up");
      assertThat(emulator.counters().count("POST", MAPPINGS)).as(fault).isEqualTo(1);
    }
  }

  @Test
  void aCreateWhoseConnectionDropsAfterProcessingIsReportedUnknownNotRepeated() {
    emulator.faults().script(ScriptedFault.of("reset-after").forMethod("POST"));

    assertThatThrownBy(() -> client.createSourceIpMapping(ipRecord, domain))
        .isInstanceOf(TwilioOutcomeUnknownException.class)
        .satisfies(
            e -> assertThat(((TwilioException) e).errorClass()).isEqualTo(ErrorClass.RECOVERABLE));

    assertThat(emulator.counters().count("POST", MAPPINGS)).isEqualTo(1);
    // Twilio did create it: looking finds exactly one, and a second create would be refused
    assertThat(client.listSourceIpMappings())
        .singleElement()
        .satisfies(m -> assertThat(m.ipRecordSid()).isEqualTo(ipRecord));
  }

  @Test
  void aCreateWhoseConnectionDropsBeforeProcessingIsAlsoUnknownAndCreatesNothing() {
    emulator.faults().script(ScriptedFault.of("reset-before").forMethod("POST"));

    assertThatThrownBy(() -> client.createIpRecord("198.51.100.9", null, null))
        .isInstanceOf(TwilioOutcomeUnknownException.class);

    assertThat(emulator.counters().count("POST", "/v1/IpRecords")).isEqualTo(1);
    assertThat(client.listIpRecords()).extracting(TwilioIpRecord::sid).containsExactly(ipRecord);
  }

  @Test
  void idempotentCallsAreRetriedThroughServerErrorsAndDroppedConnections() {
    TwilioMapping m = client.createSourceIpMapping(ipRecord, domain);
    emulator.counters().reset();
    emulator
        .faults()
        .script(
            ScriptedFault.of("500").forMethod("GET"),
            ScriptedFault.of("reset-before").forMethod("GET"),
            ScriptedFault.of("503").forMethod("GET"));

    assertThat(client.fetchSourceIpMapping(m.sid())).isEqualTo(m);
    assertThat(emulator.counters().count("GET", MAPPING)).isEqualTo(4);
    assertThat(emulator.counters().count("GET", MAPPING, 200)).isEqualTo(1);

    String other =
        emulator.createSipDomain(ACCOUNT, "res2-" + System.nanoTime() + ".sip.twilio.com");
    emulator.faults().script(ScriptedFault.of("reset-after").forMethod("POST"));
    assertThat(client.updateSourceIpMapping(m.sid(), other).sipDomainSid()).isEqualTo(other);
    assertThat(emulator.counters().count("POST", MAPPING)).isEqualTo(2);

    emulator.faults().script(ScriptedFault.of("500").forMethod("DELETE"));
    client.deleteSourceIpMapping(m.sid());
    assertThat(emulator.counters().count("DELETE", MAPPING)).isEqualTo(2);
    assertThat(client.listSourceIpMappings()).isEmpty();
  }

  @Test
  void retriesStopAtTheLimitWithTheLastError() {
    emulator
        .faults()
        .update(FaultSettings.none().withProbability503(1.0).withMethods(java.util.Set.of("GET")));

    assertThatThrownBy(client::listIpRecords)
        .isInstanceOfSatisfying(
            TwilioApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.errorClass()).isEqualTo(ErrorClass.RECOVERABLE);
            });
    assertThat(emulator.counters().count("GET", "/v1/IpRecords", 503)).isEqualTo(4);
  }

  @Test
  void aLongerRetryAfterThanWeWaitIsHandedToTheCaller() {
    emulator.faults().script(ScriptedFault.of("429").withRetryAfterSeconds(30));

    assertThatThrownBy(client::listSourceIpMappings)
        .isInstanceOfSatisfying(
            TwilioApiException.class,
            e -> {
              assertThat(e.isRateLimited()).isTrue();
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
            });
    assertThat(emulator.counters().total()).isEqualTo(1);
  }

  @Test
  void theLimiterKeepsFiftyParallelCallersUnderTwiliosConcurrencyLimit() throws Exception {
    emulator.faults().update(FaultSettings.none().withLatencyMs(20).withConcurrencyLimit(5));
    HttpTwilioClient limited = client(config().limits(5, 1000).build());
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<Future<List<SipDomain>>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(pool.submit(limited::listSipDomains));
      }
      for (Future<List<SipDomain>> f : calls) {
        assertThat(f.get(60, TimeUnit.SECONDS)).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(emulator.counters().maxInFlight(ACCOUNT)).isBetween(2, 5);
    assertThat(emulator.counters().total()).isEqualTo(50);
    assertThat(events).hasSize(50).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
  }

  @Test
  void everyAttemptReachesTheMetricsHook() {
    emulator.faults().script(ScriptedFault.of("503").forMethod("GET"));

    client.listSipDomains();

    assertThat(events)
        .extracting(e -> e.api() + " " + e.resource() + " " + e.method() + " " + e.status())
        .containsExactly("api.v2010 SipDomains GET 503", "api.v2010 SipDomains GET 200");
    assertThat(events).allSatisfy(e -> assertThat(e.elapsed()).isPositive());
  }

  @Test
  void anUnreachableServerIsARecoverableTransportError() {
    HttpTwilioClient nowhere =
        client(
            TwilioConfig.builder(ACCOUNT, TOKEN, "http://127.0.0.1:1")
                .retries(1, Duration.ofMillis(1), Duration.ofMillis(5))
                .build());

    assertThatThrownBy(nowhere::listSourceIpMappings)
        .isInstanceOf(TwilioTransportException.class)
        .hasMessageContaining("Could not reach Twilio");
    assertThatThrownBy(() -> nowhere.createSourceIpMapping(ipRecord, domain))
        .isInstanceOf(TwilioTransportException.class);
  }
}
