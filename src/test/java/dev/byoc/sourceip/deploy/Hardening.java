package dev.byoc.sourceip.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.config.Setting;
import dev.byoc.sourceip.health.ManagementPaths;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every way of installing the operator must give its Deployment: the "restricted" Pod Security
 * Standard and more (read-only root, uid 65532), credentials only by reference to a Secret (every
 * key optional, so that a missing one is reported on the resources instead of blocking the pod),
 * never two operators at work at once ({@link #assertNeverTwoLeaders}), resources, a writable /tmp,
 * and probes on the management endpoint at its default port ({@link Management}).
 */
final class Hardening {
  static final Set<String> CREDENTIALS =
      Set.of("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET");

  /**
   * Variables the process reads besides {@link Setting}s: the management endpoint's port and the
   * log format, whose code (and their {@link Setting}s) comes with the management server.
   */
  static final Set<String> OTHER_VARIABLES = Set.of("SOURCEIP_MANAGEMENT_PORT", "LOG_FORMAT");

  private Hardening() {}

  static void assertHardened(Deployment deployment, String secretName) {
    assertNeverTwoLeaders(deployment);

    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isNotBlank();
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    PodSecurityContext podContext = pod.getSecurityContext();
    assertThat(podContext).as("pod securityContext").isNotNull();
    assertThat(podContext.getRunAsNonRoot()).isTrue();
    assertThat(podContext.getRunAsUser()).isEqualTo(65532L);
    assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    assertThat(pod.getContainers()).hasSize(1);
    assertThat(pod.getInitContainers()).isEmpty();
    Container container = pod.getContainers().get(0);
    assertThat(container.getArgs()).containsExactly("operator");
    SecurityContext context = container.getSecurityContext();
    assertThat(context).as("container securityContext").isNotNull();
    assertThat(context.getRunAsNonRoot()).isTrue();
    assertThat(context.getRunAsUser()).isEqualTo(65532L);
    assertThat(context.getAllowPrivilegeEscalation()).isFalse();
    assertThat(context.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(context.getReadOnlyRootFilesystem()).isTrue();
    assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(context.getCapabilities().getAdd()).isEmpty();
    assertThat(context.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    Map<String, Quantity> requests = container.getResources().getRequests();
    Map<String, Quantity> limits = container.getResources().getLimits();
    assertThat(requests).containsKeys("cpu", "memory");
    assertThat(limits).containsKeys("cpu", "memory");

    VolumeMount tmp =
        container.getVolumeMounts().stream()
            .filter(m -> "/tmp".equals(m.getMountPath()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume at /tmp"));
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(tmp.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getEmptyDir()).as("/tmp is an emptyDir").isNotNull();
    assertThat(volume.getEmptyDir().getMedium()).isEqualTo("Memory");

    Management.assertServed(deployment, ManagementPaths.DEFAULT_PORT);

    assertCredentialsOnlyFromSecret(container, secretName);
  }

  /**
   * With leader election (SOURCEIP_LEADER_ELECTION=true): 1 to 3 replicas, rolled with
   * RollingUpdate (a new pod starts before an old one stops; only the Lease holder works), the
   * Lease in the pod's own namespace (downward API), under a name. Without it: at most one replica,
   * replaced with Recreate, so that two operators never overlap.
   */
  static void assertNeverTwoLeaders(Deployment deployment) {
    Map<String, EnvVar> env =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .collect(Collectors.toMap(EnvVar::getName, e -> e));
    EnvVar election = env.get("SOURCEIP_LEADER_ELECTION");
    if (election != null && "true".equals(election.getValue())) {
      assertThat(deployment.getSpec().getReplicas()).as("replicas").isBetween(1, 3);
      assertThat(deployment.getSpec().getStrategy().getType())
          .as("with leader election a new pod starts before an old one stops")
          .isEqualTo("RollingUpdate");
      assertThat(env.get("SOURCEIP_LEASE_NAME").getValue()).as("lease name").isNotBlank();
      assertThat(env.get("SOURCEIP_LEASE_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
          .as("the Lease in the pod's own namespace, where its Role grants it")
          .isEqualTo("metadata.namespace");
    } else {
      assertThat(deployment.getSpec().getReplicas())
          .as("replicas without leader election")
          .isLessThanOrEqualTo(1);
      assertThat(deployment.getSpec().getStrategy().getType())
          .as("without leader election the old pod stops before the new one starts")
          .isEqualTo("Recreate");
    }
  }

  /** Credentials are references to keys of one Secret; no variable carries a secret inline. */
  static void assertCredentialsOnlyFromSecret(Container container, String secretName) {
    assertThat(container.getEnvFrom()).as("no envFrom: only the keys the operator reads").isEmpty();
    Map<String, EnvVar> env =
        container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertThat(env).containsKeys(CREDENTIALS.toArray(String[]::new));
    for (String name : CREDENTIALS) {
      EnvVar variable = env.get(name);
      assertThat(variable.getValue()).as(name + " inline").isNull();
      var ref = variable.getValueFrom().getSecretKeyRef();
      assertThat(ref).as(name + " from a Secret").isNotNull();
      assertThat(ref.getName()).isEqualTo(secretName);
      assertThat(ref.getKey()).isEqualTo(name);
      assertThat(ref.getOptional())
          .as(name + " optional: a missing Secret or key must not keep the pod from starting")
          .isTrue();
    }
    assertThat(env.get("SOURCEIP_CREDENTIALS_SECRET").getValue())
        .as("the Secret named in CredentialsInvalid messages")
        .endsWith("/" + secretName);
    List<String> known =
        Arrays.stream(Setting.values()).map(Setting::envName).collect(Collectors.toList());
    known.addAll(OTHER_VARIABLES);
    assertThat(env.keySet()).as("variables the operator reads").isSubsetOf(known);
  }
}
