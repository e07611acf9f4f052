package dev.byoc.sourceip.export;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/** Reads an export's YAML stream back into the typed resources, as kubectl would see them. */
public final class ExportedYaml {
  private ExportedYaml() {}

  /** Every document that holds a resource, in file order, as its kind's class. */
  public static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> resources = new ArrayList<>();
    for (String document : yaml.split("(?m)^---$")) {
      if (document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      String kind = Serialization.unmarshal(document, GenericKubernetesResource.class).getKind();
      resources.add(
          switch (kind) {
            case "IpRecord" -> Serialization.unmarshal(document, IpRecord.class);
            case "SourceIpMapping" -> Serialization.unmarshal(document, SourceIpMapping.class);
            default -> throw new AssertionError("an export holds no " + kind);
          });
    }
    return resources;
  }

  /** The resources of one kind, in order. */
  public static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> resources, Class<T> kind) {
    return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** The external-sid annotation: the Twilio resource a resource adopts. */
  public static String externalSid(HasMetadata resource) {
    return resource.getMetadata().getAnnotations().get(SourceIpMapping.EXTERNAL_SID_ANNOTATION);
  }
}
