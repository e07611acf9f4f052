package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountKey;
import dev.byoc.sourceip.account.AccountSnapshot;
import dev.byoc.sourceip.account.Claims;
import dev.byoc.sourceip.api.v1alpha1.EventReasons;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.IpRecordStatus;
import dev.byoc.sourceip.api.v1alpha1.PruneMode;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import dev.byoc.sourceip.twilio.FakeSourceIpMappings;
import dev.byoc.sourceip.twilio.FakeTwilioClient;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrunerTest {
  static final Duration GRACE = Duration.ofHours(1);
  static final Duration INTERVAL = Duration.ofMinutes(10);

  final TestClock clock = new TestClock();
  final FakeTwilioClient twilio = new FakeTwilioClient();
  final Account account =
      new Account(FakeTwilioClient.ACCOUNT, twilio, new AccountSnapshot(twilio, clock));
  final Pruner pruner = new Pruner(clock);
  final RecordedEvents events = new RecordedEvents();
  final AccountKey key = AccountKey.namespaced("team", "default");
  final TwilioAccount object = new TwilioAccount();
  final List<SourceIpMapping> mappings = new ArrayList<>();
  final List<IpRecord> ipRecords = new ArrayList<>();

  TwilioIpRecord claimedRecord;
  TwilioIpRecord unclaimedRecord;
  TwilioMapping claimedMapping;
  TwilioMapping unclaimedMapping;

  @BeforeEach
  void seed() {
    object.setMetadata(new ObjectMetaBuilder().withName("default").withNamespace("team").build());
  }

  /** Two IP records, each with a mapping; a resource claims one mapping, hence its IP record. */
  void seedOneClaimedOneNot() {
    claimedRecord = twilio.ipRecords.put("10.0.0.1", 32, null);
    unclaimedRecord = twilio.ipRecords.put("10.0.0.2", 32, null);
    claimedMapping = twilio.put(claimedRecord.sid(), sd());
    unclaimedMapping = twilio.put(unclaimedRecord.sid(), sd());
    mappings.add(claiming(claimedMapping.sid()));
  }

  @Test
  void offDoesNothingAndForgetsWhatItSaw() {
    seedOneClaimedOneNot();
    round(rules(PruneMode.Report, 100));
    events.clear();

    Pruner.Round off = round(rules(PruneMode.Off, 100));
    clock.advance(GRACE.plusMinutes(1));
    Pruner.Round offLater = round(rules(PruneMode.Off, 100));

    assertThat(off.unclaimed()).isNull();
    assertThat(offLater.deleted()).isEmpty();
    assertThat(events.all).isEmpty();
    assertThat(twilio.deletes.get() + twilio.ipRecords.deletes.get()).isZero();

    // back on: the objects are new to it, reported again and waited for again
    Pruner.Round delete = round(rules(PruneMode.Delete, 100));
    assertThat(events.reasons()).containsExactly(EventReasons.UNCLAIMED, EventReasons.UNCLAIMED);
    assertThat(delete.deleted()).isEmpty();
  }

  @Test
  void reportNamesExactlyTheUnclaimedWithOneEventEachAndDeletesNothing() {
    seedOneClaimedOneNot();
    TwilioIpRecord declared = twilio.ipRecords.put("10.0.0.3", null, null);
    ipRecords.add(ipRecordAt("10.0.0.3"));

    Pruner.Round first = round(rules(PruneMode.Report, 100));

    assertThat(first.unclaimed()).containsExactly(unclaimedMapping.sid(), unclaimedRecord.sid());
    assertThat(first.deleted()).isEmpty();
    assertThat(events.all)
        .extracting(RecordedEvents.Recorded::reason, RecordedEvents.Recorded::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(EventReasons.UNCLAIMED, "Normal"),
            org.assertj.core.groups.Tuple.tuple(EventReasons.UNCLAIMED, "Normal"));
    assertThat(events.all.get(0).message()).contains(unclaimedMapping.sid());
    assertThat(events.all.get(1).message()).contains(unclaimedRecord.sid());
    assertThat(events.all).noneMatch(e -> e.message().contains(declared.sid()));

    events.clear();
    clock.advance(GRACE.multipliedBy(3));
    Pruner.Round later = round(rules(PruneMode.Report, 100));

    assertThat(later.unclaimed()).containsExactly(unclaimedMapping.sid(), unclaimedRecord.sid());
    assertThat(later.deleted()).isEmpty();
    assertThat(events.all).isEmpty();
    assertThat(twilio.deletes.get()).isZero();
    assertThat(twilio.ipRecords.deletes.get()).isZero();
    assertThat(twilio.mappings).hasSize(2);
    assertThat(twilio.ipRecords.records).hasSize(3);
  }

  @Test
  void deleteRemovesExactlyTheUnclaimedOnlyOnceTheGracePeriodIsOver() {
    seedOneClaimedOneNot();

    Pruner.Round first = round(rules(PruneMode.Delete, 100));
    clock.advance(GRACE.minusSeconds(1));
    Pruner.Round justBefore = round(rules(PruneMode.Delete, 100));

    assertThat(first.deleted()).isEmpty();
    assertThat(justBefore.deleted()).isEmpty();
    assertThat(justBefore.unclaimed())
        .containsExactly(unclaimedMapping.sid(), unclaimedRecord.sid());
    assertThat(twilio.deletes.get() + twilio.ipRecords.deletes.get()).isZero();
    assertThat(events.reasons()).doesNotContain(EventReasons.PRUNED);

    clock.advance(Duration.ofSeconds(1));
    Pruner.Round due = round(rules(PruneMode.Delete, 100));

    assertThat(due.deleted()).containsExactly(unclaimedMapping.sid(), unclaimedRecord.sid());
    assertThat(due.unclaimed()).isEmpty();
    assertThat(due.held()).isNull();
    assertThat(twilio.mappings).containsOnlyKeys(claimedMapping.sid());
    assertThat(twilio.ipRecords.records).containsOnlyKeys(claimedRecord.sid());
    assertThat(events.all)
        .filteredOn(e -> e.reason().equals(EventReasons.PRUNED))
        .extracting(RecordedEvents.Recorded::message)
        .satisfiesExactly(
            m -> assertThat(m).contains(unclaimedMapping.sid()),
            m -> assertThat(m).contains(unclaimedRecord.sid()));
  }

  @Test
  void theGracePeriodCountsFromWhenTheObjectBecameUnclaimed() {
    seedOneClaimedOneNot();
    round(rules(PruneMode.Delete, 100));
    clock.advance(GRACE.minusMinutes(1));
    mappings.clear(); // the claiming resource goes: its mapping and IP record become unclaimed
    round(rules(PruneMode.Delete, 100));

    clock.advance(Duration.ofMinutes(1));
    Pruner.Round round = round(rules(PruneMode.Delete, 100));

    assertThat(round.deleted()).containsExactly(unclaimedMapping.sid(), unclaimedRecord.sid());
    assertThat(twilio.mappings).containsOnlyKeys(claimedMapping.sid());
  }

  @Test
  void aResourceThatClaimsAnObjectAfterTheListSavesIt() {
    seedOneClaimedOneNot();
    round(rules(PruneMode.Delete, 100));
    clock.advance(GRACE);
    list();
    // the first look (the list's) sees no claim; the resource appears before the delete
    AtomicInteger asked = new AtomicInteger();
    SourceIpMapping late = claiming(unclaimedMapping.sid());
    Supplier<Claims> claims =
        () ->
            asked.getAndIncrement() == 0
                ? Claims.of(mappings, ipRecords)
                : Claims.of(List.of(mappings.get(0), late), ipRecords);

    Pruner.Round round =
        pruner.round(key, object, account, rules(PruneMode.Delete, 100), claims, events);

    assertThat(round.deleted()).isEmpty();
    assertThat(twilio.mappings).hasSize(2);
    assertThat(twilio.ipRecords.records).hasSize(2);
    assertThat(twilio.deletes.get() + twilio.ipRecords.deletes.get()).isZero();
  }

  @Test
  void aStaleListHoldsEveryDeleteWithAWarning() {
    seedOneClaimedOneNot();
    round(rules(PruneMode.Delete, 100));
    clock.advance(GRACE.plus(INTERVAL)); // no list since

    Pruner.Round stale =
        pruner.round(key, object, account, rules(PruneMode.Delete, 100), this::claims, events);

    assertThat(stale.deleted()).isEmpty();
    assertThat(stale.held()).contains("older than one resync interval");
    assertThat(twilio.deletes.get() + twilio.ipRecords.deletes.get()).isZero();
    assertThat(events.all)
        .filteredOn(e -> e.reason().equals(EventReasons.PRUNE_HELD))
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo("Warning"));

    Pruner.Round fresh = round(rules(PruneMode.Delete, 100));

    assertThat(fresh.deleted()).containsExactly(unclaimedMapping.sid(), unclaimedRecord.sid());
  }

  @Test
  void anOperatorThatSeesOnlySomeResourcesReportsButNeverDeletes() {
    seedOneClaimedOneNot();
    Pruner.Rules partial =
        new Pruner.Rules(PruneMode.Delete, GRACE, 100, INTERVAL, "this operator sees only ...");
    round(partial);
    clock.advance(GRACE);

    Pruner.Round held = round(partial);

    assertThat(held.unclaimed()).containsExactly(unclaimedMapping.sid(), unclaimedRecord.sid());
    assertThat(held.deleted()).isEmpty();
    assertThat(held.held()).contains("this operator sees only");
    assertThat(twilio.deletes.get() + twilio.ipRecords.deletes.get()).isZero();
  }

  @Test
  void anOperatorWatchingSomeNamespacesOrLabelsSaysWhyItCannotPrune() {
    var some =
        new dev.byoc.sourceip.config.OperatorConfig(
            java.util.Set.of("b", "a"),
            Duration.ofMinutes(5),
            20,
            dev.byoc.sourceip.config.TwilioConfig.builder(
                    "AC" + "1".repeat(32), "t", "http://127.0.0.1:1")
                .build());
    var all =
        new dev.byoc.sourceip.config.OperatorConfig(
            java.util.Set.of(), Duration.ofMinutes(5), 20, some.twilio());

    assertThat(dev.byoc.sourceip.SourceIpOperator.partialView(all)).isNull();
    assertThat(dev.byoc.sourceip.SourceIpOperator.partialView(some))
        .startsWith("this operator sees only namespaces a, b,");
  }

  @Test
  void aListOfExactlyOneIntervalAgoIsStillFreshEnough() {
    seedOneClaimedOneNot();
    round(rules(PruneMode.Delete, 100));
    clock.advance(GRACE);
    list();
    clock.advance(INTERVAL);

    Pruner.Round round =
        pruner.round(key, object, account, rules(PruneMode.Delete, 100), this::claims, events);

    assertThat(round.deleted()).hasSize(2);
  }

  @Test
  void deletesAtMostTheSharePerIntervalAndTheRestInTheNext() {
    IntStream.range(0, 100).forEach(i -> twilio.put(FakeSourceIpMappings.sid("IL", i), sd()));
    round(rules(PruneMode.Delete, 10));
    clock.advance(GRACE);

    Pruner.Round first = round(rules(PruneMode.Delete, 10));

    assertThat(first.deleted()).hasSize(10);
    assertThat(first.unclaimed()).hasSize(90);
    assertThat(first.held()).contains("90 unclaimed").contains("10%");
    assertThat(twilio.mappings).hasSize(90);
    assertThat(events.reasons()).filteredOn(EventReasons.PRUNED::equals).hasSize(10);
    assertThat(events.all.get(events.all.size() - 1).type()).isEqualTo("Warning");
    assertThat(events.all.get(events.all.size() - 1).reason()).isEqualTo(EventReasons.PRUNE_HELD);

    clock.advance(INTERVAL.minusSeconds(1));
    Pruner.Round sameInterval = round(rules(PruneMode.Delete, 10));

    assertThat(sameInterval.deleted()).isEmpty();
    assertThat(sameInterval.held()).contains("90 unclaimed");
    assertThat(twilio.mappings).hasSize(90);

    clock.advance(Duration.ofSeconds(1));
    Pruner.Round next = round(rules(PruneMode.Delete, 10));

    // 10% of the 90 the account now holds
    assertThat(next.deleted()).hasSize(9);
    assertThat(twilio.mappings).hasSize(81);
    assertThat(twilio.deletes.get()).isEqualTo(19);
  }

  @Test
  void deletesDoneBeforeAFailedDeleteStillCountAgainstTheShare() {
    FakeTwilioClient failing =
        new FakeTwilioClient() {
          @Override
          public void deleteSourceIpMapping(String sid) {
            if (deletes.get() == 4) { // the fifth delete fails: Twilio is unavailable
              deletes.incrementAndGet();
              throw dev.byoc.sourceip.twilio.FakeFaults.unavailable("/v1/SourceIpMappings/" + sid);
            }
            super.deleteSourceIpMapping(sid);
          }
        };
    Account flaky =
        new Account(FakeTwilioClient.ACCOUNT, failing, new AccountSnapshot(failing, clock));
    IntStream.range(0, 100).forEach(i -> failing.put(FakeSourceIpMappings.sid("IL", i), sd()));
    Supplier<Pruner.Round> round =
        () -> {
          flaky.snapshot().ensureIpRecordsLoaded();
          flaky.snapshot().refreshIfOlderThan(clock.instant());
          return pruner.round(
              key, object, flaky, rules(PruneMode.Delete, 10), this::claims, events);
        };
    round.get();
    clock.advance(GRACE);

    Throwable failed = org.assertj.core.api.Assertions.catchThrowable(round::get);
    assertThat(failed).isNotNull();
    assertThat(failing.mappings).hasSize(96);

    clock.advance(Duration.ofSeconds(10)); // the retry, in the same interval
    Pruner.Round retry = round.get();

    assertThat(retry.deleted()).hasSize(6);
    assertThat(failing.mappings).hasSize(90);
    assertThat(round.get().deleted()).isEmpty();
  }

  @Test
  void theShareIsAtLeastOneObject() {
    assertThat(Pruner.budget(5, 10)).isEqualTo(1);
    assertThat(Pruner.budget(0, 10)).isEqualTo(1);
    assertThat(Pruner.budget(100, 10)).isEqualTo(10);
    assertThat(Pruner.budget(100, 100)).isEqualTo(100);
  }

  @Test
  void anIpRecordInUseAtTwilioWaitsUntilItsMappingIsGone() {
    // 20 IP records, 18 declared by IpRecords (claimed): the IP record budget is 2 at 10%
    List<TwilioIpRecord> records = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      records.add(twilio.ipRecords.put("10.0.0." + i, 32, null));
      if (i > 2) {
        ipRecords.add(ipRecordAt("10.0.0." + i));
      }
    }
    // two unclaimed mappings use the two unclaimed IP records: one mapping delete per interval
    TwilioMapping first = twilio.put(records.get(0).sid(), sd());
    TwilioMapping second = twilio.put(records.get(1).sid(), sd());
    round(rules(PruneMode.Delete, 10));
    clock.advance(GRACE);

    Pruner.Round round = round(rules(PruneMode.Delete, 10));

    assertThat(round.deleted()).containsExactly(first.sid(), records.get(0).sid());
    assertThat(twilio.mappings).containsOnlyKeys(second.sid());
    assertThat(twilio.ipRecords.records).containsKey(records.get(1).sid()).hasSize(19);

    clock.advance(INTERVAL);
    Pruner.Round next = round(rules(PruneMode.Delete, 10));

    assertThat(next.deleted()).containsExactly(second.sid(), records.get(1).sid());
    assertThat(twilio.mappings).isEmpty();
    assertThat(twilio.ipRecords.records).hasSize(18);
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** A round as the account reconciler runs it: after a fresh list of both kinds. */
  Pruner.Round round(Pruner.Rules rules) {
    if (rules.mode() != PruneMode.Off) {
      list();
    }
    return pruner.round(key, object, account, rules, this::claims, events);
  }

  void list() {
    account.snapshot().ensureIpRecordsLoaded();
    account.snapshot().refreshIfOlderThan(clock.instant());
  }

  Claims claims() {
    return Claims.of(mappings, ipRecords);
  }

  static Pruner.Rules rules(PruneMode mode, int percent) {
    return new Pruner.Rules(mode, GRACE, percent, INTERVAL);
  }

  static String sd() {
    return FakeSourceIpMappings.sid("SD", 1);
  }

  static SourceIpMapping claiming(String mappingSid) {
    SourceIpMapping m = new SourceIpMapping();
    m.setMetadata(
        new ObjectMetaBuilder().withName("m-" + mappingSid).withNamespace("team").build());
    m.setSpec(new SourceIpMappingSpec());
    SourceIpMappingStatus status = new SourceIpMappingStatus();
    status.setSid(mappingSid);
    m.setStatus(status);
    return m;
  }

  static IpRecord ipRecordAt(String address) {
    IpRecord r = new IpRecord();
    r.setMetadata(new ObjectMetaBuilder().withName("r-" + address).withNamespace("team").build());
    IpRecordSpec spec = new IpRecordSpec();
    spec.setIpAddress(address);
    r.setSpec(spec);
    r.setStatus(new IpRecordStatus());
    return r;
  }

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

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
      return now;
    }
  }
}
