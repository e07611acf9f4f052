package dev.byoc.sourceip.bench;

import dev.byoc.sourceip.api.v1alpha1.ConditionedStatus;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.reconciler.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What the benchmark sees of the resources of one kind in one namespace (SourceIpMappings unless
 * told otherwise), kept by a watch (an informer) rather than by polling lists, so that watching
 * costs the mock server as little as possible.
 */
final class ResourceView implements AutoCloseable {
  /** The parts of one resource the benchmark waits on (the last two: mappings only). */
  record State(
      String name,
      long generation,
      boolean ready,
      long readyGeneration,
      String sid,
      String ipRecordSid,
      String sipDomainSid) {

    /** Ready=True for the current generation. */
    boolean readyNow() {
      return ready && readyGeneration == generation;
    }
  }

  private final Map<String, State> states = new ConcurrentHashMap<>();
  private final SharedIndexInformer<?> informer;

  ResourceView(KubernetesClient client, String namespace) {
    this(client, namespace, SourceIpMapping.class);
  }

  <R extends CustomResource<?, ? extends ConditionedStatus>> ResourceView(
      KubernetesClient client, String namespace, Class<R> kind) {
    informer =
        client
            .resources(kind)
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<R>() {
                  @Override
                  public void onAdd(R r) {
                    put(r);
                  }

                  @Override
                  public void onUpdate(R old, R r) {
                    put(r);
                  }

                  @Override
                  public void onDelete(R r, boolean unknownFinalState) {
                    states.remove(r.getMetadata().getName());
                  }
                },
                0);
  }

  private void put(CustomResource<?, ? extends ConditionedStatus> r) {
    Long gen = r.getMetadata().getGeneration();
    ConditionedStatus status = r.getStatus();
    Condition ready = status == null ? null : Conditions.find(status.getConditions(), "Ready");
    SourceIpMappingStatus mapping = status instanceof SourceIpMappingStatus s ? s : null;
    states.put(
        r.getMetadata().getName(),
        new State(
            r.getMetadata().getName(),
            gen == null ? 0 : gen,
            ready != null && "True".equals(ready.getStatus()),
            ready == null || ready.getObservedGeneration() == null
                ? -1
                : ready.getObservedGeneration(),
            status == null ? null : status.getSid(),
            mapping == null ? null : mapping.getIpRecordSid(),
            mapping == null ? null : mapping.getSipDomainSid()));
  }

  int size() {
    return states.size();
  }

  long count(Predicate<State> predicate) {
    return states.values().stream().filter(predicate).count();
  }

  State get(String name) {
    return states.get(name);
  }

  @Override
  public void close() {
    informer.close();
  }
}
