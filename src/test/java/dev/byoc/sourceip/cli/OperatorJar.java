package dev.byoc.sourceip.cli;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.testing.Crd;
import dev.byoc.sourceip.testing.ShippedJar;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
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
    ProcessBuilder builder = ShippedJar.process(List.of(), List.of(args), env);
    if (stdout.equals(stderr)) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(logs.resolve(stderr).toFile());
    }
    builder.redirectOutput(logs.resolve(stdout).toFile());
    return builder.start();
  }

  /**
   * The environment of an operator process: the kubeconfig, the known account and auth token
   * against {@code twilioBaseUrl}, and the one namespace it watches (a mutable copy to add to).
   */
  static Map<String, String> env(Path kubeconfig, String twilioBaseUrl, String namespace) {
    return new java.util.HashMap<>(
        Map.of(
            "KUBECONFIG",
            kubeconfig.toString(),
            "TWILIO_ACCOUNT_SID",
            KnownSecrets.ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN",
            KnownSecrets.AUTH_TOKEN,
            "TWILIO_BASE_URL",
            twilioBaseUrl,
            "SOURCEIP_NAMESPACES",
            namespace));
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

  /** Installs the generated CRD, or leaves it when it is there. */
  static void installCrd(KubernetesClient client) {
    Crd.install(client);
  }
}
