package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kinds the embedded API serves beyond plain CRUD (tables, watches by long poll, field
 * selectors, schema validation): every served version of every CRD it installs, plus core/v1
 * Events, Namespaces and Secrets.
 */
final class ApiKinds {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One served resource; {@code crd} is null for the built-in kinds. */
  record Kind(
      String group,
      String version,
      String plural,
      String singular,
      String kind,
      boolean namespaced,
      List<CustomResourceColumnDefinition> columns,
      JsonNode schema,
      CustomResourceDefinition crd) {

    String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code SourceIpMapping.voice.byoc.dev}, as the API server names a kind in messages. */
    String qualifiedKind() {
      return group.isEmpty() ? kind : kind + "." + group;
    }

    boolean custom() {
      return crd != null;
    }
  }

  static final Kind EVENTS =
      new Kind("", "v1", "events", "event", "Event", true, List.of(), null, null);
  static final Kind NAMESPACES =
      new Kind("", "v1", "namespaces", "namespace", "Namespace", false, List.of(), null, null);
  static final Kind SECRETS =
      new Kind("", "v1", "secrets", "secret", "Secret", true, List.of(), null, null);

  private final List<Kind> kinds;

  ApiKinds(List<CustomResourceDefinition> crds) {
    List<Kind> all = new ArrayList<>();
    for (CustomResourceDefinition crd : crds) {
      CustomResourceDefinitionNames names = crd.getSpec().getNames();
      boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
      for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
        if (!Boolean.TRUE.equals(v.getServed())) {
          continue;
        }
        JsonNode schema =
            v.getSchema() == null || v.getSchema().getOpenAPIV3Schema() == null
                ? null
                : JSON.valueToTree(v.getSchema().getOpenAPIV3Schema());
        all.add(
            new Kind(
                crd.getSpec().getGroup(),
                v.getName(),
                names.getPlural(),
                names.getSingular(),
                names.getKind(),
                namespaced,
                v.getAdditionalPrinterColumns() == null
                    ? List.of()
                    : List.copyOf(v.getAdditionalPrinterColumns()),
                schema,
                crd));
      }
    }
    all.add(EVENTS);
    all.add(NAMESPACES);
    all.add(SECRETS); // TwilioAccounts' credentials, applied with kubectl like the rest
    this.kinds = List.copyOf(all);
  }

  List<Kind> all() {
    return kinds;
  }

  List<Kind> custom() {
    return kinds.stream().filter(Kind::custom).toList();
  }

  Optional<Kind> byPlural(String group, String version, String plural) {
    return kinds.stream()
        .filter(k -> k.group().equals(group))
        .filter(k -> k.version().equals(version))
        .filter(k -> k.plural().equals(plural))
        .findFirst();
  }

  Optional<Kind> byKind(String apiVersion, String kind) {
    return kinds.stream()
        .filter(k -> k.apiVersion().equals(apiVersion))
        .filter(k -> k.kind().equals(kind))
        .findFirst();
  }
}
