package dev.byoc.sourceip.sandbox;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Kubernetes objects in a directory's YAML files, as {@code kubectl apply -f DIR} reads them.
 */
final class Manifests {
  private Manifests() {}

  /** Every object of every *.yaml / *.yml file directly in {@code dir}, in file-name order. */
  static List<HasMetadata> load(KubernetesClient client, Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "no manifests: " + dir.toAbsolutePath() + " is not a directory");
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
    }
    List<HasMetadata> items = new ArrayList<>();
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata item : client.load(in).items()) {
          items.add(typed(client, item));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      } catch (KubernetesClientException | IllegalArgumentException e) {
        throw new IllegalArgumentException(
            file + " is not valid Kubernetes YAML: " + e.getMessage(), e);
      }
    }
    return items;
  }

  /** SourceIpMappings as their Java type, whatever the parser made of them. */
  private static HasMetadata typed(KubernetesClient client, HasMetadata item) {
    if (item instanceof SourceIpMapping
        || !"SourceIpMapping".equals(item.getKind())
        || !(SourceIpMapping.GROUP + "/" + SourceIpMapping.VERSION).equals(item.getApiVersion())) {
      return item;
    }
    return client.getKubernetesSerialization().convertValue(item, SourceIpMapping.class);
  }
}
