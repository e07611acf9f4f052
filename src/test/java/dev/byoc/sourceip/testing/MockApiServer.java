package dev.byoc.sourceip.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * fabric8's CRUD mock API server on loopback, behind a dispatcher of the caller's choosing (one
 * that counts or injects faults), with the operator's CRD installed; clients and kubeconfigs tell
 * the dispatcher who calls by their bearer token.
 */
public final class MockApiServer implements AutoCloseable {
  private final KubernetesMockServer server;

  private MockApiServer(KubernetesCrudDispatcher dispatcher) {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  /** Starts the server and installs the CRD with a client identified as {@code adminToken}. */
  public static MockApiServer start(KubernetesCrudDispatcher dispatcher, String adminToken) {
    MockApiServer api = new MockApiServer(dispatcher);
    try (KubernetesClient admin = api.client(adminToken)) {
      Crd.install(admin);
    }
    return api;
  }

  public String url() {
    String url = server.url("/");
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** A client that identifies itself with {@code token}. */
  public KubernetesClient client(String token) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withOauthToken(token)
            .withNamespace("default")
            .withRequestTimeout(120_000)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A kubeconfig for a client that identifies itself with {@code token}. */
  public Path writeKubeconfig(Path file, String token) throws IOException {
    return Kubeconfigs.write(file, url(), token);
  }

  @Override
  public void close() {
    server.destroy();
  }
}
