package dev.byoc.sourceip.bench;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.reconciler.Conditions;
import dev.byoc.sourceip.reconciler.EventRecorder;
import dev.byoc.sourceip.reconciler.RelevantChangeFilter;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The Kubernetes floor: a controller configured like the operator (JOSDK, no server-side apply,
 * same finalizer, same update filter, same concurrency) that only adds its finalizer and writes a
 * Ready status, with no Twilio calls and no Events. Whatever it takes to converge N resources is
 * what the mock server and the Kubernetes client cost, not the operator. (With {@code
 * --floor-events}, a diagnostic, it also records one Event per write as the operator does, to show
 * what the Events cost on this mock server.)
 */
final class FloorController implements Reconciler<SourceIpMapping>, Cleaner<SourceIpMapping> {
  private final EventRecorder events;

  /** {@code events} null: the floor proper; else one Event per write, as the operator records. */
  private FloorController(EventRecorder events) {
    this.events = events;
  }

  static Operator start(
      KubernetesClient client, String namespace, int concurrency, boolean withEvents) {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                    .withConcurrentReconciliationThreads(concurrency)
                    .withReconciliationTerminationTimeout(Duration.ofSeconds(10)));
    operator.register(
        new FloorController(withEvents ? new EventRecorder(client) : null),
        c ->
            c.withName("floor")
                .withFinalizer(SourceIpMapping.FINALIZER)
                .withGenerationAware(false)
                .withOnUpdateFilter(new RelevantChangeFilter<SourceIpMapping>())
                .settingNamespaces(Set.of(namespace)));
    operator.start();
    return operator;
  }

  @Override
  public UpdateControl<SourceIpMapping> reconcile(
      SourceIpMapping resource, Context<SourceIpMapping> context) {
    long generation = resource.getMetadata().getGeneration();
    SourceIpMappingStatus current = resource.getStatus();
    SourceIpMappingStatus next = new SourceIpMappingStatus();
    next.setIpRecordSid(resource.getSpec().getIpRecordSid());
    next.setSipDomainSid(resource.getSpec().getSipDomainSid());
    next.setObservedGeneration(generation);
    List<Condition> conditions = current == null ? List.of() : current.getConditions();
    Instant now = Instant.now();
    conditions =
        Conditions.with(
            Conditions.with(conditions, Conditions.READY, true, "Available", "", generation, now),
            Conditions.SYNCED,
            true,
            "ReconcileSuccess",
            "",
            generation,
            now);
    next.setConditions(conditions);
    if (Objects.equals(current, next)) {
      return UpdateControl.noUpdate();
    }
    if (events != null) {
      events.normal(resource, current == null ? "Created" : "Updated", "floor " + generation);
    }
    resource.setStatus(next);
    return UpdateControl.patchStatus(resource);
  }

  @Override
  public DeleteControl cleanup(SourceIpMapping resource, Context<SourceIpMapping> context) {
    if (events != null) {
      events.normal(resource, "Deleted", "floor");
    }
    return DeleteControl.defaultDelete();
  }
}
