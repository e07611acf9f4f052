package dev.byoc.sourceip.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.byoc.sourceip.account.AccountSnapshotTest.TestClock;
import dev.byoc.sourceip.twilio.IpRecord;
import dev.byoc.sourceip.twilio.TwilioApiException;
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
  final ListingTwilio twilio = new ListingTwilio();
  final AccountSnapshot snapshot = new AccountSnapshot(twilio, Clock.systemUTC());

  @Test
  void listsIpRecordsOnlyOnceAsked() {
    IpRecord r = twilio.putIpRecord("10.0.0.1", null);
    snapshot.ensureLoaded();
    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));
    assertThat(twilio.mappingLists.get()).isEqualTo(2);
    assertThat(twilio.ipRecordLists.get()).isZero();
    assertThat(twilio.sipDomainLists.get()).isZero();

    assertThat(snapshot.ipRecordBySid(r.sid())).contains(r);
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", 32)).contains(r);
    snapshot.ensureIpRecordsLoaded();

    assertThat(twilio.ipRecordLists.get()).isEqualTo(1);
    assertThat(twilio.mappingLists.get()).isEqualTo(2);
    assertThat(twilio.sipDomainLists.get()).isZero();
  }

  @Test
  void manyReadersShareTheFirstIpRecordList() throws Exception {
    IpRecord r = twilio.putIpRecord("10.0.0.1", 32);
    List<CompletableFuture<Void>> readers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      readers.add(CompletableFuture.runAsync(snapshot::ensureIpRecordsLoaded));
    }
    for (CompletableFuture<Void> reader : readers) {
      reader.get(10, TimeUnit.SECONDS);
    }

    assertThat(twilio.ipRecordLists.get()).isEqualTo(1);
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", null)).contains(r);
  }

  @Test
  void findsAnIpRecordByAddressWithOmittedPrefixAs32() {
    IpRecord one = twilio.putIpRecord("10.0.0.1", null);
    IpRecord block = twilio.putIpRecord("10.0.1.0", 24);
    IpRecord explicit = twilio.putIpRecord("10.0.2.1", 32);

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
    IpRecord added = twilio.putIpRecord("10.0.0.9", null); // out of band

    snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1));

    assertThat(twilio.ipRecordLists.get()).isEqualTo(2);
    assertThat(twilio.mappingLists.get()).isEqualTo(1);
    assertThat(twilio.sipDomainLists.get()).isZero();
    assertThat(snapshot.ipRecordByAddress("10.0.0.9", null)).contains(added);

    snapshot.ensureFresherThan(Duration.ofMinutes(5)); // fresh enough: nothing listed
    assertThat(twilio.ipRecordLists.get()).isEqualTo(2);
  }

  @Test
  void aCreateOfUnknownOutcomeIsSettledByLooking() {
    snapshot.ensureIpRecordsLoaded();
    IpRecord lost = twilio.putIpRecord("10.0.0.1", null); // Twilio has it; we never heard
    snapshot.ipRecordCreateOutcomeUnknown("10.0.0.1", null, Instant.now());
    int lists = twilio.ipRecordLists.get();

    snapshot.settleUnknownIpRecordCreate("10.0.0.2", null); // another address: nothing to settle
    snapshot.settleUnknownIpRecordCreate("10.0.0.1", 24); // another prefix: nothing to settle
    assertThat(twilio.ipRecordLists.get()).isEqualTo(lists);
    snapshot.settleUnknownIpRecordCreate("10.0.0.1", 32);
    snapshot.settleUnknownIpRecordCreate("10.0.0.1", null);

    assertThat(twilio.ipRecordLists.get()).isEqualTo(lists + 1);
    assertThat(twilio.mappingLists.get()).isZero();
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", null)).contains(lost);
  }

  @Test
  void aRefreshAfterAnUnknownCreateListsTheIpRecordsToo() {
    snapshot.ensureLoaded(); // only the mappings so far
    IpRecord lost = twilio.putIpRecord("10.0.0.1", null);
    Instant endedAt = Instant.now();
    snapshot.ipRecordCreateOutcomeUnknown("10.0.0.1", null, endedAt);

    snapshot.refreshIfOlderThan(endedAt);

    assertThat(twilio.ipRecordLists.get()).isEqualTo(1);
    assertThat(snapshot.ipRecordBySid(lost.sid())).contains(lost);
    assertThat(twilio.ipRecordLists.get()).isEqualTo(1);
  }

  @Test
  void aFailedLookKeepsTheIpRecordCreateUnsettled() {
    TestClock clock = new TestClock();
    AccountSnapshot s = new AccountSnapshot(twilio, clock);
    s.ensureIpRecordsLoaded();
    IpRecord lost = twilio.putIpRecord("10.0.0.1", null);
    s.ipRecordCreateOutcomeUnknown("10.0.0.1", null, clock.advance(Duration.ofSeconds(1)));
    twilio.ipRecordFailure = () -> new TwilioTransportException("spoiled", null);

    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(5)); // past the failure backoff: each settle really looks
      assertThat(catchThrowable(() -> s.settleUnknownIpRecordCreate("10.0.0.1", null)))
          .isInstanceOf(TwilioTransportException.class);
    }
    twilio.ipRecordFailure = null;
    clock.advance(Duration.ofSeconds(5));
    s.settleUnknownIpRecordCreate("10.0.0.1", null);

    assertThat(s.ipRecordByAddress("10.0.0.1", null)).contains(lost);
    assertThat(twilio.ipRecordLists.get()).isEqualTo(5);
  }

  @Test
  void refusedCredentialsAreRememberedForTheIpRecordsToo() {
    snapshot.ensureLoaded();
    twilio.ipRecordFailure =
        () ->
            new TwilioApiException(401, 20003, "Authenticate", null, "GET", "/v1/IpRecords", null);

    for (int i = 0; i < 10; i++) {
      assertThat(catchThrowable(() -> snapshot.ipRecordByAddress("10.0.0.1", null)))
          .isInstanceOf(TwilioApiException.class);
    }
    assertThat(catchThrowable(() -> snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1))))
        .isInstanceOf(TwilioApiException.class); // the refresh reports it; the mappings listed

    assertThat(twilio.ipRecordLists.get()).isEqualTo(1);
    assertThat(twilio.mappingLists.get()).isEqualTo(2);
  }

  @Test
  void writesThroughKeepTheIpRecordIndexes() {
    snapshot.ensureIpRecordsLoaded();
    IpRecord r = twilio.putIpRecord("10.0.0.1", 32);
    snapshot.putIpRecord(r);
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", null)).contains(r);
    assertThat(snapshot.ipRecordBySid(r.sid())).contains(r);

    IpRecord renamed =
        new IpRecord(
            r.accountSid(), r.sid(), "edge", "10.0.0.1", 32, r.dateCreated(), Instant.now(), null);
    snapshot.putIpRecord(renamed);
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", 32)).contains(renamed);

    snapshot.removeIpRecord(r.sid());
    assertThat(snapshot.ipRecordByAddress("10.0.0.1", 32)).isEmpty();
    assertThat(snapshot.ipRecordBySid(r.sid())).isEmpty();
    assertThat(twilio.ipRecordLists.get()).isEqualTo(1);
  }

  @Test
  void anIpRecordWrittenWhileAListIsInFlightIsNotLostByThatList() throws Exception {
    snapshot.ensureIpRecordsLoaded();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = twilio.holdNextIpRecordList(release);
    CompletableFuture<Void> refresh =
        CompletableFuture.runAsync(() -> snapshot.refreshIfOlderThan(Instant.now().plusSeconds(1)));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    IpRecord created = twilio.putIpRecord("10.0.0.1", null); // Twilio has it; the list did not
    snapshot.putIpRecord(created);
    release.countDown();
    refresh.get(10, TimeUnit.SECONDS);

    assertThat(snapshot.ipRecordByAddress("10.0.0.1", null)).contains(created);
  }

  @Test
  void aRefreshReportsTheIpRecordsThatChangedBySidAndAddress() {
    IpRecord gone = twilio.putIpRecord("10.0.0.1", null);
    IpRecord kept = twilio.putIpRecord("10.0.0.2", null);
    snapshot.ensureIpRecordsLoaded();
    List<Set<String>> reports = new CopyOnWriteArrayList<>();
    snapshot.addIpRecordListener(reports::add);
    List<Set<String>> mappingReports = new CopyOnWriteArrayList<>();
    snapshot.addListener(mappingReports::add);

    twilio.ipRecords.remove(gone.sid()); // deleted out of band
    IpRecord added = twilio.putIpRecord("10.0.1.0", 24); // created out of band
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
