package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;

/**
 * JOSDK hands each reconcile a clone made by a JSON round trip, which drops the spec fields this
 * version could not read; this cloner carries them over, so the reconciler reports them instead of
 * acting on a spec that merely looks sound (an unreadable deletionPolicy is not Delete).
 */
public final class UnreadableKeepingCloner implements Cloner {
  private final KubernetesSerialization json;

  public UnreadableKeepingCloner(KubernetesSerialization json) {
    this.json = json;
  }

  @Override
  public <R extends HasMetadata> R clone(R object) {
    R copy = json.clone(object);
    if (object instanceof SourceIpMapping from
        && copy instanceof SourceIpMapping to
        && from.getSpec() != null
        && to.getSpec() != null) {
      from.getSpec().getUnreadable().forEach(to.getSpec()::putUnreadable);
    }
    if (object instanceof IpRecord from
        && copy instanceof IpRecord to
        && from.getSpec() != null
        && to.getSpec() != null) {
      from.getSpec().getUnreadable().forEach(to.getSpec()::putUnreadable);
    }
    return copy;
  }
}
