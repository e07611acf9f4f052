package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.argocd.ArgoHealthCheck;
import dev.byoc.sourceip.kstatus.Kstatus;
import dev.byoc.sourceip.kstatus.Kstatus.Status;
import dev.byoc.sourceip.testing.ConditionAssert;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * kstatus (ported in {@link Kstatus}) reads the objects the operator really produced, in the
 * scenarios of docs/status.md, as that document says; and the new conditions cost no write.
 */
@EnableKubernetesMockClient(crud = true)
class KstatusIT {
  static KubernetesClient client;

  @Test
  void everyProducedObjectReadsAsDocsStatusMdSays() {
    Map<String, SourceIpMapping> produced;
    try (OperatorHarness h = new OperatorHarness(client)) {
      produced = ProducedObjects.produce(h);
    }
    ProducedObjects.dump(produced, Path.of("target", "produced-objects"));

    Map<String, Status> expected =
        Map.ofEntries(
            Map.entry(ProducedObjects.READY, Status.CURRENT),
            Map.entry(ProducedObjects.OBSERVE_MATCHES, Status.CURRENT),
            Map.entry(ProducedObjects.OBSERVE_DIFFERS, Status.CURRENT),
            Map.entry(ProducedObjects.PAUSED, Status.CURRENT),
            Map.entry(ProducedObjects.PAUSED_BEFORE_CREATE, Status.CURRENT),
            Map.entry(ProducedObjects.INVALID_SPEC, Status.FAILED),
            Map.entry(ProducedObjects.TWILIO_REJECTED, Status.FAILED),
            Map.entry(ProducedObjects.REFERENCE_NOT_READY, Status.FAILED),
            Map.entry(ProducedObjects.UNKNOWN_DOMAIN_NAME, Status.FAILED),
            // it ends by itself when the IpRecord is Ready: work under way, not a failure
            Map.entry(ProducedObjects.WAITING_FOR_IP_RECORD, Status.IN_PROGRESS),
            Map.entry(ProducedObjects.CONFLICT_LOSER, Status.FAILED),
            Map.entry(ProducedObjects.CREDENTIALS_REFUSED, Status.FAILED),
            Map.entry(ProducedObjects.CREATING_RETRIED, Status.IN_PROGRESS),
            Map.entry(ProducedObjects.UPDATING_RETRIED, Status.IN_PROGRESS),
            Map.entry(ProducedObjects.DELETING_RETRIED, Status.TERMINATING),
            // the known gap: no status is written before the first attempt ends (docs/status.md)
            Map.entry(ProducedObjects.CREATING_FIRST_ATTEMPT, Status.CURRENT));
    assertThat(produced.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (scenario, status) ->
            assertThat(Kstatus.compute(produced.get(scenario)).status())
                .as(scenario + ": " + Kstatus.compute(produced.get(scenario)))
                .isEqualTo(status));

    // every row of docs/status.md: its scenario's object, read by the kstatus rules and by the
    // Argo CD health check (the Lua of deploy/argocd, run on LuaJ) as the row says
    List<StatusRow> rows = statusRows();
    assertThat(rows)
        .extracting(StatusRow::scenario)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    ArgoHealthCheck argo = ArgoHealthCheck.sourceIpMapping();
    for (StatusRow row : rows) {
      SourceIpMapping object = produced.get(row.scenario());
      assertThat(Kstatus.compute(object).status().wireName)
          .as("kstatus of " + row.scenario())
          .isEqualTo(row.kstatus());
      assertThat(argo.evaluate(object).status())
          .as("Argo CD health of " + row.scenario() + ": " + argo.evaluate(object))
          .isEqualTo(row.argoHealth());
    }

    // the stalled ones carry their reason, the retried ones theirs
    assertReason(produced, ProducedObjects.INVALID_SPEC, Reasons.INVALID_SPEC);
    assertReason(produced, ProducedObjects.TWILIO_REJECTED, Reasons.TWILIO_REJECTED);
    assertReason(produced, ProducedObjects.REFERENCE_NOT_READY, Reasons.REFERENCE_NOT_READY);
    assertReason(produced, ProducedObjects.CONFLICT_LOSER, Reasons.CONFLICT);
    assertReason(produced, ProducedObjects.CREDENTIALS_REFUSED, Reasons.CREDENTIALS_INVALID);
    assertReason(produced, ProducedObjects.CREATING_RETRIED, Reasons.CREATING);
    assertReason(produced, ProducedObjects.UPDATING_RETRIED, Reasons.TWILIO_UNAVAILABLE);

    // abnormal-true: absent, not False, when there is nothing abnormal; never both
    for (String calm :
        List.of(
            ProducedObjects.READY,
            ProducedObjects.OBSERVE_MATCHES,
            ProducedObjects.OBSERVE_DIFFERS,
            ProducedObjects.PAUSED,
            ProducedObjects.PAUSED_BEFORE_CREATE)) {
      assertThat(types(produced.get(calm)))
          .as(calm)
          .containsExactly("Ready", "Reconciling", "Stalled", "Synced");
      assertThat(trueOnes(produced.get(calm))).as(calm).doesNotContain("Reconciling", "Stalled");
    }
    produced.forEach(
        (scenario, r) ->
            assertThat(
                    trueOnes(r).contains(Conditions.RECONCILING)
                        && trueOnes(r).contains(Conditions.STALLED))
                .as(scenario + " has both Reconciling and Stalled")
                .isFalse());
    assertThat(produced.get(ProducedObjects.CREATING_FIRST_ATTEMPT).getStatus()).isNull();
    // the deletion retry also says what is under way
    Condition deleting =
        ConditionAssert.condition(
            produced.get(ProducedObjects.DELETING_RETRIED), Conditions.RECONCILING);
    assertThat(deleting.getReason()).isEqualTo(Reasons.DELETING);
  }

  /** An invalid spec is Failed in the first status the operator writes: one reconcile. */
  @Test
  void anInvalidSpecIsFailedInTheFirstStatusWritten() {
    try (OperatorHarness h = new OperatorHarness(client)) {
      h.start();
      h.applyRaw("bad", Map.of("spec", Map.of("ipRecordSid", "IL1")), Map.of());
      SourceIpMapping first =
          await()
              .atMost(OperatorHarness.WAIT)
              .pollInterval(Duration.ofMillis(10))
              .until(() -> h.get("bad"), r -> r != null && r.getStatus() != null);
      assertThat(Kstatus.compute(first).status()).isEqualTo(Status.FAILED);
      assertThat(first.getStatus().getObservedGeneration())
          .isEqualTo(first.getMetadata().getGeneration());
    }
  }

  /**
   * The new conditions ride on the status write a create already made: a create is still one
   * finalizer write and one status write, and nothing after it.
   */
  @Test
  void aCreateIsStillOneFinalizerWriteAndOneStatusWrite() throws Exception {
    try (OperatorHarness h = new OperatorHarness(client)) {
      h.start();
      List<SourceIpMapping> modified = new CopyOnWriteArrayList<>();
      try (Watch watch =
          h.mappings()
              .inNamespace(h.ns)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, SourceIpMapping r) {
                      if (action == Action.MODIFIED) {
                        modified.add(r);
                      }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  })) {
        h.apply(h.resource("one", h.newIpRecord(), h.newDomain()));
        h.awaitReady("one");
        Thread.sleep(1500); // nothing to await: proving an absence
        assertThat(modified).hasSize(2);
        assertThat(modified.get(0).getStatus()).isNull();
        assertThat(modified.get(0).getMetadata().getFinalizers())
            .containsExactly(SourceIpMapping.FINALIZER);
        assertThat(types(modified.get(1)))
            .containsExactly("Ready", "Reconciling", "Stalled", "Synced");
        assertThat(trueOnes(modified.get(1))).containsExactly("Ready", "Synced");
        assertThat(Kstatus.compute(modified.get(1)).status()).isEqualTo(Status.CURRENT);
      }
    }
  }

  /** The types of the conditions that are True. */
  static List<String> trueOnes(SourceIpMapping r) {
    if (r.getStatus() == null) {
      return List.of();
    }
    return r.getStatus().getConditions().stream()
        .filter(c -> "True".equals(c.getStatus()))
        .map(Condition::getType)
        .toList();
  }

  static List<String> types(SourceIpMapping r) {
    if (r.getStatus() == null) {
      return List.of();
    }
    return r.getStatus().getConditions().stream().map(Condition::getType).toList();
  }

  /** A row of docs/status.md's table: its scenario, kstatus result and Argo CD health. */
  record StatusRow(String scenario, String kstatus, String argoHealth) {}

  static List<StatusRow> statusRows() {
    try {
      return Files.readAllLines(Path.of("docs", "status.md")).stream()
          .filter(l -> l.startsWith("| ") && l.trim().endsWith("` |"))
          .map(l -> l.split("\\|"))
          .map(
              c ->
                  new StatusRow(
                      c[8].trim().replace("`", ""), c[6].trim().split(" ")[0], c[7].trim()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertReason(Map<String, SourceIpMapping> produced, String scenario, String reason) {
    assertThat(Kstatus.compute(produced.get(scenario)).reason()).as(scenario).isEqualTo(reason);
  }
}
