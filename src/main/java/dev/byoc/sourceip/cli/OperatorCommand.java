package dev.byoc.sourceip.cli;

import dev.byoc.sourceip.SourceIpOperator;
import dev.byoc.sourceip.config.ConfigException;
import dev.byoc.sourceip.config.OperatorConfig;
import dev.byoc.sourceip.config.Setting;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs the operator against the current kubeconfig (or in-cluster config) until stopped. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    abbreviateSynopsis = true,
    sortOptions = false,
    description = {
      "Reconciles SourceIpMapping resources with Twilio until stopped.",
      "Kubernetes: the current kubeconfig (KUBECONFIG) or the in-cluster service account.",
      "Twilio credentials come from the environment only: TWILIO_ACCOUNT_SID with",
      "TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with TWILIO_API_SECRET."
    })
final class OperatorCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorCommand.class);

  @Spec CommandSpec spec;

  static void addSettingOptions(CommandSpec spec) {
    SettingOptions.addTo(spec, Setting.values());
  }

  @Override
  public Integer call() {
    OperatorConfig config;
    try {
      config = OperatorConfig.from(SettingOptions.read(spec, System.getenv()));
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (KubernetesClient kubernetes = new KubernetesClientBuilder().build();
        SourceIpOperator operator = SourceIpOperator.start(config, kubernetes)) {
      LOG.info(
          "sourceip-operator started: namespaces={}, resync={}, Twilio account {}",
          config.allNamespaces() ? "all" : config.namespaces(),
          config.resyncInterval(),
          config.twilio().accountSid());
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "shutdown"));
      stopped.await();
      return ExitCodes.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.OK;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("error: the operator could not start: " + rootMessage(e));
      return ExitCodes.FAILURE;
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t
        ? String.valueOf(t.getMessage())
        : t.getMessage() + " (" + root.getMessage() + ")";
  }
}
