package dev.byoc.sourceip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.KnownSecrets;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shipped jar as a process for black-box tests: started with only the given environment, its
 * output kept in a folder under target/process-logs/, and the Kubernetes side it needs.
 */
final class OperatorJar {
  private OperatorJar() {}

  /** Starts `java -jar <jar> args` with only {@code env} for Twilio and Kubernetes settings. */
  static Process start(
      Path logs, Map<String, String> env, String stdout, String stderr, String... args)
      throws IOException {
    Path jar = Path.of(System.getProperty("sourceip.jar", "target/sourceip-operator.jar"));
    assertThat(jar).as("run `mvn package` first").isRegularFile();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    if (stdout.equals(stderr)) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(logs.resolve(stderr).toFile());
    }
    builder.redirectOutput(logs.resolve(stdout).toFile());
    builder
        .environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("TWILIO_")
                    || k.startsWith("SOURCEIP_")
                    || k.startsWith("KUBERNETES_")
                    || k.equals("KUBECONFIG"));
    builder.environment().putAll(env);
    return builder.start();
  }

  /** SIGTERM, then a forced stop if it takes more than 10 s. */
  static void stop(Process process) throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A kubeconfig in {@code dir} with one context: {@code server}, {@code namespace}, and the known
   * bearer token (the mock API server takes any).
   */
  static Path kubeconfig(Path dir, String server, String namespace) throws IOException {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
            insecure-skip-tls-verify: %b
        users:
        - name: test
          user:
            token: %s
        contexts:
        - name: test
          context: {cluster: test, user: test, namespace: %s}
        current-context: test
        """
            .formatted(
                server, server.startsWith("https:"), KnownSecrets.KUBERNETES_TOKEN, namespace);
    return Files.writeString(Files.createTempFile(dir, "kubeconfig-", ".yaml"), yaml);
  }

  /** Installs the generated CRD, or leaves it when it is there. */
  static void installCrd(KubernetesClient client) throws IOException {
    try (InputStream crd =
        OperatorJar.class.getResourceAsStream(
            "/META-INF/fabric8/sourceipmappings.voice.byoc.dev-v1.yml")) {
      CustomResourceDefinition definition =
          client.apiextensions().v1().customResourceDefinitions().load(crd).item();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(definition)
          .createOr(c -> c.update());
    }
  }
}
