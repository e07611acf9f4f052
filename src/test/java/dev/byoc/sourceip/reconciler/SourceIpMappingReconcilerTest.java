package dev.byoc.sourceip.reconciler;

import static dev.byoc.sourceip.testing.ConditionAssert.assertCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountDirectory;
import dev.byoc.sourceip.account.AccountKey;
import dev.byoc.sourceip.account.AccountObjects;
import dev.byoc.sourceip.account.AccountSettings;
import dev.byoc.sourceip.account.AccountSnapshot;
import dev.byoc.sourceip.account.Connection;
import dev.byoc.sourceip.account.MissingCredentials;
import dev.byoc.sourceip.account.ReconcileGate;
import dev.byoc.sourceip.account.SingleAccount;
import dev.byoc.sourceip.account.TwilioAccounts;
import dev.byoc.sourceip.api.v1alpha1.CredentialsSecretRef;
import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.EventReasons;
import dev.byoc.sourceip.api.v1alpha1.ManagementPolicy;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccountSpec;
import dev.byoc.sourceip.config.TwilioCredentials;
import dev.byoc.sourceip.metrics.OperatorMetrics;
import dev.byoc.sourceip.twilio.FakeFaults;
import dev.byoc.sourceip.twilio.FakeSourceIpMappings;
import dev.byoc.sourceip.twilio.FakeTwilioClient;
import dev.byoc.sourceip.twilio.TwilioMapping;
import dev.byoc.sourceip.twilio.TwilioOutcomeUnknownException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every decision of the mapping reconciler, taken by calling {@code reconcile} and {@code cleanup}
 * directly with fakes: no API server, no HTTP. The integration tests show the same end to end.
 */
class SourceIpMappingReconcilerTest {
  static final String IP = FakeSourceIpMappings.sid("IL", 1);
  static final String IP2 = FakeSourceIpMappings.sid("IL", 2);
  static final String D1 = FakeSourceIpMappings.sid("SD", 1);
  static final String D2 = FakeSourceIpMappings.sid("SD", 2);
  static final Duration RESYNC = Duration.ofMinutes(10);

  final FakeTwilioClient twilio = new FakeTwilioClient();
  final AccountSnapshot snapshot = new AccountSnapshot(twilio, Clock.systemUTC());
  final RecordedEvents events = new RecordedEvents();
  final List<SourceIpMappingStatus> statusWrites = new ArrayList<>();
  final Map<String, List<SourceIpMapping>> byIpRecord = new HashMap<>();
  final Map<String, dev.byoc.sourceip.api.v1alpha1.IpRecord> ipRecordsByName = new HashMap<>();
  final OperatorMetrics metrics = new OperatorMetrics();
  TwilioAccounts accounts =
      new SingleAccount(new Account(FakeTwilioClient.ACCOUNT, twilio, snapshot));

  SourceIpMappingReconciler reconciler() {
    SourceIpMappingReconciler r =
        new SourceIpMappingReconciler(
            accounts,
            events,
            RESYNC,
            Clock.systemUTC(),
            metrics,
            (context, resource, next) -> statusWrites.add(next));
    r.resourcesNaming(ip -> byIpRecord.getOrDefault(ip, List.of()));
    r.ipRecordsFrom(id -> java.util.Optional.ofNullable(ipRecordsByName.get(id.getName())));
    return r;
  }

  // ---- create, adopt, update, replace -------------------------------------------------------

  @Test
  void createsTheMappingTwilioLacksAndReportsItReady() {
    SourceIpMapping r = mapping("pbx", IP, D1);

    UpdateControl<SourceIpMapping> control = reconcile(r);

    assertThat(twilio.mappings.values()).singleElement().satisfies(m -> assertIs(m, IP, D1));
    // written whole by the reconciler, not left to JOSDK's diff of a cached copy
    assertThat(control.isNoUpdate()).isTrue();
    assertThat(statusWrites).singleElement().isEqualTo(r.getStatus());
    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
    assertCondition(r, "Synced", "True", Reasons.RECONCILE_SUCCESS);
    assertThat(r.getStatus().getSid()).isEqualTo(twilio.mappings.keySet().iterator().next());
    assertThat(events.reasons()).containsExactly(EventReasons.CREATED);
  }

  @Test
  void anAccountHoldingItsShareOfReconcilesTurnsTheNextAwayUntouched() {
    // throttled to one request in flight: three reconciles may hold the account, the fourth waits
    ReconcileGate gate = new ReconcileGate(() -> 1, () -> true);
    accounts = new SingleAccount(new Account(FakeTwilioClient.ACCOUNT, twilio, snapshot, gate));
    SourceIpMapping r = mapping("pbx", IP, D1);
    for (int i = 0; i < gate.capacity(); i++) {
      assertThat(gate.tryEnter()).isTrue();
    }

    UpdateControl<SourceIpMapping> turnedAway = reconcile(r);

    assertThat(turnedAway.isNoUpdate()).isTrue();
    assertThat(turnedAway.getScheduleDelay()).isPresent();
    assertThat(twilio.creates.get()).isZero();
    assertThat(r.getStatus()).isNull();

    gate.exit(); // one of them is done: the next reconcile goes through, and leaves its place
    reconcile(r);

    assertThat(twilio.creates.get()).isEqualTo(1);
    assertThat(gate.inside()).isEqualTo(gate.capacity() - 1);
  }

  @Test
  void aResourceWhoseObjectLivesInAnotherAccountThanItResolvesToNowWritesNothing() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    String other = "AC" + "0".repeat(32);
    r.getStatus().setAccountSid(other); // created in another account, then accountRef moved
    int requests = twilio.creates.get() + twilio.updates.get();
    events.clear();

    reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.ACCOUNT_CHANGED);
    assertCondition(r, "Stalled", "True", Reasons.ACCOUNT_CHANGED);
    assertThat(dev.byoc.sourceip.testing.ConditionAssert.message(r, "Ready"))
        .contains("lives in account " + other)
        .contains("now resolves to account " + FakeTwilioClient.ACCOUNT);
    assertThat(twilio.creates.get() + twilio.updates.get()).isEqualTo(requests);
    assertThat(events.reasons()).containsExactly(Reasons.ACCOUNT_CHANGED);
  }

  @Test
  void aSecondReconcileOfAConvergedResourceWritesNothing() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    events.clear();
    statusWrites.clear();

    UpdateControl<SourceIpMapping> control = reconcile(r);

    assertThat(control.isNoUpdate()).isTrue();
    assertThat(statusWrites).isEmpty();
    assertThat(twilio.creates.get() + twilio.updates.get()).isEqualTo(1);
    assertThat(events.all).isEmpty();
  }

  @Test
  void adoptsAMappingTwilioAlreadyHoldsForTheIpRecordInsteadOfCreatingOne() {
    TwilioMapping existing = twilio.put(IP, D1);
    SourceIpMapping r = mapping("pbx", IP, D1);

    reconcile(r);

    assertThat(twilio.creates.get()).isZero();
    assertThat(r.getStatus().getSid()).isEqualTo(existing.sid());
    assertThat(events.reasons()).containsExactly(EventReasons.ADOPTED);
  }

  @Test
  void pointsAMappingAtAnotherDomainInPlaceWhenTheSpecChangesIt() {
    TwilioMapping existing = twilio.put(IP, D1);
    SourceIpMapping r = mapping("pbx", IP, D2);

    reconcile(r);

    assertThat(twilio.mappings.get(existing.sid()).sipDomainSid()).isEqualTo(D2);
    assertThat(twilio.creates.get()).isZero();
    assertThat(events.reasons()).containsExactly(EventReasons.UPDATED);
  }

  @Test
  void aMappingDeletedOutOfBandBeforeAnUpdateIsMadeAgain() {
    TwilioMapping existing = twilio.put(IP, D1);
    snapshot.ensureLoaded();
    twilio.mappings.remove(existing.sid()); // gone at Twilio, still in the snapshot
    SourceIpMapping r = mapping("pbx", IP, D2);

    reconcile(r);

    assertThat(twilio.mappings.values()).singleElement().satisfies(m -> assertIs(m, IP, D2));
    assertThat(events.reasons()).containsExactly(EventReasons.CREATED);
    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
  }

  @Test
  void aDomainChangedAtTwilioIsSetBackAndCountedAsDrift() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    String sid = r.getStatus().getSid();
    snapshot.put(twilio.updateSourceIpMapping(sid, D2)); // someone changed it at Twilio
    events.clear();

    reconcile(r);

    assertThat(twilio.mappings.get(sid).sipDomainSid()).isEqualTo(D1);
    assertThat(events.reasons()).containsExactly(EventReasons.UPDATED);
    assertThat(metrics.scrape()).contains("repair=\"set_back\"");
  }

  @Test
  void aMappingDeletedAtTwilioIsRecreatedAndCountedAsDrift() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    String first = r.getStatus().getSid();
    twilio.deleteSourceIpMapping(first);
    snapshot.remove(first);

    reconcile(r);

    assertThat(r.getStatus().getSid()).isNotEqualTo(first);
    assertThat(twilio.mappings).containsOnlyKeys(r.getStatus().getSid());
    assertThat(metrics.scrape()).contains("repair=\"recreated\"");
  }

  @Test
  void movingToAnotherIpRecordCreatesTheNewMappingThenDeletesTheOld() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    String old = r.getStatus().getSid();
    r.getSpec().setIpRecordSid(IP2);
    events.clear();

    reconcile(r);

    assertThat(twilio.mappings.values()).singleElement().satisfies(m -> assertIs(m, IP2, D1));
    assertThat(twilio.mappings).doesNotContainKey(old);
    assertThat(events.reasons()).containsExactly(EventReasons.CREATED, EventReasons.REPLACED);
    assertThat(r.getStatus().getIpRecordSid()).isEqualTo(IP2);
  }

  // ---- references -----------------------------------------------------------------------------

  @Test
  void aMappingWhoseIpRecordDoesNotExistYetWaitsWithoutCallingTwilio() {
    SourceIpMapping r = byRef("pbx", "pbx-east", D1);

    UpdateControl<SourceIpMapping> control = reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.REFERENCE_NOT_READY);
    assertCondition(r, "Reconciling", "True", Reasons.REFERENCE_NOT_READY);
    assertCondition(r, "Stalled", "False", null);
    assertThat(control.getScheduleDelay()).as("woken by the IpRecord, never polled").isEmpty();
    assertThat(twilio.creates.get()).isZero();
    assertThat(events.all).isEmpty();
  }

  @Test
  void aMappingWaitsForItsIpRecordToBeReadyThenUsesItsSid() {
    dev.byoc.sourceip.api.v1alpha1.IpRecord pending = ipRecord("pbx-east", null, false);
    dev.byoc.sourceip.api.v1alpha1.IpRecord ready = ipRecord("pbx-east", IP, true);
    SourceIpMapping r = byRef("pbx", "pbx-east", D1);
    ipRecordsByName.put("pbx-east", pending);

    reconcile(r);
    assertCondition(r, "Ready", "False", Reasons.REFERENCE_NOT_READY);
    ipRecordsByName.put("pbx-east", ready);
    reconcile(r);

    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
    assertThat(r.getStatus().getIpRecordSid()).isEqualTo(IP);
    assertThat(twilio.mappings.values()).singleElement().satisfies(m -> assertIs(m, IP, D1));
  }

  @Test
  void aDomainNameIsResolvedFromTheAccountsDomainListOnce() {
    String acme = twilio.sipDomains.put("acme.sip.twilio.com").sid();
    SourceIpMapping a = mapping("a", IP, null);
    a.getSpec().setSipDomainName("ACME.sip.twilio.com");
    SourceIpMapping b = mapping("b", IP2, null);
    b.getSpec().setSipDomainName("acme.sip.twilio.com");

    reconcile(a);
    reconcile(b);

    assertThat(twilio.mappings.values()).extracting(TwilioMapping::sipDomainSid).containsOnly(acme);
    assertThat(a.getStatus().getSipDomainSid()).isEqualTo(acme);
    assertThat(twilio.sipDomains.lists.get()).isEqualTo(1);
  }

  @Test
  void anUnknownDomainNameStallsWithoutRetriesAndRecoversWhenTheDomainAppears() {
    SourceIpMapping r = mapping("pbx", IP, null);
    r.getSpec().setSipDomainName("late.sip.twilio.com");

    UpdateControl<SourceIpMapping> control = reconcile(r);
    reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.REFERENCE_NOT_READY);
    assertCondition(r, "Stalled", "True", Reasons.REFERENCE_NOT_READY);
    assertThat(control.getScheduleDelay()).isEmpty();
    assertThat(twilio.sipDomains.lists.get()).as("no list per reconcile").isEqualTo(1);
    assertThat(events.reasons()).containsExactly(Reasons.REFERENCE_NOT_READY);

    String late = twilio.sipDomains.put("late.sip.twilio.com").sid();
    snapshot.refreshIfOlderThan(java.time.Instant.now().plusSeconds(1)); // the resync
    reconcile(r);

    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
    assertThat(r.getStatus().getSipDomainSid()).isEqualTo(late);
  }

  @Test
  void aMappingByReferenceDeletedWhileItsIpRecordIsDeletingStillDeletesItsTwilioMapping() {
    // found by ChaosIT (seed 7972097071832302181): the mapping was made at Twilio, the operator
    // died before its status said so, and the IpRecord was already being deleted (not Ready)
    twilio.put(IP, D1);
    SourceIpMapping r = byRef("pbx", "pbx-east", D1);
    ipRecordsByName.put("pbx-east", ipRecord("pbx-east", IP, false));

    DeleteControl control = reconciler().cleanup(r, null);

    assertThat(control.isRemoveFinalizer()).isTrue();
    assertThat(twilio.mappings).isEmpty();
  }

  // ---- the create rule -----------------------------------------------------------------------

  @Test
  void aCreateOfUnknownOutcomeIsSettledByLookingAndAdoptedNeverSentTwice() {
    twilio.faults.loseAnswer("create", new TwilioOutcomeUnknownException("timed out", null));
    SourceIpMapping r = mapping("pbx", IP, D1);

    reconcile(r);

    assertThat(twilio.creates.get()).isEqualTo(1);
    assertThat(twilio.mappings).hasSize(1);
    assertThat(events.reasons()).containsExactly(EventReasons.ADOPTED);
    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
  }

  @Test
  void aCreateOfUnknownOutcomeThatDidNothingIsRetriedByJosdkAfterALook() {
    twilio.faults.fail("create", new TwilioOutcomeUnknownException("timed out", null));
    SourceIpMapping r = mapping("pbx", IP, D1);

    assertThatThrownBy(() -> reconcile(r)).isInstanceOf(TwilioOutcomeUnknownException.class);
    int listsAfterFailure = twilio.lists.get();
    reconcile(r);

    assertThat(listsAfterFailure).as("looked at Twilio after the unknown outcome").isEqualTo(2);
    assertThat(twilio.mappings).hasSize(1);
    assertThat(twilio.creates.get()).isEqualTo(2);
  }

  @Test
  void aRejectedCreateIsTerminalAndRetriedOnlyAtTheResync() {
    twilio.faults.fail("create", FakeFaults.rejected("/v1/SourceIpMappings"));
    SourceIpMapping r = mapping("pbx", IP, D1);

    UpdateControl<SourceIpMapping> control = reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.TWILIO_REJECTED);
    assertCondition(r, "Stalled", "True", Reasons.TWILIO_REJECTED);
    assertThat(control.getScheduleDelay()).contains(RESYNC.toMillis());
    assertThat(events.reasons()).containsExactly(Reasons.TWILIO_REJECTED);
  }

  @Test
  void aRejectedCreateWhoseMappingAppearedMeanwhileIsAdopted() {
    twilio.faults.loseAnswer("create", FakeFaults.rejected("/v1/SourceIpMappings"));
    SourceIpMapping r = mapping("pbx", IP, D1);

    reconcile(r);

    assertThat(twilio.mappings).hasSize(1);
    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
  }

  @Test
  void aServerErrorIsLeftToJosdksRetryAndReportedAsUnavailable() {
    twilio.faults.fail("create", FakeFaults.unavailable("/v1/SourceIpMappings"));
    SourceIpMapping r = mapping("pbx", IP, D1);

    assertThatThrownBy(() -> reconcile(r)).isInstanceOf(Exception.class);
    reconciler().updateErrorStatus(r, null, new RuntimeException(new IllegalStateException()));
    var control =
        reconciler()
            .updateErrorStatus(
                r, null, new RuntimeException(FakeFaults.unavailable("/v1/SourceIpMappings")));

    assertThat(control.getResource()).isEmpty(); // written whole here, not by JOSDK
    assertThat(control.isDefaultErrorProcessing()).isFalse();
    assertThat(statusWrites).last().isEqualTo(r.getStatus());
    assertCondition(r, "Ready", "False", Reasons.CREATING);
    assertCondition(r, "Synced", "False", Reasons.TWILIO_UNAVAILABLE);
    assertCondition(r, "Reconciling", "True", null);
  }

  // ---- what stops writes --------------------------------------------------------------------

  @Test
  void anInvalidSpecIsReportedWithoutAnyCallToTwilio() {
    SourceIpMapping r = mapping("pbx", "not-a-sid", D1);

    UpdateControl<SourceIpMapping> control = reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.INVALID_SPEC);
    assertThat(control.getScheduleDelay()).isEmpty();
    assertThat(twilio.lists.get() + twilio.creates.get()).isZero();
    assertThat(events.reasons()).containsExactly(Reasons.INVALID_SPEC);
  }

  @Test
  void missingCredentialsWaitAndAreLookedAtAgainInAMinute() {
    accounts = new MissingCredentials("no Twilio credentials configured");
    SourceIpMapping r = mapping("pbx", IP, D1);

    UpdateControl<SourceIpMapping> control = reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.CREDENTIALS_INVALID);
    assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(1).toMillis());
  }

  @Test
  void refusedCredentialsWhileListingAreReported() {
    twilio.faults.fail("list", FakeFaults.unauthorized("/v1/SourceIpMappings"));
    SourceIpMapping r = mapping("pbx", IP, D1);

    reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.CREDENTIALS_INVALID);
    assertThat(twilio.creates.get()).isZero();
  }

  @Test
  void anotherResourceManagingTheSameIpRecordIsAConflictAndWritesNothing() {
    SourceIpMapping first = mapping("first", IP, D1);
    SourceIpMapping second = mapping("second", IP, D2);
    first.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    second.getMetadata().setCreationTimestamp("2026-01-02T00:00:00Z");
    byIpRecord.put(IP, List.of(first, second));
    reconcile(first);
    events.clear();

    reconcile(second);

    assertCondition(second, "Ready", "False", Reasons.CONFLICT);
    assertThat(twilio.mappings.values()).singleElement().satisfies(m -> assertIs(m, IP, D1));
    assertThat(events.reasons()).containsExactly(Reasons.CONFLICT);
  }

  @Test
  void aResourceObservingTheSameIpRecordNeverClaimsIt() {
    SourceIpMapping observer = mapping("observer", IP, D2);
    observer.getSpec().setManagementPolicy(ManagementPolicy.Observe);
    observer.getMetadata().setCreationTimestamp("2025-01-01T00:00:00Z"); // older
    SourceIpMapping manager = mapping("manager", IP, D1);
    byIpRecord.put(IP, List.of(observer, manager));

    reconcile(manager);

    assertCondition(manager, "Ready", "True", Reasons.AVAILABLE);
    assertThat(twilio.mappings.values()).singleElement().satisfies(m -> assertIs(m, IP, D1));
  }

  @Test
  void pausedReportsWhatTwilioHoldsAndWritesNothing() {
    twilio.put(IP, D1);
    SourceIpMapping r = mapping("pbx", IP, D2);
    r.getMetadata().setAnnotations(Map.of(SourceIpMapping.PAUSED_ANNOTATION, "true"));

    reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.PAUSED);
    assertThat(twilio.updates.get()).isZero();
  }

  @Test
  void observeReportsAMatchingMappingReadyAndNeverWrites() {
    twilio.put(IP, D1);
    SourceIpMapping r = mapping("pbx", IP, D1);
    r.getSpec().setManagementPolicy(ManagementPolicy.Observe);

    reconcile(r);

    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
    assertCondition(r, "Synced", "True", Reasons.OBSERVING);
  }

  @Test
  void observeReportsAMissingOrDifferentMappingNotReady() {
    SourceIpMapping missing = mapping("missing", IP, D1);
    missing.getSpec().setManagementPolicy(ManagementPolicy.Observe);
    twilio.put(IP2, D1);
    SourceIpMapping different = mapping("different", IP2, D2);
    different.getSpec().setManagementPolicy(ManagementPolicy.Observe);

    reconcile(missing);
    reconcile(different);

    assertCondition(missing, "Ready", "False", Reasons.OBSERVING);
    assertCondition(different, "Ready", "False", Reasons.OBSERVING);
    assertThat(twilio.creates.get() + twilio.updates.get()).isZero();
  }

  @Test
  void theResyncAnnotationReschedulesAtItsInterval() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    r.getMetadata().setAnnotations(Map.of(SourceIpMapping.RESYNC_INTERVAL_ANNOTATION, "2m"));

    UpdateControl<SourceIpMapping> control = reconcile(r);

    assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(2).toMillis());
  }

  // ---- the external-sid annotation ----------------------------------------------------------

  @Test
  void anAnnotatedMappingThatTwilioHoldsIsAdoptedByItsSid() {
    TwilioMapping existing = twilio.put(IP, D1);
    SourceIpMapping r = mapping("pbx", IP, D1);
    r.getMetadata().setAnnotations(Map.of(SourceIpMapping.EXTERNAL_SID_ANNOTATION, existing.sid()));

    reconcile(r);

    assertThat(r.getStatus().getSid()).isEqualTo(existing.sid());
    assertThat(twilio.creates.get()).isZero();
  }

  @Test
  void anAnnotationNamingAMappingTwilioLacksWaitsAsReferenceNotReady() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    r.getMetadata()
        .setAnnotations(
            Map.of(SourceIpMapping.EXTERNAL_SID_ANNOTATION, FakeSourceIpMappings.sid("IB", 0xbad)));

    reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.REFERENCE_NOT_READY);
    assertThat(twilio.creates.get()).isZero();
  }

  @Test
  void anAnnotationNamingTheMappingOfAnotherIpRecordIsAnInvalidSpec() {
    TwilioMapping other = twilio.put(IP2, D1);
    SourceIpMapping r = mapping("pbx", IP, D1);
    r.getMetadata().setAnnotations(Map.of(SourceIpMapping.EXTERNAL_SID_ANNOTATION, other.sid()));

    reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.INVALID_SPEC);
  }

  @Test
  void anAdoptedAnnotatedMappingDeletedAtTwilioIsRecreatedAndTheAnnotationCalledStale() {
    TwilioMapping exported = twilio.put(IP, D1);
    SourceIpMapping r = mapping("pbx", IP, D1);
    r.getMetadata().setAnnotations(Map.of(SourceIpMapping.EXTERNAL_SID_ANNOTATION, exported.sid()));
    reconcile(r);
    assertThat(r.getStatus().getAdoptedExternalSid()).isEqualTo(exported.sid());
    twilio.deleteSourceIpMapping(exported.sid());
    snapshot.remove(exported.sid());
    events.clear();

    reconcile(r);
    reconcile(r); // and it stays repaired: the stale annotation does not make it wait again

    assertThat(twilio.mappings.values()).singleElement().satisfies(m -> assertIs(m, IP, D1));
    assertThat(r.getStatus().getSid()).isNotEqualTo(exported.sid());
    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
    assertThat(events.reasons()).containsExactly(EventReasons.CREATED, EventReasons.RECREATED);
    assertThat(events.all.get(1).type()).isEqualTo("Warning");
    assertThat(twilio.creates.get()).isEqualTo(1);
  }

  // ---- cleanup ------------------------------------------------------------------------------

  @Test
  void deletingTheResourceDeletesTheMappingAtTwilio() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    events.clear();

    DeleteControl control = reconciler().cleanup(r, null);

    assertThat(control.isRemoveFinalizer()).isTrue();
    assertThat(twilio.mappings).isEmpty();
    assertThat(events.reasons()).containsExactly(EventReasons.DELETED);
  }

  @Test
  void aMappingAlreadyGoneAtTwilioLetsTheFinalizerGo() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    twilio.mappings.clear(); // deleted out of band; the snapshot still has it

    DeleteControl control = reconciler().cleanup(r, null);

    assertThat(control.isRemoveFinalizer()).isTrue();
  }

  @Test
  void orphanAndObserveLeaveTheMappingAtTwilio() {
    SourceIpMapping orphan = mapping("orphan", IP, D1);
    reconcile(orphan);
    orphan.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);
    SourceIpMapping observer = mapping("observer", IP, D1);
    observer.getSpec().setManagementPolicy(ManagementPolicy.Observe);
    events.clear();

    assertThat(reconciler().cleanup(orphan, null).isRemoveFinalizer()).isTrue();
    assertThat(reconciler().cleanup(observer, null).isRemoveFinalizer()).isTrue();

    assertThat(twilio.mappings).hasSize(1);
    assertThat(events.reasons()).containsExactly(EventReasons.ORPHANED, EventReasons.ORPHANED);
  }

  @Test
  void pausedDeletionWaitsAndSaysSo() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    statusWrites.clear();
    r.getMetadata().setAnnotations(Map.of(SourceIpMapping.PAUSED_ANNOTATION, "true"));

    DeleteControl control = reconciler().cleanup(r, null);

    assertThat(control.isRemoveFinalizer()).isFalse();
    assertThat(twilio.mappings).hasSize(1);
    assertThat(statusWrites).isNotEmpty();
    assertCondition(r, "Synced", "False", Reasons.PAUSED);
  }

  @Test
  void anUnreadableSpecNeverDeletesOnAGuess() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    r.getSpec()
        .putUnreadable(
            "deletionPolicy", com.fasterxml.jackson.databind.node.TextNode.valueOf("orphan"));

    DeleteControl control = reconciler().cleanup(r, null);

    assertThat(control.isRemoveFinalizer()).isFalse();
    assertThat(twilio.mappings).hasSize(1);
    assertCondition(r, "Synced", "False", Reasons.INVALID_SPEC);
  }

  @Test
  void aMappingOwnedByAnotherResourceIsNotDeletedWithTheLoser() {
    SourceIpMapping owner = mapping("owner", IP, D1);
    SourceIpMapping loser = mapping("loser", IP, D1);
    owner.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    loser.getMetadata().setCreationTimestamp("2026-01-02T00:00:00Z");
    byIpRecord.put(IP, List.of(owner, loser));
    reconcile(owner);

    DeleteControl control = reconciler().cleanup(loser, null);

    assertThat(control.isRemoveFinalizer()).isTrue();
    assertThat(twilio.mappings).hasSize(1);
  }

  @Test
  void deletionWithoutCredentialsWaitsAndRetriesInAMinute() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    accounts = new MissingCredentials("no Twilio credentials configured");

    DeleteControl control = reconciler().cleanup(r, null);

    assertThat(control.isRemoveFinalizer()).isFalse();
    assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(1).toMillis());
    assertCondition(r, "Synced", "False", Reasons.CREDENTIALS_INVALID);
  }

  @Test
  void aDeleteTwilioCannotServeNowIsReportedThenRetriedByJosdk() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    twilio.faults.fail("delete", FakeFaults.unavailable("/v1/SourceIpMappings"));

    assertThatThrownBy(() -> reconciler().cleanup(r, null)).isInstanceOf(Exception.class);

    assertCondition(r, "Ready", "False", Reasons.DELETING);
    assertCondition(r, "Synced", "False", Reasons.TWILIO_UNAVAILABLE);
    assertThat(twilio.mappings).hasSize(1);
  }

  @Test
  void aDeleteTwilioRefusesWaitsForTheResync() {
    SourceIpMapping r = mapping("pbx", IP, D1);
    reconcile(r);
    twilio.faults.fail("delete", FakeFaults.rejected("/v1/SourceIpMappings"));

    DeleteControl control = reconciler().cleanup(r, null);

    assertThat(control.isRemoveFinalizer()).isFalse();
    assertThat(control.getScheduleDelay()).contains(RESYNC.toMillis());
    assertCondition(r, "Synced", "False", Reasons.TWILIO_REJECTED);
  }

  @Test
  void aLostCreateIsNotLeftBehindByADeletion() {
    snapshot.ensureLoaded();
    snapshot.createOutcomeUnknown(IP, java.time.Instant.now());
    twilio.put(IP, D1); // the lost create did happen; the snapshot has not seen it
    SourceIpMapping r = mapping("pbx", IP, D1);

    DeleteControl control = reconciler().cleanup(r, null);

    assertThat(control.isRemoveFinalizer()).isTrue();
    assertThat(twilio.mappings).isEmpty();
  }

  @Test
  void aDeletionWaitsForItsNamespacesAccountToConnectThenDeletesWhatAnEarlierRunCreated() {
    // an earlier run of the operator created the mapping and was killed before the status write
    twilio.put(IP, D1);
    SourceIpMapping r = mapping("pbx", IP, D1);
    // the namespace's TwilioAccount 'default' exists; this run has not connected it yet
    AccountKey key = AccountKey.namespaced("telephony", AccountKey.DEFAULT_NAME);
    TwilioAccountSpec spec = new TwilioAccountSpec();
    spec.setCredentialsSecretRef(new CredentialsSecretRef("twilio"));
    AccountDirectory directory =
        new AccountDirectory(
            new AccountObjects() {
              @Override
              public Optional<TwilioAccountSpec> spec(AccountKey requested) {
                return requested.equals(key) ? Optional.of(spec) : Optional.empty();
              }

              @Override
              public Map<String, String> namespaceLabels(String name) {
                return Map.of();
              }
            },
            settings ->
                new Connection() {
                  @Override
                  public Account account() {
                    return new Account(FakeTwilioClient.ACCOUNT, twilio, snapshot);
                  }

                  @Override
                  public void useCredentials(TwilioCredentials credentials) {}

                  @Override
                  public void close() {}
                },
            new MissingCredentials("the operator has no account of its own here"));
    accounts = directory;

    DeleteControl waiting = reconciler().cleanup(r, null);

    assertThat(waiting.isRemoveFinalizer()).isFalse();
    assertThat(twilio.mappings).hasSize(1);
    assertCondition(r, "Synced", "False", Reasons.REFERENCE_NOT_READY);

    directory.connect(
        key,
        new AccountSettings(
            new TwilioCredentials(FakeTwilioClient.ACCOUNT, "token", null, null),
            "1",
            null,
            null,
            null,
            null));
    DeleteControl deleted = reconciler().cleanup(r, null);

    assertThat(deleted.isRemoveFinalizer()).isTrue();
    assertThat(twilio.mappings).isEmpty();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private UpdateControl<SourceIpMapping> reconcile(SourceIpMapping r) {
    return reconciler().reconcile(r, null);
  }

  static SourceIpMapping mapping(String name, String ipRecordSid, String sipDomainSid) {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("telephony")
            .withUid(UUID.randomUUID().toString())
            .withGeneration(1L)
            .withCreationTimestamp("2026-01-01T00:00:00Z")
            .build());
    r.setSpec(new SourceIpMappingSpec(ipRecordSid, sipDomainSid));
    return r;
  }

  static SourceIpMapping byRef(String name, String ipRecordName, String sipDomainSid) {
    SourceIpMapping r = mapping(name, null, sipDomainSid);
    r.getSpec().setIpRecordRef(new dev.byoc.sourceip.api.v1alpha1.IpRecordReference(ipRecordName));
    return r;
  }

  static dev.byoc.sourceip.api.v1alpha1.IpRecord ipRecord(String name, String sid, boolean ready) {
    var r = new dev.byoc.sourceip.api.v1alpha1.IpRecord();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("telephony").build());
    var status = new dev.byoc.sourceip.api.v1alpha1.IpRecordStatus();
    status.setSid(sid);
    status.setConditions(
        List.of(
            new io.fabric8.kubernetes.api.model.ConditionBuilder()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withReason(ready ? Reasons.AVAILABLE : Reasons.CREATING)
                .withMessage("")
                .build()));
    r.setStatus(status);
    return r;
  }

  private static void assertIs(TwilioMapping m, String ipRecordSid, String sipDomainSid) {
    assertThat(m.ipRecordSid()).isEqualTo(ipRecordSid);
    assertThat(m.sipDomainSid()).isEqualTo(sipDomainSid);
  }
}
