package dev.byoc.sourceip.export;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Comparator;

/** What every exported resource carries, whatever its kind, so that applying it adopts. */
final class AdoptingMetadata {
  /** The order resources of one kind are written in. */
  static final Comparator<HasMetadata> BY_NAME =
      Comparator.comparing(r -> r.getMetadata().getName());

  private AdoptingMetadata() {}

  /**
   * Name and namespace, and the {@code voice.byoc.dev/external-sid} annotation naming the Twilio
   * resource to adopt (the same annotation on every kind; the kind says which SID it expects).
   */
  static ObjectMeta of(String name, String externalSid, ExportOptions options) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(options.namespace())
        .addToAnnotations(SourceIpMapping.EXTERNAL_SID_ANNOTATION, externalSid)
        .build();
  }
}
