package dev.byoc.sourceip.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one kubeconfig writer of the tests; a kubeconfig holds a bearer token, so callers write it
 * under a @TempDir or their own folder, never into target/process-logs.
 */
public final class Kubeconfigs {
  private Kubeconfigs() {}

  /** Writes {@code file} (and its folders): one context, {@code server} and namespace default. */
  public static Path write(Path file, String server, String token) throws IOException {
    return write(file, server, token, "default");
  }

  /** Writes {@code file} (and its folders): one context, {@code server}, {@code namespace}. */
  public static Path write(Path file, String server, String token, String namespace)
      throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.writeString(file, yaml(server, token, namespace));
  }

  /** Like {@link #write(Path, String, String, String)}, into a new kubeconfig-*.yaml in dir. */
  public static Path writeNew(Path dir, String server, String token, String namespace)
      throws IOException {
    return write(Files.createTempFile(dir, "kubeconfig-", ".yaml"), server, token, namespace);
  }

  private static String yaml(String server, String token, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: "%s"
            insecure-skip-tls-verify: %b
        users:
        - name: test
          user:
            token: "%s"
        contexts:
        - name: test
          context: {cluster: test, user: test, namespace: %s}
        current-context: test
        """
        .formatted(server, server.startsWith("https:"), token, namespace);
  }
}
