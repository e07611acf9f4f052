package dev.byoc.sourceip.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Kubernetes YAML (files, Helm and kustomize output) as fabric8 objects, for the assertions. */
final class K8sObjects {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private K8sObjects() {}

  /** Every object of a (multi-document) YAML text, typed where fabric8 knows the kind. */
  static List<HasMetadata> parse(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(yaml);
    if (parsed == null) {
      return List.of();
    }
    if (parsed instanceof List<?> list) {
      return list.stream().map(HasMetadata.class::cast).toList();
    }
    return List.of((HasMetadata) parsed);
  }

  static List<HasMetadata> read(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /** The objects of one type. */
  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The only object of a type; fails when there are none or several. */
  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected exactly one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  /**
   * What rules allow, one "group/resource:verb" per grant, so that rule layouts compare. A wildcard
   * anywhere is refused: least privilege names every group, resource and verb.
   */
  static Set<String> grants(List<PolicyRule> rules) {
    Set<String> grants = new TreeSet<>();
    for (PolicyRule rule : rules) {
      if (!rule.getResourceNames().isEmpty() || !rule.getNonResourceURLs().isEmpty()) {
        throw new AssertionError("unexpected resourceNames or nonResourceURLs in " + rule);
      }
      if (rule.getApiGroups().contains("*")
          || rule.getResources().stream().anyMatch(r -> r.contains("*"))
          || rule.getVerbs().contains("*")) {
        throw new AssertionError("a wildcard in " + rule);
      }
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            grants.add(group + "/" + resource + ":" + verb);
          }
        }
      }
    }
    return grants;
  }
}
