package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.api.v1alpha1.ConditionedStatus;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;

/**
 * Passes the updates that can change what the operator does: spec (generation), deletion,
 * finalizers, the operator's annotations, and a status someone else wrote or wiped. Drops the
 * operator's own status writes, so that a resource at rest costs nothing.
 */
public final class RelevantChangeFilter<R extends CustomResource<?, ? extends ConditionedStatus>>
    implements OnUpdateFilter<R> {
  private static final String ANNOTATION_PREFIX = SourceIpMapping.GROUP + "/";

  @Override
  public boolean accept(R updated, R old) {
    if (!Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || updated.isMarkedForDeletion()
        || !Objects.equals(updated.getMetadata().getFinalizers(), old.getMetadata().getFinalizers())
        || !Objects.equals(
            ours(updated.getMetadata().getAnnotations()),
            ours(old.getMetadata().getAnnotations()))) {
      return true;
    }
    if (Objects.equals(updated.getStatus(), old.getStatus())) {
      return false;
    }
    // a status without the operator's conditions for this generation was written by someone else
    var status = updated.getStatus();
    return status == null
        || status.getObservedGeneration() == null
        || !status.getObservedGeneration().equals(updated.getMetadata().getGeneration())
        || Conditions.find(status.getConditions(), Conditions.READY) == null
        || Conditions.find(status.getConditions(), Conditions.SYNCED) == null;
  }

  private static Map<String, String> ours(Map<String, String> annotations) {
    if (annotations == null) {
      return Map.of();
    }
    Map<String, String> result = new java.util.TreeMap<>();
    annotations.forEach(
        (k, v) -> {
          if (k.startsWith(ANNOTATION_PREFIX)) {
            result.put(k, v);
          }
        });
    return result;
  }
}
