package dev.byoc.sourceip.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many clients at once: writes stay consistent and the one-mapping-per-IP-record rule holds. */
class EmulatorConcurrencyTest {
  @RegisterExtension final EmulatorExtension twilio = EmulatorExtension.withKnownAccount();

  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;

  @Test
  void parallelCreatesAndARaceForOneIpRecord() throws Exception {
    TwilioEmulator emulator = twilio.emulator();
    Wire wire = new Wire(emulator.baseUrl(), ACCOUNT, TOKEN);
    String domain = emulator.createSipDomain(ACCOUNT, "race.sip.twilio.com");
    String contested = emulator.createIpRecord(ACCOUNT, "10.9.0.1", 32, null);
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Integer>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                go.await();
                List<Integer> statuses = new ArrayList<>();
                statuses.add(
                    wire.post(
                            "/v1/SourceIpMappings",
                            "IpRecordSid",
                            contested,
                            "SipDomainSid",
                            domain)
                        .status());
                for (int i = 0; i < perThread; i++) {
                  String ip =
                      wire.post("/v1/IpRecords", "IpAddress", "10.1." + thread + "." + (i + 1))
                          .json()
                          .get("sid")
                          .asText();
                  assertThat(
                          wire.post(
                                  "/v1/SourceIpMappings", "IpRecordSid", ip, "SipDomainSid", domain)
                              .status())
                      .isEqualTo(201);
                }
                return statuses;
              }));
    }
    go.countDown();
    List<Integer> contestedStatuses = new ArrayList<>();
    for (Future<List<Integer>> f : futures) {
      contestedStatuses.addAll(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdownNow();
    wire.close();

    assertThat(contestedStatuses).containsOnlyOnce(201).hasSize(threads);
    assertThat(contestedStatuses.stream().filter(s -> s == 400)).hasSize(threads - 1);
    assertThat(emulator.mappingCount(ACCOUNT)).isEqualTo(threads * perThread + 1);
    assertThat(emulator.ipRecordCount(ACCOUNT)).isEqualTo(threads * perThread + 1);
    assertThat(emulator.counters().total()).isEqualTo(threads * (2L * perThread + 1));
    assertThat(emulator.counters().maxInFlight(ACCOUNT)).isBetween(1, threads);
  }
}
