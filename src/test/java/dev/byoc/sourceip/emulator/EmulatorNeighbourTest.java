package dev.byoc.sourceip.emulator;

import static dev.byoc.sourceip.emulator.SpecValidator.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The neighbour (the account's other traffic) takes slots of the per-account concurrency limit from
 * the API and gets refused itself when the account is full, over real HTTP; API requests are held
 * in flight by the processed-request hook, not by latency, so that no test depends on timing.
 */
class EmulatorNeighbourTest {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  static final String IP_RECORDS = "/v1/IpRecords";
  static final Duration DEADLINE = Duration.ofSeconds(20);

  @RegisterExtension
  final EmulatorExtension twilio =
      EmulatorExtension.withKnownAccount().faults(FaultSettings.none().withConcurrencyLimit(10));

  TwilioEmulator emulator;
  Wire wire;
  final ExecutorService clients = Executors.newCachedThreadPool();

  @BeforeEach
  void connect() {
    emulator = twilio.emulator();
    wire = new Wire(emulator.baseUrl(), ACCOUNT, TOKEN);
  }

  @AfterEach
  void disconnect() {
    emulator.onProcessed(null);
    clients.shutdownNow();
    wire.close();
  }

  /** Holds the first {@code count} processed API requests in flight until released. */
  final class Holder {
    final AtomicInteger seen = new AtomicInteger();
    final Semaphore arrived = new Semaphore(0);
    final CountDownLatch release = new CountDownLatch(1);
    final List<Future<Wire.Answer>> held = new ArrayList<>();

    Holder hold(int count) throws InterruptedException {
      emulator.onProcessed(
          request -> {
            if (seen.incrementAndGet() <= count) {
              arrived.release();
              try {
                release.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      for (int i = 0; i < count; i++) {
        held.add(clients.submit(() -> wire.get(IP_RECORDS)));
      }
      assertThat(arrived.tryAcquire(count, DEADLINE.toSeconds(), TimeUnit.SECONDS))
          .as("%d requests held in flight", count)
          .isTrue();
      return this;
    }

    List<Integer> release() throws Exception {
      release.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Wire.Answer> f : held) {
        statuses.add(f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).status());
      }
      return statuses;
    }
  }

  @Test
  void aNeighbourHoldingKSlotsLeavesCMinusKForTheApi() throws Exception {
    emulator.neighbour().update(NeighbourSettings.constant(6, 0));
    assertThat(emulator.neighbour().heldSlots()).isEqualTo(6);

    Holder four = new Holder().hold(4);
    Wire.Answer fifth = wire.get(IP_RECORDS);
    List<Integer> held = four.release();

    error(fifth, 429, 20429);
    assertThat(held).containsOnly(200);
    assertThat(emulator.counters().faults()).containsEntry("concurrency-429", 1L);

    emulator.neighbour().update(NeighbourSettings.off());
    Holder nine = new Holder().hold(9);
    Wire.Answer tenth = wire.get(IP_RECORDS);
    assertThat(nine.release()).containsOnly(200);
    assertThat(tenth.status()).as("without the neighbour all C slots are the API's").isEqualTo(200);
  }

  @Test
  void theNeighboursRefusedRequestsAreCountedApart() throws Exception {
    emulator.faults().update(FaultSettings.none().withConcurrencyLimit(2));
    NeighbourCounters neighbour = emulator.neighbourCounters();
    Holder two = new Holder().hold(2); // the API fills the account
    emulator.neighbour().update(NeighbourSettings.constant(0, 100));

    await().atMost(DEADLINE).until(() -> neighbour.refused(ACCOUNT) >= 3);
    assertThat(neighbour.served(ACCOUNT)).isZero();
    assertThat(two.release()).containsOnly(200);
    await().atMost(DEADLINE).until(() -> neighbour.served(ACCOUNT) >= 1);

    emulator.neighbour().update(NeighbourSettings.off());
    long attempted = neighbour.attempted(ACCOUNT);
    assertThat(attempted)
        .isEqualTo(neighbour.served(ACCOUNT) + neighbour.refused(ACCOUNT))
        .isEqualTo(neighbour.attempted());
    assertThat(emulator.counters().total())
        .as("the API's counts hold API requests only")
        .isEqualTo(2);
    assertThat(emulator.counters().count("GET", IP_RECORDS, 429)).isZero();
    assertThat(emulator.counters().faults()).isEmpty();

    JsonNode admin = wire.admin("GET", "/_emulator/neighbour", null).json();
    assertThat(admin.at("/counters/attempted").asLong()).isEqualTo(attempted);
    assertThat(admin.at("/counters/refused").asLong()).isEqualTo(neighbour.refused());
    assertThat(admin.at("/counters/byAccount/" + ACCOUNT + "/served").asLong())
        .isEqualTo(neighbour.served());
    JsonNode counters = wire.admin("GET", "/_emulator/counters", null).json();
    assertThat(counters.at("/neighbour/attempted").asLong()).isEqualTo(attempted);

    assertThat(wire.admin("DELETE", "/_emulator/counters", null).status()).isEqualTo(204);
    assertThat(neighbour.attempted()).isZero();
    assertThat(neighbour.refused(ACCOUNT)).isZero();
  }

  @Test
  void burstsHoldTheSlotsOnlyDuringABurst() throws Exception {
    emulator.neighbour().update(NeighbourSettings.bursts(10, 150, 300, 0));
    Set<Integer> statuses = new HashSet<>();
    Set<Integer> heldSlots = new HashSet<>();
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              heldSlots.add(emulator.neighbour().heldSlots());
              Wire.Answer answer = wire.get(IP_RECORDS);
              if (answer.status() == 429) {
                error(answer, 429, 20429);
              }
              statuses.add(answer.status());
              return statuses.containsAll(Set.of(200, 429)) && heldSlots.size() == 2;
            });
    assertThat(statuses).containsOnly(200, 429);
    assertThat(heldSlots).containsOnly(0, 10);
  }

  @Test
  void theNeighbourIsOffByDefault() throws Exception {
    assertThat(emulator.neighbour().settings()).isEqualTo(NeighbourSettings.off());
    assertThat(emulator.neighbour().heldSlots()).isZero();
    Holder nine = new Holder().hold(9);
    Wire.Answer tenth = wire.get(IP_RECORDS);
    assertThat(nine.release()).containsOnly(200);
    assertThat(tenth.status()).isEqualTo(200);

    JsonNode admin = wire.admin("GET", "/_emulator/neighbour", null).json();
    assertThat(admin.at("/settings/slots").asInt()).isZero();
    assertThat(admin.at("/settings/mode").asText()).isEqualTo("constant");
    assertThat(admin.at("/settings/requestsPerSecond").asDouble()).isZero();
    assertThat(admin.at("/heldSlots").asInt()).isZero();
    assertThat(admin.at("/counters/attempted").asLong()).isZero();
    assertThat(emulator.neighbourCounters().attempted()).isZero();
  }

  @Test
  void adminPutConfiguresTheNeighbourAndRejectsBadInput() throws IOException {
    Wire.Answer put =
        wire.admin(
            "PUT",
            "/_emulator/neighbour",
            "{\"slots\":6,\"mode\":\"bursts\",\"burstMs\":100,\"periodMs\":1000,"
                + "\"requestsPerSecond\":20}");
    assertThat(put.status()).isEqualTo(200);
    assertThat(emulator.neighbour().settings())
        .isEqualTo(NeighbourSettings.bursts(6, 100, 1000, 20));
    assertThat(put.json().at("/settings/mode").asText()).isEqualTo("bursts");

    for (String bad :
        List.of(
            "{\"slots\":11}",
            "{\"slots\":-1}",
            "{\"slots\":2,\"requestsPerSecond\":-5}",
            "{\"slots\":2,\"mode\":\"bursts\",\"burstMs\":-1,\"periodMs\":10}",
            "{\"slots\":2,\"mode\":\"bursts\",\"burstMs\":100}",
            "{\"slots\":2,\"mode\":\"bursts\",\"burstMs\":200,\"periodMs\":100}",
            "{\"slots\":2,\"mode\":\"sometimes\"}",
            "{\"slots\":\"six\"}",
            "{\"slotz\":2}",
            "[6]",
            "")) {
      Wire.Answer answer = wire.admin("PUT", "/_emulator/neighbour", bad);
      assertThat(answer.status()).as(bad).isEqualTo(400);
      assertThat(answer.json().get("message").asText()).as(bad).isNotBlank();
    }
    assertThat(emulator.neighbour().settings())
        .as("a refused PUT changes nothing")
        .isEqualTo(NeighbourSettings.bursts(6, 100, 1000, 20));

    assertThat(wire.admin("PUT", "/_emulator/neighbour", "{\"slots\":10}").status())
        .as("all C slots may be held")
        .isEqualTo(200);
    assertThat(emulator.neighbour().settings()).isEqualTo(NeighbourSettings.constant(10, 0));
    assertThat(wire.admin("POST", "/_emulator/neighbour", "{}").status()).isEqualTo(405);
    assertThat(wire.admin("DELETE", "/_emulator/neighbour", null).status()).isEqualTo(204);
    assertThat(emulator.neighbour().settings()).isEqualTo(NeighbourSettings.off());
  }

  @Test
  void theBuilderRefusesMoreSlotsThanTheLimit() {
    TwilioEmulator.Builder builder =
        TwilioEmulator.builder()
            .faults(FaultSettings.none().withConcurrencyLimit(4))
            .neighbour(NeighbourSettings.constant(5, 0));
    org.assertj.core.api.Assertions.assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("neighbour slots 5 exceed the concurrency limit 4");
  }
}
