package dev.byoc.sourceip.cli;

import dev.byoc.sourceip.SourceIpOperator;
import dev.byoc.sourceip.config.ConfigException;
import dev.byoc.sourceip.config.OperatorConfig;
import dev.byoc.sourceip.config.Setting;
import dev.byoc.sourceip.health.ManagementServer;
import dev.byoc.sourceip.logging.LogSetup;
import dev.byoc.sourceip.metrics.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs the operator against the current kubeconfig (or in-cluster config) until stopped. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    abbreviateSynopsis = true,
    sortOptions = false,
    description = {
      "Reconciles SourceIpMapping resources with Twilio until stopped.",
      "Kubernetes: the current kubeconfig (KUBECONFIG) or the in-cluster service account.",
      "Twilio credentials come from the environment only: TWILIO_ACCOUNT_SID with",
      "TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with TWILIO_API_SECRET. Without usable ones the",
      "operator still runs and every resource reports CredentialsInvalid saying what is missing."
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
    LogSetup.apply(config.logging().level(), config.logging().format());
    Shutdown shutdown = Shutdown.onSignals();
    OperatorMetrics metrics = new OperatorMetrics();
    StartingProbes probes = new StartingProbes();
    ManagementServer management = null;
    if (config.managementPort() != 0) {
      try {
        management =
            ManagementServer.start(anyAddress(), config.managementPort(), probes, metrics::scrape);
      } catch (java.io.UncheckedIOException e) {
        spec.commandLine().getErr().println("error: " + e.getMessage());
        return ExitCodes.FAILURE;
      }
    }
    KubernetesClient kubernetes = new KubernetesClientBuilder().build();
    SourceIpOperator operator;
    try {
      operator = SourceIpOperator.start(config, kubernetes, metrics);
    } catch (RuntimeException e) {
      kubernetes.close();
      if (management != null) {
        management.close();
      }
      spec.commandLine()
          .getErr()
          .println(
              "error: "
                  + (e instanceof ConfigException
                      ? e.getMessage()
                      : "the operator could not start against the Kubernetes API at "
                          + kubernetes.getMasterUrl()
                          + ": "
                          + rootMessage(e)));
      return e instanceof ConfigException ? ExitCodes.USAGE : ExitCodes.FAILURE;
    }
    probes.started(operator);
    String namespaces =
        config.scope().allNamespaces() ? "all" : config.scope().namespaces().toString();
    config
        .credentialsProblem()
        .ifPresentOrElse(
            // said once here; resources say it in their conditions, never the log per reconcile
            problem ->
                LOG.warn(
                    "sourceip-operator started without Twilio: {}. Every SourceIpMapping reports"
                        + " CredentialsInvalid and nothing is sent to Twilio. namespaces={}",
                    problem,
                    namespaces),
            () ->
                LOG.info(
                    "sourceip-operator started: namespaces={}, resync={}, Twilio account {},"
                        + " management endpoint {}",
                    namespaces,
                    config.resyncInterval(),
                    config.twilio().accountSid(),
                    config.managementPort() == 0 ? "off" : "on port " + config.managementPort()));
    shutdown.awaitSignal();
    LOG.info(
        "Stopping: no new work; reconciles in flight get up to {}s",
        SourceIpOperator.TERMINATION_TIMEOUT.toSeconds());
    operator.close();
    kubernetes.close();
    if (management != null) {
      management.close();
    }
    LOG.info("Stopped");
    return ExitCodes.OK;
  }

  /** All interfaces: the kubelet probes and Prometheus scrapes the pod's own address. */
  private static java.net.InetAddress anyAddress() {
    try {
      return java.net.InetAddress.getByAddress(new byte[4]);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The outer message and every distinct cause, e.g. "Error starting operator: Failed to connect".
   */
  private static String rootMessage(Throwable t) {
    StringBuilder message = new StringBuilder(String.valueOf(t.getMessage()));
    for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !message.toString().contains(c.getMessage())) {
        message.append(": ").append(c.getMessage());
      }
    }
    return message.toString();
  }
}
