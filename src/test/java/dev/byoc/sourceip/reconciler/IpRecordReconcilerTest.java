package dev.byoc.sourceip.reconciler;

import static dev.byoc.sourceip.testing.ConditionAssert.assertCondition;
import static dev.byoc.sourceip.testing.ConditionAssert.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountSnapshot;
import dev.byoc.sourceip.account.MissingCredentials;
import dev.byoc.sourceip.account.SingleAccount;
import dev.byoc.sourceip.account.TwilioAccounts;
import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.EventReasons;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.IpRecordStatus;
import dev.byoc.sourceip.api.v1alpha1.ManagementPolicy;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.metrics.OperatorMetrics;
import dev.byoc.sourceip.twilio.FakeFaults;
import dev.byoc.sourceip.twilio.FakeSourceIpMappings;
import dev.byoc.sourceip.twilio.FakeTwilioClient;
import dev.byoc.sourceip.twilio.TwilioOutcomeUnknownException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every decision of the IpRecord reconciler, taken by calling {@code reconcile} and {@code cleanup}
 * directly with fakes: no API server, no HTTP. ReferencesIT shows the same end to end.
 */
class IpRecordReconcilerTest {
  static final String ADDRESS = "203.0.113.10";
  static final Duration RESYNC = Duration.ofMinutes(10);

  final FakeTwilioClient twilio = new FakeTwilioClient();
  final AccountSnapshot snapshot = new AccountSnapshot(twilio, Clock.systemUTC());
  final RecordedEvents events = new RecordedEvents();
  final List<IpRecordStatus> statusWrites = new ArrayList<>();
  final Map<String, List<IpRecord>> byKey = new HashMap<>();
  final Map<String, List<SourceIpMapping>> usersByName = new HashMap<>();
  final OperatorMetrics metrics = new OperatorMetrics();
  TwilioAccounts accounts =
      new SingleAccount(new Account(FakeTwilioClient.ACCOUNT, twilio, snapshot));

  IpRecordReconciler reconciler() {
    IpRecordReconciler r =
        new IpRecordReconciler(
            accounts,
            events,
            RESYNC,
            Clock.systemUTC(),
            metrics,
            (context, resource, next) -> statusWrites.add(next));
    r.resourcesAt(key -> byKey.getOrDefault(key, List.of()));
    r.usersFrom(ip -> usersByName.getOrDefault(ip.getMetadata().getName(), List.of()));
    return r;
  }

  // ---- create, adopt, rename ----------------------------------------------------------------

  @Test
  void createsTheIpRecordTwilioLacksAndReportsItReady() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, "PBX East");

    reconcile(r);

    var atTwilio = twilio.ipRecords.records.values();
    assertThat(atTwilio)
        .singleElement()
        .satisfies(
            ip -> {
              assertThat(ip.ipAddress()).isEqualTo(ADDRESS);
              assertThat(ip.cidrPrefixLength()).isEqualTo(32);
              assertThat(ip.friendlyName()).isEqualTo("PBX East");
            });
    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
    assertThat(r.getStatus().getSid()).startsWith("IL");
    assertThat(r.getStatus().getIpAddress()).isEqualTo(ADDRESS);
    assertThat(r.getStatus().getCidrPrefixLength()).isEqualTo(32);
    assertThat(events.reasons()).containsExactly(EventReasons.CREATED);
  }

  @Test
  void anIpRecordTwilioHoldsForTheAddressIsAdoptedAndAnOmittedPrefixMeans32() {
    var existing = twilio.ipRecords.put(ADDRESS, 32, null);
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);

    reconcile(r);
    reconcile(r);

    assertThat(twilio.ipRecords.creates.get() + twilio.ipRecords.updates.get()).isZero();
    assertThat(r.getStatus().getSid()).isEqualTo(existing.sid());
    assertThat(events.reasons()).containsExactly(EventReasons.ADOPTED);
  }

  @Test
  void aBlockIsADifferentIpRecordThanItsFirstAddress() {
    twilio.ipRecords.put(ADDRESS, 32, null);
    IpRecord block = ipRecord("block", "203.0.113.0", 24, null);

    reconcile(block);

    assertThat(twilio.ipRecords.records).hasSize(2);
    assertThat(block.getStatus().getCidrPrefixLength()).isEqualTo(24);
  }

  @Test
  void aFriendlyNameIsSetInPlaceAndAnOmittedOneIsLeftAlone() {
    var existing = twilio.ipRecords.put(ADDRESS, 32, "old name");
    IpRecord unnamed = ipRecord("unnamed", ADDRESS, null, null);
    reconcile(unnamed);
    assertThat(twilio.ipRecords.updates.get()).isZero();

    IpRecord named = ipRecord("named", ADDRESS, null, "new name");
    reconcile(named);

    assertThat(twilio.ipRecords.records.get(existing.sid()).friendlyName()).isEqualTo("new name");
    assertThat(events.reasons()).containsExactly(EventReasons.ADOPTED, EventReasons.UPDATED);
  }

  @Test
  void aNameChangedAtTwilioIsSetBackAndCountedAsDrift() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, "PBX");
    reconcile(r);
    snapshot.putIpRecord(twilio.updateIpRecord(r.getStatus().getSid(), "renamed by hand"));

    reconcile(r);

    assertThat(twilio.ipRecords.records.get(r.getStatus().getSid()).friendlyName())
        .isEqualTo("PBX");
    assertThat(metrics.scrape()).contains("repair=\"set_back\"");
  }

  @Test
  void anIpRecordDeletedAtTwilioIsRecreatedAndCountedAsDrift() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    reconcile(r);
    String first = r.getStatus().getSid();
    twilio.deleteIpRecord(first);
    snapshot.removeIpRecord(first);

    reconcile(r);

    assertThat(r.getStatus().getSid()).isNotEqualTo(first);
    assertThat(twilio.ipRecords.records).containsOnlyKeys(r.getStatus().getSid());
    assertThat(metrics.scrape()).contains("repair=\"recreated\"");
  }

  // ---- the create rule ------------------------------------------------------------------------

  @Test
  void aCreateOfUnknownOutcomeIsSettledByLookingNeverSentTwice() {
    twilio.ipRecords.faults.loseAnswer(
        "create", new TwilioOutcomeUnknownException("timed out", null));
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);

    reconcile(r);

    assertThat(twilio.ipRecords.creates.get()).isEqualTo(1);
    assertThat(twilio.ipRecords.records).hasSize(1);
    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
    assertThat(events.reasons()).containsExactly(EventReasons.ADOPTED);
  }

  @Test
  void anAddressTwilioRefusesIsTerminalUntilTheResync() {
    twilio.ipRecords.faults.fail("create", FakeFaults.rejected("/v1/IpRecords"));
    IpRecord r = ipRecord("pbx", "192.0.2.1", null, null);

    UpdateControl<IpRecord> control = reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.TWILIO_REJECTED);
    assertCondition(r, "Stalled", "True", Reasons.TWILIO_REJECTED);
    assertThat(control.getScheduleDelay()).contains(RESYNC.toMillis());
  }

  @Test
  void aServerErrorIsLeftToJosdksRetryAndReportedAsCreating() {
    twilio.ipRecords.faults.fail("create", FakeFaults.unavailable("/v1/IpRecords"));
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);

    assertThatThrownBy(() -> reconcile(r)).isInstanceOf(Exception.class);
    var control =
        reconciler()
            .updateErrorStatus(
                r, null, new RuntimeException(FakeFaults.unavailable("/v1/IpRecords")));

    assertThat(control.getResource()).isEmpty(); // written whole here, not by JOSDK
    assertThat(statusWrites).last().isEqualTo(r.getStatus());
    assertCondition(r, "Ready", "False", Reasons.CREATING);
    assertCondition(r, "Reconciling", "True", Reasons.CREATING);
  }

  // ---- what stops writes --------------------------------------------------------------------

  @Test
  void anInvalidSpecIsReportedWithoutAnyCallToTwilio() {
    IpRecord r = ipRecord("pbx", "2001:db8::1", null, null);

    reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.INVALID_SPEC);
    assertThat(twilio.ipRecords.lists.get() + twilio.ipRecords.creates.get()).isZero();
  }

  @Test
  void aChangedAddressIsRefusedAsImmutableWithoutAnyWrite() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    reconcile(r);
    r.getSpec().setIpAddress("203.0.113.11");
    r.getMetadata().setGeneration(2L);

    reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.INVALID_SPEC);
    assertThat(message(r, "Ready")).contains("immutable").contains(ADDRESS);
    assertThat(twilio.ipRecords.records).hasSize(1);
    assertThat(twilio.ipRecords.creates.get()).isEqualTo(1);
  }

  @Test
  void anOmittedPrefixIsNoChangeFrom32() {
    IpRecord r = ipRecord("pbx", ADDRESS, 32, null);
    reconcile(r);
    r.getSpec().setCidrPrefixLength(null);

    reconcile(r);

    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
  }

  @Test
  void missingCredentialsWaitAndAreLookedAtAgainInAMinute() {
    accounts = new MissingCredentials("no Twilio credentials configured");
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);

    UpdateControl<IpRecord> control = reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.CREDENTIALS_INVALID);
    assertThat(control.getScheduleDelay()).contains(Duration.ofMinutes(1).toMillis());
  }

  @Test
  void twoIpRecordsOfOneAddressConflictAndTheNewerWritesNothing() {
    IpRecord older = ipRecord("older", ADDRESS, null, "older");
    IpRecord newer = ipRecord("newer", ADDRESS, 32, "newer");
    newer.getMetadata().setCreationTimestamp("2026-02-01T00:00:00Z");
    byKey.put(ADDRESS + "/32", List.of(older, newer));
    reconcile(older);
    events.clear();

    reconcile(newer);

    assertCondition(newer, "Ready", "False", Reasons.CONFLICT);
    assertThat(twilio.ipRecords.records.values())
        .singleElement()
        .satisfies(ip -> assertThat(ip.friendlyName()).isEqualTo("older"));
  }

  @Test
  void pausedAndObserveReportWhatTwilioHoldsAndWriteNothing() {
    twilio.ipRecords.put(ADDRESS, 32, "at Twilio");
    IpRecord paused = ipRecord("paused", ADDRESS, null, "wanted");
    paused.getMetadata().setAnnotations(Map.of(IpRecord.PAUSED_ANNOTATION, "true"));
    IpRecord observer = ipRecord("observer", ADDRESS, null, null);
    observer.getSpec().setManagementPolicy(ManagementPolicy.Observe);
    IpRecord missing = ipRecord("missing", "198.51.100.1", null, null);
    missing.getSpec().setManagementPolicy(ManagementPolicy.Observe);

    reconcile(paused);
    reconcile(observer);
    reconcile(missing);

    assertCondition(paused, "Ready", "False", Reasons.PAUSED);
    assertCondition(observer, "Ready", "True", Reasons.AVAILABLE);
    assertCondition(observer, "Synced", "True", Reasons.OBSERVING);
    assertCondition(missing, "Ready", "False", Reasons.OBSERVING);
    assertThat(twilio.ipRecords.creates.get() + twilio.ipRecords.updates.get()).isZero();
  }

  // ---- the external-sid annotation ----------------------------------------------------------

  @Test
  void anAnnotationNamingAnIpRecordTwilioLacksWaitsAsReferenceNotReady() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    r.getMetadata()
        .setAnnotations(
            Map.of(IpRecord.EXTERNAL_SID_ANNOTATION, FakeSourceIpMappings.sid("IL", 0xbad)));

    reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.REFERENCE_NOT_READY);
    assertThat(twilio.ipRecords.creates.get()).isZero();
  }

  @Test
  void anAnnotationNamingAnotherAddressIsAnInvalidSpec() {
    var other = twilio.ipRecords.put("198.51.100.1", 32, null);
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    r.getMetadata().setAnnotations(Map.of(IpRecord.EXTERNAL_SID_ANNOTATION, other.sid()));

    reconcile(r);

    assertCondition(r, "Ready", "False", Reasons.INVALID_SPEC);
  }

  @Test
  void anAdoptedIpRecordDeletedAtTwilioIsRecreatedAndTheAnnotationCalledStale() {
    var exported = twilio.ipRecords.put(ADDRESS, 32, null);
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    r.getMetadata().setAnnotations(Map.of(IpRecord.EXTERNAL_SID_ANNOTATION, exported.sid()));
    reconcile(r);
    assertThat(r.getStatus().getAdoptedExternalSid()).isEqualTo(exported.sid());
    twilio.deleteIpRecord(exported.sid());
    snapshot.removeIpRecord(exported.sid());
    events.clear();

    reconcile(r);
    reconcile(r);

    assertCondition(r, "Ready", "True", Reasons.AVAILABLE);
    assertThat(twilio.ipRecords.records).hasSize(1).doesNotContainKey(exported.sid());
    assertThat(events.reasons()).containsExactly(EventReasons.CREATED, EventReasons.RECREATED);
  }

  // ---- cleanup ------------------------------------------------------------------------------

  @Test
  void deletingTheResourceDeletesTheIpRecordAtTwilio() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    reconcile(r);
    events.clear();

    DeleteControl control = reconciler().cleanup(r, null);

    assertThat(control.isRemoveFinalizer()).isTrue();
    assertThat(twilio.ipRecords.records).isEmpty();
    assertThat(events.reasons()).containsExactly(EventReasons.DELETED);
  }

  @Test
  void anIpRecordInUseKeepsItsFinalizerAndNamesItsUsers() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    reconcile(r);
    usersByName.put(
        "pbx",
        List.of(
            SourceIpMappingReconcilerTest.byRef("route-b", "pbx", null),
            SourceIpMappingReconcilerTest.byRef("route-a", "pbx", null)));

    DeleteControl control = reconciler().cleanup(r, null);

    assertThat(control.isRemoveFinalizer()).isFalse();
    assertThat(twilio.ipRecords.records).hasSize(1);
    assertThat(twilio.ipRecords.deletes.get()).isZero();
    assertCondition(r, "Synced", "False", Reasons.DELETING);
    assertThat(message(r, "Synced")).endsWith("telephony/route-a, telephony/route-b");
    assertThat(r.getStatus().getUsedBy()).containsExactly("telephony/route-a", "telephony/route-b");
  }

  @Test
  void orphanAndObserveLeaveTheIpRecordAtTwilio() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    reconcile(r);
    r.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);

    assertThat(reconciler().cleanup(r, null).isRemoveFinalizer()).isTrue();

    assertThat(twilio.ipRecords.records).hasSize(1);
    assertThat(events.reasons()).endsWith(EventReasons.ORPHANED);
  }

  @Test
  void pausedDeletionWaits() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    reconcile(r);
    r.getMetadata().setAnnotations(Map.of(IpRecord.PAUSED_ANNOTATION, "true"));

    assertThat(reconciler().cleanup(r, null).isRemoveFinalizer()).isFalse();
    assertCondition(r, "Synced", "False", Reasons.PAUSED);
    assertThat(twilio.ipRecords.records).hasSize(1);
  }

  @Test
  void anUnreadableSpecNeverDeletesOnAGuess() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    reconcile(r);
    r.getSpec()
        .putUnreadable(
            "deletionPolicy", com.fasterxml.jackson.databind.node.TextNode.valueOf("orphan"));

    assertThat(reconciler().cleanup(r, null).isRemoveFinalizer()).isFalse();
    assertCondition(r, "Synced", "False", Reasons.INVALID_SPEC);
    assertThat(twilio.ipRecords.records).hasSize(1);
  }

  @Test
  void anIpRecordAlreadyGoneAtTwilioLetsTheFinalizerGo() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    reconcile(r);
    twilio.ipRecords.records.clear();

    assertThat(reconciler().cleanup(r, null).isRemoveFinalizer()).isTrue();
  }

  @Test
  void aDeleteTwilioRefusesWaitsForTheResyncAndAnUnavailableOneIsRetried() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    reconcile(r);
    twilio.ipRecords.faults.fail("delete", FakeFaults.rejected("/v1/IpRecords"));

    DeleteControl refused = reconciler().cleanup(r, null);

    assertThat(refused.isRemoveFinalizer()).isFalse();
    assertThat(refused.getScheduleDelay()).contains(RESYNC.toMillis());
    assertCondition(r, "Synced", "False", Reasons.TWILIO_REJECTED);

    twilio.ipRecords.faults.fail("delete", FakeFaults.unavailable("/v1/IpRecords"));
    assertThatThrownBy(() -> reconciler().cleanup(r, null)).isInstanceOf(Exception.class);
    assertCondition(r, "Ready", "False", Reasons.DELETING);
  }

  @Test
  void deletionWithoutCredentialsWaits() {
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);
    reconcile(r);
    accounts = new MissingCredentials("no Twilio credentials configured");

    DeleteControl control = reconciler().cleanup(r, null);

    assertThat(control.isRemoveFinalizer()).isFalse();
    assertCondition(r, "Synced", "False", Reasons.CREDENTIALS_INVALID);
  }

  @Test
  void aLostCreateIsNotLeftBehindByADeletion() {
    snapshot.ensureIpRecordsLoaded();
    snapshot.ipRecordCreateOutcomeUnknown(ADDRESS, 32, Instant.now());
    twilio.ipRecords.put(ADDRESS, 32, null); // the lost create did happen
    IpRecord r = ipRecord("pbx", ADDRESS, null, null);

    assertThat(reconciler().cleanup(r, null).isRemoveFinalizer()).isTrue();
    assertThat(twilio.ipRecords.records).isEmpty();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private UpdateControl<IpRecord> reconcile(IpRecord r) {
    return reconciler().reconcile(r, null);
  }

  static IpRecord ipRecord(String name, String address, Integer prefix, String friendlyName) {
    IpRecord r = new IpRecord();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("telephony")
            .withUid(UUID.randomUUID().toString())
            .withGeneration(1L)
            .withCreationTimestamp("2026-01-01T00:00:00Z")
            .build());
    IpRecordSpec spec = new IpRecordSpec(address);
    spec.setCidrPrefixLength(prefix);
    spec.setFriendlyName(friendlyName);
    r.setSpec(spec);
    return r;
  }
}
