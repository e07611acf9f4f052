package dev.byoc.sourceip.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.twilio.FakeTwilioClient;
import dev.byoc.sourceip.twilio.TwilioApiException;
import dev.byoc.sourceip.twilio.TwilioMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
  void anUnknownCreateIsSettledByAListBeforeAbsenceCountsEvenWhenTheFirstListFails() {
    Instant[] now = {Instant.parse("2026-11-30T00:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    AccountSnapshot snapshot = new AccountSnapshot(twilio, clock);
    snapshot.ensureLoaded();
    snapshot.settleUnknownCreate(IP1); // no doubt: no list
    assertThat(twilio.lists.get()).isEqualTo(1);

    // the create reached Twilio, its answer did not reach us, and the list that would tell fails
    TwilioMapping lost = twilio.put(IP1, D1);
    now[0] = now[0].plusSeconds(1);
    snapshot.createOutcomeUnknown(IP1);
    twilio.failingLists.set(1);
    assertThatThrownBy(() -> snapshot.settleUnknownCreate(IP1))
        .isInstanceOf(TwilioApiException.class);
    assertThat(snapshot.byIpRecord(IP1)).isEmpty(); // stale, and known to be: the doubt stays

    now[0] = now[0].plus(AccountSnapshot.FAILURE_BACKOFF).plusSeconds(1);
    snapshot.settleUnknownCreate(IP1);
    assertThat(snapshot.byIpRecord(IP1)).contains(lost);
    int lists = twilio.lists.get();
    snapshot.settleUnknownCreate(IP1); // settled: no further list
    assertThat(twilio.lists.get()).isEqualTo(lists);
  }

  @Test
  void aListThatBeganAfterTheDoubtSettlesItAndAWriteThroughDoesToo() {
    snapshot.ensureLoaded();
    snapshot.createOutcomeUnknown(IP1);
    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1)); // e.g. the resync list
    int lists = twilio.lists.get();
    snapshot.settleUnknownCreate(IP1);
    assertThat(twilio.lists.get()).isEqualTo(lists);

    snapshot.createOutcomeUnknown(IP2);
    snapshot.put(twilio.put(IP2, D2)); // adopted or created: the outcome is known
    snapshot.settleUnknownCreate(IP2);
    assertThat(twilio.lists.get()).isEqualTo(lists);
  }
}
