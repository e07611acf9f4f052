package dev.byoc.sourceip.sandbox;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * A Kubernetes API in this process (fabric8's CRUD mock server) with the operator's CRDs installed,
 * and a kubeconfig that points at it. Not a real API server, but it answers kubectl as one would
 * for the CRDs' kinds (see {@link Discovery}): tables, OpenAPI, field selectors, plain-HTTP
 * watches, and validation against each CRD's schema. Every kind it serves comes from {@link #CRDS},
 * the one list of CRDs.
 */
public final class EmbeddedKubernetes implements AutoCloseable {
  static final List<String> CRDS =
      List.of(
          "/META-INF/fabric8/iprecords.voice.byoc.dev-v1.yml",
          "/META-INF/fabric8/sourceipmappings.voice.byoc.dev-v1.yml",
          "/META-INF/fabric8/twilioaccounts.voice.byoc.dev-v1.yml",
          "/META-INF/fabric8/clustertwilioaccounts.voice.byoc.dev-v1.yml");

  private final KubernetesMockServer server;
  private final Discovery discovery;
  private final KubernetesClient client;

  private EmbeddedKubernetes(KubernetesMockServer server, Discovery discovery) {
    this.server = server;
    this.discovery = discovery;
    this.client = server.createClient();
  }

  /** Told of every Secret and custom resource before it is stored (see {@link Discovery}). */
  void admission(Discovery.Admission admission) {
    discovery.admission(admission);
  }

  /**
   * Listens on loopback at {@code port} (0 picks a free one) and installs the CRDs, which its
   * discovery documents describe.
   */
  public static EmbeddedKubernetes start(int port) {
    return start(port, crds());
  }

  /** As {@link #start(int)}, with other CRDs than {@link #CRDS} (tests). */
  static EmbeddedKubernetes start(int port, List<CustomResourceDefinition> crds) {
    Discovery discovery = new Discovery(crds);
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), discovery, false);
    server.init(InetAddress.getLoopbackAddress(), port);
    EmbeddedKubernetes kubernetes = new EmbeddedKubernetes(server, discovery);
    for (CustomResourceDefinition crd : crds) {
      kubernetes.client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    // the namespaces every cluster has: an object is created only in a namespace that exists
    for (String namespace : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      kubernetes
          .client
          .namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(namespace)
                  .endMetadata()
                  .build())
          .create();
    }
    return kubernetes;
  }

  private static volatile List<CustomResourceDefinition> loaded;
  private static volatile ApiKinds kinds;

  /** The CRDs of {@link #CRDS}, read once (each call hands out copies). */
  static List<CustomResourceDefinition> crds() {
    if (loaded == null) {
      loaded = CRDS.stream().map(EmbeddedKubernetes::crd).toList();
    }
    KubernetesSerialization json = new KubernetesSerialization();
    return loaded.stream().map(c -> json.clone(c)).toList();
  }

  /** The kinds the embedded API serves, from {@link #CRDS}. */
  static ApiKinds kinds() {
    if (kinds == null) {
      kinds = new ApiKinds(crds());
    }
    return kinds;
  }

  private static CustomResourceDefinition crd(String path) {
    try (InputStream in = EmbeddedKubernetes.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the jar carries no CRD at " + path);
      }
      return new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  /** The API server's URL, e.g. {@code http://localhost:41234}. */
  public String url() {
    String url = server.url("/");
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Writes a kubeconfig for kubectl and other clients; returns its path. */
  public Path writeKubeconfig(Path file) {
    Config config =
        new ConfigBuilder()
            .withApiVersion("v1")
            .withKind("Config")
            .addNewCluster()
            .withName("sourceip-sandbox")
            .withNewCluster()
            .withServer(url())
            .endCluster()
            .endCluster()
            .addNewUser()
            .withName("sandbox")
            .withNewUser()
            .withToken("sandbox")
            .endUser()
            .endUser()
            .addNewContext()
            .withName("sourceip-sandbox")
            .withNewContext()
            .withCluster("sourceip-sandbox")
            .withUser("sandbox")
            .withNamespace("default")
            .endContext()
            .endContext()
            .withCurrentContext("sourceip-sandbox")
            .build();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, client.getKubernetesSerialization().asYaml(config));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
