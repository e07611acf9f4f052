package dev.byoc.sourceip.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.byoc.sourceip.account.AccountSnapshotTest.TestClock;
import dev.byoc.sourceip.twilio.FakeTwilioClient;
import dev.byoc.sourceip.twilio.TwilioApiException;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import dev.byoc.sourceip.twilio.TwilioTransportException;
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

class AccountSnapshotIpRecordsTest {
  final FakeTwilioClient twilio = new FakeTwilioClient();
  final AccountSnapshot snapshot = new AccountSnapshot(twilio, Clock.systemUTC());

  @Test
  void listsIpRecordsOnlyOnceAsked() {
    TwilioIpRecord r = twilio.ipRecords.put("10.0.0.1", null, null);
    snapshot.ensureLoaded();
    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));
    assertThat(twilio.lists.get()).isEqualTo(2);
    assertThat(twilio.ipRecords.lists.get()).isZero();
    assertThat(twilio.sipDomains.lists.get()).isZero();

    assertThat(snapshot.ipRecordBySid(r.sid())).contains(r);
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", 32)).contains(r);
    snapshot.ensureIpRecordsLoaded();

    assertThat(twilio.ipRecords.lists.get()).isEqualTo(1);
    assertThat(twilio.lists.get()).isEqualTo(2);
    assertThat(twilio.sipDomains.lists.get()).isZero();
  }

  @Test
  void manyReadersShareTheFirstIpRecordList() throws Exception {
    TwilioIpRecord r = twilio.ipRecords.put("10.0.0.1", 32, null);
    List<CompletableFuture<Void>> readers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      readers.add(CompletableFuture.runAsync(snapshot::ensureIpRecordsLoaded));
    }
    for (CompletableFuture<Void> reader : readers) {
      reader.get(10, TimeUnit.SECONDS);
    }

    assertThat(twilio.ipRecords.lists.get()).isEqualTo(1);
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", null)).contains(r);
  }

  @Test
  void findsAnIpRecordByAddressWithOmittedPrefixAs32() {
    TwilioIpRecord one = twilio.ipRecords.put("10.0.0.1", null, null);
    TwilioIpRecord block = twilio.ipRecords.put("10.0.1.0", 24, null);
    TwilioIpRecord explicit = twilio.ipRecords.put("10.0.2.1", 32, null);

    assertThat(snapshot.ipRecordByAddress("10.0.0.1", null)).contains(one);
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", 32)).contains(one);
    assertThat(snapshot.ipRecordByAddress("10.0.2.1", null)).contains(explicit);
    assertThat(snapshot.ipRecordByAddress("10.0.1.0", 24)).contains(block);
    assertThat(snapshot.ipRecordByAddress("10.0.1.0", null)).isEmpty();
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", 31)).isEmpty();
  }

  @Test
  void refreshesIpRecordsWithTheMappingsOnceAsked() {
    snapshot.ensureIpRecordsLoaded();
    TwilioIpRecord added = twilio.ipRecords.put("10.0.0.9", null, null); // out of band

    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));

    assertThat(twilio.ipRecords.lists.get()).isEqualTo(2);
    assertThat(twilio.lists.get()).isEqualTo(1);
    assertThat(twilio.sipDomains.lists.get()).isZero();
    assertThat(snapshot.ipRecordByAddress("10.0.0.9", null)).contains(added);

    snapshot.ensureFresherThan(Duration.ofMinutes(5)); // fresh enough: nothing listed
    assertThat(twilio.ipRecords.lists.get()).isEqualTo(2);
  }

  @Test
  void aCreateOfUnknownOutcomeIsSettledByLooking() {
    snapshot.ensureIpRecordsLoaded();
    TwilioIpRecord lost =
        twilio.ipRecords.put("10.0.0.1", null, null); // Twilio has it; we never heard
    snapshot.ipRecordCreateOutcomeUnknown("10.0.0.1", null, Instant.now());
    int lists = twilio.ipRecords.lists.get();

    snapshot.settleUnknownIpRecordCreate("10.0.0.2", null); // another address: nothing to settle
    snapshot.settleUnknownIpRecordCreate("10.0.0.1", 24); // another prefix: nothing to settle
    assertThat(twilio.ipRecords.lists.get()).isEqualTo(lists);
    snapshot.settleUnknownIpRecordCreate("10.0.0.1", 32);
    snapshot.settleUnknownIpRecordCreate("10.0.0.1", null);

    assertThat(twilio.ipRecords.lists.get()).isEqualTo(lists + 1);
    assertThat(twilio.lists.get()).isZero();
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", null)).contains(lost);
  }

  @Test
  void aRefreshAfterAnUnknownCreateListsTheIpRecordsToo() {
    snapshot.ensureLoaded(); // only the mappings so far
    TwilioIpRecord lost = twilio.ipRecords.put("10.0.0.1", null, null);
    Instant endedAt = Instant.now();
    snapshot.ipRecordCreateOutcomeUnknown("10.0.0.1", null, endedAt);

    snapshot.refreshIfOlderThan(endedAt);

    assertThat(twilio.ipRecords.lists.get()).isEqualTo(1);
    assertThat(snapshot.ipRecordBySid(lost.sid())).contains(lost);
    assertThat(twilio.ipRecords.lists.get()).isEqualTo(1);
  }

  @Test
  void aFailedLookKeepsTheIpRecordCreateUnsettled() {
    TestClock clock = new TestClock();
    AccountSnapshot s = new AccountSnapshot(twilio, clock);
    s.ensureIpRecordsLoaded();
    TwilioIpRecord lost = twilio.ipRecords.put("10.0.0.1", null, null);
    s.ipRecordCreateOutcomeUnknown("10.0.0.1", null, clock.advance(Duration.ofSeconds(1)));
    for (int i = 0; i < 3; i++) {
      twilio.ipRecords.faults.fail("list", new TwilioTransportException("spoiled", null));
    }

    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(5)); // past the failure backoff: each settle really looks
      assertThat(catchThrowable(() -> s.settleUnknownIpRecordCreate("10.0.0.1", null)))
          .isInstanceOf(TwilioTransportException.class);
    }
    clock.advance(Duration.ofSeconds(5));
    s.settleUnknownIpRecordCreate("10.0.0.1", null);

    assertThat(s.ipRecordByAddress("10.0.0.1", null)).contains(lost);
    assertThat(twilio.ipRecords.lists.get()).isEqualTo(5);
  }

  @Test
  void refusedCredentialsAreRememberedForTheIpRecordsToo() {
    snapshot.ensureLoaded();
    twilio.ipRecords.faults.fail(
        "list",
        new TwilioApiException(401, 20003, "Authenticate", null, "GET", "/v1/IpRecords", null));

    for (int i = 0; i < 10; i++) {
      assertThat(catchThrowable(() -> snapshot.ipRecordByAddress("10.0.0.1", null)))
          .isInstanceOf(TwilioApiException.class);
    }
    assertThat(catchThrowable(() -> snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1))))
        .isInstanceOf(TwilioApiException.class); // the refresh reports it; the mappings listed

    assertThat(twilio.ipRecords.lists.get()).isEqualTo(1);
    assertThat(twilio.lists.get()).isEqualTo(2);
  }

  @Test
  void writesThroughKeepTheIpRecordIndexes() {
    snapshot.ensureIpRecordsLoaded();
    TwilioIpRecord r = twilio.ipRecords.put("10.0.0.1", 32, null);
    snapshot.putIpRecord(r);
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", null)).contains(r);
    assertThat(snapshot.ipRecordBySid(r.sid())).contains(r);

    TwilioIpRecord renamed =
        new TwilioIpRecord(
            r.accountSid(), r.sid(), "edge", "10.0.0.1", 32, r.dateCreated(), Instant.now(), null);
    snapshot.putIpRecord(renamed);
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", 32)).contains(renamed);

    snapshot.removeIpRecord(r.sid());
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", 32)).isEmpty();
    assertThat(snapshot.ipRecordBySid(r.sid())).isEmpty();
    assertThat(twilio.ipRecords.lists.get()).isEqualTo(1);
  }

  @Test
  void anIpRecordWrittenWhileAListIsInFlightIsNotLostByThatList() throws Exception {
    snapshot.ensureIpRecordsLoaded();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = twilio.ipRecords.holdNextList(release);
    CompletableFuture<Void> refresh =
        CompletableFuture.runAsync(() -> snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1)));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    TwilioIpRecord created =
        twilio.ipRecords.put("10.0.0.1", null, null); // Twilio has it; the list did not
    snapshot.putIpRecord(created);
    release.countDown();
    refresh.get(10, TimeUnit.SECONDS);

    assertThat(snapshot.ipRecordByAddress("10.0.0.1", null)).contains(created);
  }

  @Test
  void aRefreshReportsTheIpRecordsThatChangedBySidAndAddress() {
    TwilioIpRecord gone = twilio.ipRecords.put("10.0.0.1", null, null);
    TwilioIpRecord kept = twilio.ipRecords.put("10.0.0.2", null, null);
    snapshot.ensureIpRecordsLoaded();
    List<Set<String>> reports = new CopyOnWriteArrayList<>();
    snapshot.addIpRecordListener(reports::add);
    List<Set<String>> mappingReports = new CopyOnWriteArrayList<>();
    snapshot.addListener(mappingReports::add);

    twilio.ipRecords.records.remove(gone.sid()); // deleted out of band
    TwilioIpRecord added = twilio.ipRecords.put("10.0.1.0", 24, null); // created out of band
    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));

    assertThat(reports)
        .containsExactly(Set.of(gone.sid(), "10.0.0.1/32", added.sid(), "10.0.1.0/24"));
    assertThat(AccountSnapshot.ipRecordKey("10.0.1.0", 24)).isEqualTo("10.0.1.0/24");
    assertThat(snapshot.ipRecordBySid(kept.sid())).contains(kept);
    assertThat(mappingReports).isEmpty();

    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));
    assertThat(reports).hasSize(1); // nothing changed: nobody is woken
  }
}
