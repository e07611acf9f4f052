package dev.byoc.sourceip.sandbox;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
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
  /** The kinds the operator reconciles, in the order they are best applied. */
  static final List<Class<? extends HasMetadata>> KINDS =
      List.of(TwilioAccount.class, IpRecord.class, SourceIpMapping.class);

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

  /** The examples the jar carries (a copy of deploy/examples/*.yaml made by the build). */
  static List<HasMetadata> examples() {
    KubernetesClient client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build();
    try {
      List<HasMetadata> items = new ArrayList<>();
      for (String name : EXAMPLES) {
        try (InputStream in = Manifests.class.getResourceAsStream("/examples/" + name)) {
          if (in == null) {
            throw new IllegalStateException("the jar carries no example " + name);
          }
          for (HasMetadata item : client.load(in).items()) {
            items.add(typed(client, item));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return items;
    } finally {
      client.close();
    }
  }

  /** The example files the build copies into the jar. */
  static final List<String> EXAMPLES = List.of("sourceipmapping.yaml", "two-teams.yaml");

  /** The operator's kinds as their Java types, whatever the parser made of them. */
  private static HasMetadata typed(KubernetesClient client, HasMetadata item) {
    for (Class<? extends HasMetadata> kind : KINDS) {
      if (!kind.isInstance(item)
          && HasMetadata.getKind(kind).equals(item.getKind())
          && HasMetadata.getApiVersion(kind).equals(item.getApiVersion())) {
        return client.getKubernetesSerialization().convertValue(item, kind);
      }
    }
    return item;
  }
}
