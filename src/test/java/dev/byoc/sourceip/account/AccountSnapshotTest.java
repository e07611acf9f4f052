package dev.byoc.sourceip.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.twilio.FakeTwilioClient;
import dev.byoc.sourceip.twilio.TwilioMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AccountSnapshotTest {
  static final String IP1 = FakeTwilioClient.sid("IL", 1);
  static final String IP2 = FakeTwilioClient.sid("IL", 2);
  static final String IP3 = FakeTwilioClient.sid("IL", 3);
  static final String D1 = FakeTwilioClient.sid("SD", 1);
  static final String D2 = FakeTwilioClient.sid("SD", 2);

  final FakeTwilioClient twilio = new FakeTwilioClient();
  final AccountSnapshot snapshot = new AccountSnapshot(twilio, Clock.systemUTC());

  @Test
  void manyReadersShareTheFirstList() throws Exception {
    TwilioMapping m = twilio.put(IP1, D1);
    List<CompletableFuture<Void>> readers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      readers.add(CompletableFuture.runAsync(snapshot::ensureLoaded));
    }
    for (CompletableFuture<Void> r : readers) {
      r.get(10, TimeUnit.SECONDS);
    }

    assertThat(twilio.lists.get()).isEqualTo(1);
    assertThat(snapshot.byIpRecord(IP1)).contains(m);
    assertThat(snapshot.bySid(m.sid())).contains(m);
    assertThat(snapshot.byIpRecord(IP2)).isEmpty();
  }

  @Test
  void aWriteMadeWhileAListIsInFlightIsNotLostByThatList() throws Exception {
    snapshot.ensureLoaded();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = twilio.holdNextList(release);
    CompletableFuture<Void> refresh =
        CompletableFuture.runAsync(() -> snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1)));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    TwilioMapping created =
        twilio.createSourceIpMapping(IP1, D1); // Twilio has it; the list did not
    snapshot.put(created);
    release.countDown();
    refresh.get(10, TimeUnit.SECONDS);

    assertThat(snapshot.byIpRecord(IP1)).contains(created);
  }

  @Test
  void aRefreshReportsTheIpRecordsWhoseMappingChanged() {
    TwilioMapping a = twilio.put(IP1, D1);
    TwilioMapping b = twilio.put(IP2, D1);
    twilio.put(IP3, D1);
    snapshot.ensureLoaded();
    List<Set<String>> reports = new CopyOnWriteArrayList<>();
    snapshot.addListener(reports::add);

    twilio.mappings.remove(a.sid()); // deleted out of band
    twilio.updateSourceIpMapping(b.sid(), D2); // re-pointed out of band
    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));

    assertThat(reports).containsExactly(Set.of(IP1, IP2));
    assertThat(snapshot.byIpRecord(IP1)).isEmpty();
    assertThat(snapshot.byIpRecord(IP2).orElseThrow().sipDomainSid()).isEqualTo(D2);

    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));
    assertThat(reports).hasSize(1); // nothing changed: nobody is woken
  }

  @Test
  void freshEnoughViewsAreNotListedAgain() {
    snapshot.ensureLoaded();
    snapshot.ensureFresherThan(Duration.ofMinutes(5));
    snapshot.refreshIfOlderThan(Instant.now().minusSeconds(60));
    assertThat(twilio.lists.get()).isEqualTo(1);

    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));
    assertThat(twilio.lists.get()).isEqualTo(2);
  }

  @Test
  void refusedCredentialsAreRememberedInsteadOfAskedAgainAndAgain() {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    FakeTwilioClient refusing =
        new FakeTwilioClient() {
          @Override
          public List<TwilioMapping> listSourceIpMappings() {
            calls.incrementAndGet();
            throw new dev.byoc.sourceip.twilio.TwilioApiException(
                401, 20003, "Authenticate", null, "GET", "/v1/SourceIpMappings", null);
          }
        };
    AccountSnapshot s = new AccountSnapshot(refusing, Clock.systemUTC());

    for (int i = 0; i < 10; i++) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(s::ensureLoaded))
          .isInstanceOf(dev.byoc.sourceip.twilio.TwilioApiException.class);
    }
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void writesThroughKeepTheIndexes() {
    snapshot.ensureLoaded();
    TwilioMapping m = twilio.createSourceIpMapping(IP1, D1);
    snapshot.put(m);
    assertThat(snapshot.byIpRecord(IP1)).contains(m);

    TwilioMapping moved = twilio.updateSourceIpMapping(m.sid(), D2);
    snapshot.put(moved);
    assertThat(snapshot.byIpRecord(IP1)).contains(moved);

    snapshot.remove(m.sid());
    assertThat(snapshot.byIpRecord(IP1)).isEmpty();
    assertThat(snapshot.size()).isZero();
  }

  @Test
  void aCreateOfUnknownOutcomeIsLookedAtOnceBeforeAnyoneConcludesThereIsNone() {
    snapshot.ensureLoaded();
    TwilioMapping lost = twilio.createSourceIpMapping(IP1, D1); // Twilio has it; we never heard
    snapshot.createOutcomeUnknown(IP1, Instant.now());
    int lists = twilio.lists.get();

    snapshot.settleUnknownCreate(IP2); // another IP record: nothing to settle
    assertThat(twilio.lists.get()).isEqualTo(lists);
    snapshot.settleUnknownCreate(IP1);
    snapshot.settleUnknownCreate(IP1);

    assertThat(twilio.lists.get()).isEqualTo(lists + 1);
    assertThat(snapshot.byIpRecord(IP1)).contains(lost);
  }

  @Test
  void aFailedLookKeepsTheCreateUnsettledAndNothingIsConcluded() {
    java.util.concurrent.atomic.AtomicBoolean down =
        new java.util.concurrent.atomic.AtomicBoolean();
    FakeTwilioClient flaky =
        new FakeTwilioClient() {
          @Override
          public List<TwilioMapping> listSourceIpMappings() {
            if (down.get()) {
              throw new dev.byoc.sourceip.twilio.TwilioTransportException("spoiled", null);
            }
            return super.listSourceIpMappings();
          }
        };
    TestClock clock = new TestClock();
    AccountSnapshot s = new AccountSnapshot(flaky, clock);
    s.ensureLoaded();
    TwilioMapping lost = flaky.createSourceIpMapping(IP1, D1);
    s.createOutcomeUnknown(IP1, clock.advance(Duration.ofSeconds(1)));
    down.set(true);

    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(5)); // past the failure backoff: each settle really looks
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s.settleUnknownCreate(IP1)))
          .isInstanceOf(dev.byoc.sourceip.twilio.TwilioTransportException.class);
    }
    down.set(false);
    clock.advance(Duration.ofSeconds(5));
    s.settleUnknownCreate(IP1);

    assertThat(s.byIpRecord(IP1)).contains(lost);
  }

  @Test
  void aListThatBeganBeforeTheCreateEndedDoesNotSettleIt() throws Exception {
    TestClock clock = new TestClock();
    AccountSnapshot s = new AccountSnapshot(twilio, clock);
    s.ensureLoaded();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = twilio.holdNextList(release);
    Instant later = clock.advance(Duration.ofSeconds(1));
    CompletableFuture<Void> early = CompletableFuture.runAsync(() -> s.refreshIfOlderThan(later));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    TwilioMapping lost = twilio.createSourceIpMapping(IP1, D1); // after that list read Twilio
    s.createOutcomeUnknown(IP1, clock.advance(Duration.ofSeconds(1)));
    release.countDown();
    early.get(10, TimeUnit.SECONDS);
    assertThat(s.byIpRecord(IP1)).isEmpty();
    int lists = twilio.lists.get();

    s.settleUnknownCreate(IP1);

    assertThat(twilio.lists.get()).isEqualTo(lists + 1);
    assertThat(s.byIpRecord(IP1)).contains(lost);
  }

  /** A clock that moves only when told. */
  static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    Instant advance(Duration by) {
      now = now.plus(by);
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
