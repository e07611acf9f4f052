package dev.byoc.sourceip.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.health.ManagementPaths;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The operator's management endpoint as every way of installing it must declare it: the container
 * port {@code http}, the probes on the paths the server serves ({@link ManagementPaths}), the
 * settings that switch it on and make the logs JSON, and the Service (and ServiceMonitor) in front
 * of {@code /metrics}.
 */
final class Management {
  static final String PORT_NAME = "http";

  /** Variables the JVM reads by itself: they would add flags beside the image's own. */
  static final List<String> JVM_OPTION_VARIABLES =
      List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

  private Management() {}

  static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  /** The port, the probes and the settings of the management endpoint, served on {@code port}. */
  static void assertServed(Deployment deployment, int port) {
    Container container = container(deployment);
    assertThat(container.getPorts())
        .as("the management port, the only one")
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo(PORT_NAME);
              assertThat(p.getContainerPort()).isEqualTo(port);
              assertThat(p.getProtocol()).isIn(null, "TCP");
              assertThat(p.getHostPort()).as("no host port").isNull();
            });

    Map<String, String> env =
        container.getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env)
        .as("the operator listens where the probes look, and logs JSON")
        .containsEntry("SOURCEIP_MANAGEMENT_PORT", String.valueOf(port))
        .containsEntry("LOG_FORMAT", "json");

    assertHttpGet(container.getStartupProbe(), ManagementPaths.HEALTHZ, "startupProbe");
    assertHttpGet(container.getLivenessProbe(), ManagementPaths.HEALTHZ, "livenessProbe");
    assertHttpGet(container.getReadinessProbe(), ManagementPaths.READYZ, "readinessProbe");
    Probe startup = container.getStartupProbe();
    assertThat(startup.getFailureThreshold() * startup.getPeriodSeconds())
        .as("the startup probe's budget in seconds: informers syncing may take a while")
        .isBetween(120, 240);
    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .as("well above the 10 s the operator takes to finish reconciles in flight on SIGTERM")
        .isGreaterThanOrEqualTo(20L);

    assertNoJvmOptionsBesidesTheImages(container);
  }

  /**
   * The container runs the image's entrypoint (the pom's container.jvmFlags) and adds no JVM
   * options: no command, and none of the variables the JVM reads (they also make it print a "Picked
   * up" line to stderr, which is not JSON).
   */
  static void assertNoJvmOptionsBesidesTheImages(Container container) {
    assertThat(container.getCommand()).as("the image's entrypoint, not another").isEmpty();
    assertThat(container.getEnv().stream().map(EnvVar::getName))
        .as("JVM options from the environment")
        .doesNotContainAnyElementsOf(JVM_OPTION_VARIABLES);
  }

  private static void assertHttpGet(Probe probe, String path, String what) {
    assertThat(probe).as(what).isNotNull();
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get).as(what + " is an HTTP GET").isNotNull();
    assertThat(get.getPath()).as(what + " path").isEqualTo(path);
    assertThat(get.getPort()).as(what + " port").isEqualTo(new IntOrString(PORT_NAME));
    assertThat(get.getScheme()).as(what + " scheme").isIn(null, "HTTP");
    assertThat(probe.getPeriodSeconds()).as(what + " period").isPositive();
    assertThat(probe.getTimeoutSeconds()).as(what + " timeout").isPositive();
  }

  /** A ClusterIP Service whose port {@code http} reaches the pod's port {@code http}. */
  static void assertMetricsService(Service service, Deployment deployment, int port) {
    assertThat(service.getMetadata().getNamespace())
        .isEqualTo(deployment.getMetadata().getNamespace());
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getSelector())
        .as("selects exactly the operator's pods")
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getMetadata().getLabels())
        .as("labels a ServiceMonitor can select by")
        .containsAllEntriesOf(service.getSpec().getSelector());
    ServicePort servicePort = service.getSpec().getPorts().get(0);
    assertThat(service.getSpec().getPorts()).hasSize(1);
    assertThat(servicePort.getName()).isEqualTo(PORT_NAME);
    assertThat(servicePort.getPort()).isEqualTo(port);
    assertThat(servicePort.getTargetPort()).isEqualTo(new IntOrString(PORT_NAME));
    ContainerPort target =
        container(deployment).getPorts().stream()
            .filter(p -> PORT_NAME.equals(p.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(target.getContainerPort()).isEqualTo(port);
  }

  /** A ServiceMonitor that scrapes /metrics on the port {@code http} of exactly that Service. */
  @SuppressWarnings("unchecked")
  static void assertScrapes(GenericKubernetesResource monitor, Service service) {
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
    assertThat(monitor.getMetadata().getNamespace())
        .isEqualTo(service.getMetadata().getNamespace());
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    Map<String, String> matchLabels =
        (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertThat(matchLabels).isNotEmpty();
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(matchLabels);
    assertThat(
            (List<String>) ((Map<String, Object>) spec.get("namespaceSelector")).get("matchNames"))
        .containsExactly(service.getMetadata().getNamespace());
    List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e).containsEntry("port", PORT_NAME);
              assertThat(e).containsEntry("path", ManagementPaths.METRICS);
            });
  }
}
