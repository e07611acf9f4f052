package dev.byoc.sourceip.reconciler;

import static dev.byoc.sourceip.testing.ConditionAssert.assertCondition;
import static dev.byoc.sourceip.testing.ConditionAssert.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.ManagementPolicy;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator end to end: fabric8's CRUD mock API server and the Twilio emulator over HTTP. */
@EnableKubernetesMockClient(crud = true)
class SourceIpMappingReconcilerIT {
  static KubernetesClient client;

  OperatorHarness h;

  @BeforeEach
  void setUp() {
    h = new OperatorHarness(client);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void createsOneMappingAndReportsItInStatusAndEvents() {
    h.start();
    String ip = h.newIpRecord();
    String domain = h.newDomain();

    h.apply(h.resource("pbx-east", ip, domain));
    SourceIpMapping ready = h.awaitReady("pbx-east");

    TwilioMapping atTwilio = h.twilioMappings().get(0);
    SourceIpMappingStatus status = ready.getStatus();
    assertThat(status.getSid()).isEqualTo(atTwilio.sid()).startsWith("IB");
    assertThat(status.getIpRecordSid()).isEqualTo(ip);
    assertThat(status.getSipDomainSid()).isEqualTo(domain);
    assertThat(status.getUrl()).isEqualTo(atTwilio.url());
    assertThat(status.getDateCreated()).isNotBlank();
    assertThat(status.getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
    assertCondition(ready, Conditions.SYNCED, "True", null);
    assertThat(ready.getMetadata().getFinalizers()).containsExactly(SourceIpMapping.FINALIZER);
    assertThat(h.creates()).isEqualTo(1);
    assertThat(h.count("GET", "/v1/SourceIpMappings/{Sid}")).isZero();
    await().atMost(OperatorHarness.WAIT).until(() -> reasons("pbx-east").contains("Created"));
  }

  @Test
  void atRestTheOperatorWritesNothing() throws Exception {
    h.start();
    h.apply(h.resource("quiet", h.newIpRecord(), h.newDomain()));
    String version = h.awaitReady("quiet").getMetadata().getResourceVersion();
    long requests = h.emulator.counters().total();

    // another event for the resource (a label) must not cause a write at Twilio or in Kubernetes
    h.edit(
        "quiet",
        r -> {
          r.getMetadata().setLabels(Map.of("team", "voice"));
          return r;
        });
    String labelled = h.get("quiet").getMetadata().getResourceVersion();
    Thread.sleep(1500); // nothing to await: proving an absence
    assertThat(h.get("quiet").getMetadata().getResourceVersion())
        .isEqualTo(labelled)
        .isNotEqualTo(version);
    assertThat(h.emulator.counters().total()).isEqualTo(requests);
  }

  @Test
  void aChangedDomainIsOneUpdateOnTheSameSid() {
    h.start();
    String ip = h.newIpRecord();
    h.apply(h.resource("m", ip, h.newDomain()));
    String sid = h.awaitReady("m").getStatus().getSid();
    String other = h.newDomain();

    h.edit(
        "m",
        r -> {
          r.getSpec().setSipDomainSid(other);
          return r;
        });

    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> other.equals(h.get("m").getStatus().getSipDomainSid()));
    SourceIpMapping updated = h.awaitReady("m");
    assertThat(updated.getStatus().getSid()).isEqualTo(sid);
    assertThat(h.twilioMappings())
        .singleElement()
        .satisfies(m -> assertThat(m.sipDomainSid()).isEqualTo(other));
    assertThat(h.count("POST", "/v1/SourceIpMappings/{Sid}")).isEqualTo(1);
    assertThat(h.creates()).isEqualTo(1);
  }

  @Test
  void aChangedIpRecordReplacesTheMapping() {
    h.start();
    String domain = h.newDomain();
    String first = h.newIpRecord();
    h.apply(h.resource("m", first, domain));
    String oldSid = h.awaitReady("m").getStatus().getSid();
    String second = h.newIpRecord();

    h.edit(
        "m",
        r -> {
          r.getSpec().setIpRecordSid(second);
          return r;
        });

    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> second.equals(h.get("m").getStatus().getIpRecordSid()));
    SourceIpMapping replaced = h.awaitReady("m");
    assertThat(replaced.getStatus().getSid()).isNotEqualTo(oldSid);
    assertThat(h.twilioMappings())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.ipRecordSid()).isEqualTo(second);
              assertThat(m.sid()).isEqualTo(replaced.getStatus().getSid());
            });
    assertThat(h.count("DELETE", "/v1/SourceIpMappings/{Sid}")).isEqualTo(1);
  }

  @Test
  void deletingTheResourceDeletesAtTwilioBeforeReleasingIt() {
    h.start();
    h.apply(h.resource("gone", h.newIpRecord(), h.newDomain()));
    h.awaitReady("gone");

    h.mappings().inNamespace(h.ns).withName("gone").delete();

    h.awaitGone("gone");
    assertThat(h.twilioMappings()).isEmpty();
    assertThat(h.count("DELETE", "/v1/SourceIpMappings/{Sid}")).isEqualTo(1);
  }

  @Test
  void orphanLeavesTheMappingAtTwilio() {
    h.start();
    SourceIpMapping r = h.resource("keep", h.newIpRecord(), h.newDomain());
    r.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);
    h.apply(r);
    String sid = h.awaitReady("keep").getStatus().getSid();

    h.mappings().inNamespace(h.ns).withName("keep").delete();

    h.awaitGone("keep");
    assertThat(h.twilioMappings()).extracting(TwilioMapping::sid).containsExactly(sid);
    assertThat(h.count("DELETE", "/v1/SourceIpMappings/{Sid}")).isZero();
  }

  @Test
  void outOfBandDeleteAndChangeAreRepairedWithinOneResync() {
    h.resync(Duration.ofSeconds(2)).start();
    String ip1 = h.newIpRecord();
    String ip2 = h.newIpRecord();
    String domain = h.newDomain();
    h.apply(h.resource("a", ip1, domain));
    h.apply(h.resource("b", ip2, domain));
    String sidA = h.awaitReady("a").getStatus().getSid();
    String sidB = h.awaitReady("b").getStatus().getSid();

    h.twilio.deleteSourceIpMapping(sidA);
    h.twilio.updateSourceIpMapping(sidB, h.newDomain());

    await()
        .atMost(OperatorHarness.WAIT)
        .untilAsserted(
            () -> {
              Map<String, TwilioMapping> byIp =
                  h.twilioMappings().stream()
                      .collect(Collectors.toMap(TwilioMapping::ipRecordSid, m -> m));
              assertThat(byIp).containsOnlyKeys(ip1, ip2);
              assertThat(byIp.get(ip1).sipDomainSid()).isEqualTo(domain);
              assertThat(byIp.get(ip2).sipDomainSid()).isEqualTo(domain);
              assertThat(byIp.get(ip2).sid()).isEqualTo(sidB);
              assertThat(h.get("a").getStatus().getSid())
                  .isEqualTo(byIp.get(ip1).sid())
                  .isNotEqualTo(sidA);
            });
    assertThat(h.count("GET", "/v1/SourceIpMappings/{Sid}")).isZero();
  }

  @Test
  void observeNeverWritesAndReportsWhatTwilioHolds() {
    // made at Twilio before the operator's first list (a later one is seen at the next resync)
    String ip = h.newIpRecord();
    String domain = h.newDomain();
    TwilioMapping existing = h.twilio.createSourceIpMapping(ip, h.newDomain());
    h.start();
    long creates = h.creates();
    SourceIpMapping r = h.resource("watch", ip, domain);
    r.getSpec().setManagementPolicy(ManagementPolicy.Observe);

    h.apply(r);

    SourceIpMapping seen = h.awaitCondition("watch", Conditions.SYNCED, "False", Reasons.OBSERVING);
    assertThat(seen.getStatus().getSid()).isEqualTo(existing.sid());
    assertThat(message(seen, Conditions.SYNCED)).contains(existing.sipDomainSid()).contains(domain);
    h.mappings().inNamespace(h.ns).withName("watch").delete();
    h.awaitGone("watch");
    assertThat(h.creates()).isEqualTo(creates);
    assertThat(h.count("POST", "/v1/SourceIpMappings/{Sid}")).isZero();
    assertThat(h.count("DELETE", "/v1/SourceIpMappings/{Sid}")).isZero();
  }

  @Test
  void pausedStopsWritesUntilTheAnnotationIsRemoved() {
    h.start();
    SourceIpMapping r = h.resource("p", h.newIpRecord(), h.newDomain());
    r.getMetadata().setAnnotations(Map.of(SourceIpMapping.PAUSED_ANNOTATION, "true"));

    h.apply(r);
    h.awaitCondition("p", Conditions.SYNCED, "False", Reasons.PAUSED);
    assertThat(h.creates()).isZero();

    h.edit(
        "p",
        x -> {
          x.getMetadata().getAnnotations().remove(SourceIpMapping.PAUSED_ANNOTATION);
          return x;
        });
    h.awaitReady("p");
    assertThat(h.creates()).isEqualTo(1);
  }

  @Test
  void externalSidAnnotationAdoptsWithoutCreating() {
    // an import: the mapping was made at Twilio before, and the operator's first list sees it
    String ip = h.newIpRecord();
    String domain = h.newDomain();
    TwilioMapping existing = h.twilio.createSourceIpMapping(ip, domain);
    h.start();
    long creates = h.creates();
    SourceIpMapping r = h.resource("imported", ip, domain);
    r.getMetadata().setAnnotations(Map.of(SourceIpMapping.EXTERNAL_SID_ANNOTATION, existing.sid()));

    h.apply(r);

    assertThat(h.awaitReady("imported").getStatus().getSid()).isEqualTo(existing.sid());
    assertThat(h.creates()).isEqualTo(creates);
  }

  @Test
  void twoResourcesClaimingOneIpRecordNeverFight() {
    h.start();
    String ip = h.newIpRecord();
    h.apply(h.resource("first", ip, h.newDomain()));
    String sid = h.awaitReady("first").getStatus().getSid();

    h.apply(h.resource("second", ip, h.newDomain()));

    SourceIpMapping loser = h.awaitCondition("second", Conditions.READY, "False", Reasons.CONFLICT);
    assertThat(message(loser, Conditions.READY)).contains(h.ns + "/first");
    assertThat(h.twilioMappings()).extracting(TwilioMapping::sid).containsExactly(sid);
    assertThat(h.count("POST", "/v1/SourceIpMappings/{Sid}")).isZero();

    // the loser's deletion must not take the winner's mapping with it
    h.mappings().inNamespace(h.ns).withName("second").delete();
    h.awaitGone("second");
    assertThat(h.twilioMappings()).extracting(TwilioMapping::sid).containsExactly(sid);
  }

  @Test
  void theLoserTakesOverWhenTheWinnerGoes() {
    h.start();
    String ip = h.newIpRecord();
    h.apply(h.resource("winner", ip, h.newDomain()));
    h.awaitReady("winner");
    String domain = h.newDomain();
    h.apply(h.resource("loser", ip, domain));
    h.awaitCondition("loser", Conditions.READY, "False", Reasons.CONFLICT);

    h.mappings().inNamespace(h.ns).withName("winner").delete();

    SourceIpMapping now = h.awaitReady("loser");
    assertThat(h.twilioMappings())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.sid()).isEqualTo(now.getStatus().getSid());
              assertThat(m.sipDomainSid()).isEqualTo(domain);
            });
  }

  @Test
  void invalidSidsPastTheSchemaAreReportedWithoutCallingTwilio() {
    h.start();
    h.apply(h.resource("bad", "ILnot-hex", "sd" + "a".repeat(32)));

    SourceIpMapping bad = h.awaitCondition("bad", Conditions.READY, "False", Reasons.INVALID_SPEC);

    assertThat(message(bad, Conditions.READY))
        .contains("spec.ipRecordSid 'ILnot-hex' is not a SID")
        .contains("spec.sipDomainSid");
    // nothing but the account's list at start
    assertThat(h.emulator.counters().total())
        .isEqualTo(h.emulator.counters().count("GET", "/v1/SourceIpMappings"))
        .isLessThanOrEqualTo(1);
  }

  @Test
  void aTwilioRejectionIsTerminalWithTwiliosCodeAndNoRetryLoop() throws Exception {
    h.start();
    String unknownIp = "IL" + "0".repeat(32);
    h.apply(h.resource("rejected", unknownIp, h.newDomain()));

    SourceIpMapping r =
        h.awaitCondition("rejected", Conditions.SYNCED, "False", Reasons.TWILIO_REJECTED);

    assertThat(message(r, Conditions.SYNCED)).contains("400").contains("code 20001");
    long attempts = h.creates();
    Thread.sleep(2000); // proving an absence: no retry loop
    assertThat(h.creates()).isEqualTo(attempts).isLessThanOrEqualTo(1);
  }

  @Test
  void aWipedStatusIsReadoptedWithZeroCreates() {
    h.start();
    h.apply(h.resource("w", h.newIpRecord(), h.newDomain()));
    String sid = h.awaitReady("w").getStatus().getSid();

    SourceIpMapping wiped = h.get("w");
    wiped.setStatus(new SourceIpMappingStatus());
    h.mappings().inNamespace(h.ns).resource(wiped).updateStatus();

    await().atMost(OperatorHarness.WAIT).until(() -> sid.equals(h.get("w").getStatus().getSid()));
    assertThat(h.creates()).isEqualTo(1);
  }

  @Test
  void aRateLimitStormStillConverges() {
    h.emulator
        .faults()
        .update(FaultSettings.none().withProbability429(0.5).withRetryAfterSeconds(0));
    h.start();
    String domain = h.newDomain();
    for (int i = 0; i < 20; i++) {
      h.apply(h.resource("storm-" + i, h.newIpRecord(), domain));
    }
    for (int i = 0; i < 20; i++) {
      h.awaitReady("storm-" + i);
    }
    h.emulator.faults().update(FaultSettings.none());
    assertThat(h.twilioMappings()).hasSize(20);
    assertThat(h.emulator.counters().count("POST", "/v1/SourceIpMappings", 201)).isEqualTo(20);
  }

  @Test
  void refusedCredentialsShowAsACredentialsProblem() {
    h.withOperatorToken(KnownSecrets.WRONG_AUTH_TOKEN).start();
    h.apply(h.resource("creds", h.newIpRecord(), h.newDomain()));

    SourceIpMapping r =
        h.awaitCondition("creds", Conditions.READY, "False", Reasons.CREDENTIALS_INVALID);

    assertThat(message(r, Conditions.READY))
        .contains("401")
        .contains("20003")
        .doesNotContain(KnownSecrets.WRONG_AUTH_TOKEN);
    assertThat(h.emulator.counters().count("GET", "/v1/SourceIpMappings", 401)).isEqualTo(1);
    assertThat(h.creates()).isZero();
  }

  @Test
  void aResourceMayAskForAShorterResyncThanTheGlobalOne() {
    h.start(); // global resync: 5 minutes
    String ip = h.newIpRecord();
    String domain = h.newDomain();
    SourceIpMapping r = h.resource("eager", ip, domain);
    r.getMetadata().setAnnotations(Map.of(SourceIpMapping.RESYNC_INTERVAL_ANNOTATION, "10s"));
    h.apply(r);
    String sid = h.awaitReady("eager").getStatus().getSid();

    h.twilio.deleteSourceIpMapping(sid);

    await()
        .atMost(OperatorHarness.WAIT)
        .untilAsserted(
            () ->
                assertThat(h.twilioMappings())
                    .singleElement()
                    .satisfies(m -> assertThat(m.ipRecordSid()).isEqualTo(ip)));
    assertThat(h.creates()).isEqualTo(2);
  }

  private Set<String> reasons(String name) {
    List<Event> events = client.v1().events().inNamespace(h.ns).list().getItems();
    return events.stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason)
        .collect(Collectors.toSet());
  }
}
