package dev.byoc.sourceip.deploy;

import static dev.byoc.sourceip.deploy.K8sObjects.grants;
import static dev.byoc.sourceip.deploy.K8sObjects.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.health.ManagementPaths;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The plain manifests in deploy/ for `kubectl apply -k deploy/`. */
class PlainManifestsTest {
  static final Path DEPLOY = Path.of("deploy");
  static final String NAMESPACE = "sourceip-system";
  static final String SECRET = "twilio-credentials";

  /** What leader election needs, on the Lease's namespace only. */
  static final Set<String> LEASE_GRANTS =
      Set.of(
          "coordination.k8s.io/leases:get",
          "coordination.k8s.io/leases:create",
          "coordination.k8s.io/leases:update");

  /**
   * The Lease grant of an install: exactly one Role that allows exactly {@link #LEASE_GRANTS}, in
   * the operator's own namespace, bound there to the operator's ServiceAccount; no ClusterRole
   * reaches leases.
   */
  static void assertLeaseGrantIsARoleInTheOperatorsNamespace(
      List<HasMetadata> objects, String namespace, String serviceAccount) {
    Role role = one(objects, Role.class);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(namespace);
    assertThat(grants(role.getRules())).isEqualTo(LEASE_GRANTS);
    RoleBinding binding = one(objects, RoleBinding.class);
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(namespace);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(serviceAccount);
              assertThat(s.getNamespace()).isEqualTo(namespace);
            });
    for (ClusterRole clusterRole : K8sObjects.all(objects, ClusterRole.class)) {
      assertThat(grants(clusterRole.getRules()))
          .as("leases are never granted cluster-wide")
          .noneMatch(g -> g.contains("leases"));
    }
  }

  /** A PodDisruptionBudget that keeps one of the Deployment's pods. */
  static void assertKeepsOneThroughADrain(PodDisruptionBudget budget, Deployment deployment) {
    assertThat(budget.getMetadata().getNamespace())
        .isEqualTo(deployment.getMetadata().getNamespace());
    assertThat(budget.getSpec().getMinAvailable()).isEqualTo(new IntOrString(1));
    assertThat(budget.getSpec().getMaxUnavailable()).isNull();
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }

  /** Replicas spread over nodes when the scheduler can: preferred, never required. */
  static void assertSoftAntiAffinity(Deployment deployment) {
    var antiAffinity =
        deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
    assertThat(antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()).isEmpty();
    assertThat(antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(
            preferred -> {
              PodAffinityTerm term = preferred.getPodAffinityTerm();
              assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
              assertThat(term.getLabelSelector().getMatchLabels())
                  .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
            });
  }

  /**
   * What the operator needs where resources are watched (every namespace with a ClusterRole, or a
   * Role in each watched namespace): the namespaced kinds, Secrets to list and watch (the informer
   * of the accounts' credentials), Events.
   */
  static final Set<String> NAMESPACED_GRANTS =
      Set.of(
          "voice.byoc.dev/sourceipmappings:get",
          "voice.byoc.dev/sourceipmappings:list",
          "voice.byoc.dev/sourceipmappings:watch",
          "voice.byoc.dev/sourceipmappings:patch",
          "voice.byoc.dev/sourceipmappings:update",
          "voice.byoc.dev/sourceipmappings/status:get",
          "voice.byoc.dev/sourceipmappings/status:patch",
          "voice.byoc.dev/sourceipmappings/status:update",
          "voice.byoc.dev/sourceipmappings/finalizers:update",
          "voice.byoc.dev/iprecords:get",
          "voice.byoc.dev/iprecords:list",
          "voice.byoc.dev/iprecords:watch",
          "voice.byoc.dev/iprecords:patch",
          "voice.byoc.dev/iprecords:update",
          "voice.byoc.dev/iprecords/status:get",
          "voice.byoc.dev/iprecords/status:patch",
          "voice.byoc.dev/iprecords/status:update",
          "voice.byoc.dev/iprecords/finalizers:update",
          "voice.byoc.dev/twilioaccounts:get",
          "voice.byoc.dev/twilioaccounts:list",
          "voice.byoc.dev/twilioaccounts:watch",
          "voice.byoc.dev/twilioaccounts:patch",
          "voice.byoc.dev/twilioaccounts:update",
          "voice.byoc.dev/twilioaccounts/status:get",
          "voice.byoc.dev/twilioaccounts/status:patch",
          "voice.byoc.dev/twilioaccounts/status:update",
          "voice.byoc.dev/twilioaccounts/finalizers:update",
          "/secrets:list",
          "/secrets:watch",
          "/events:create",
          "/events:patch");

  /**
   * What ClusterTwilioAccounts add, cluster-wide (clusterAccounts.enabled): the kind, and the
   * namespaces whose labels their namespaceSelectors are matched against.
   */
  static final Set<String> CLUSTER_ACCOUNT_GRANTS =
      Set.of(
          "voice.byoc.dev/clustertwilioaccounts:get",
          "voice.byoc.dev/clustertwilioaccounts:list",
          "voice.byoc.dev/clustertwilioaccounts:watch",
          "voice.byoc.dev/clustertwilioaccounts:patch",
          "voice.byoc.dev/clustertwilioaccounts:update",
          "voice.byoc.dev/clustertwilioaccounts/status:get",
          "voice.byoc.dev/clustertwilioaccounts/status:patch",
          "voice.byoc.dev/clustertwilioaccounts/status:update",
          "voice.byoc.dev/clustertwilioaccounts/finalizers:update",
          "/namespaces:get",
          "/namespaces:list",
          "/namespaces:watch");

  /** The only grants on Secrets anywhere: list and watch, never get or a write. */
  static final Set<String> SECRET_GRANTS = Set.of("/secrets:list", "/secrets:watch");

  /** The least privilege of deploy/rbac.yaml, as "group/resource:verb" grants. */
  static Set<String> deployRbacGrants() {
    try {
      return grants(
          one(K8sObjects.read(DEPLOY.resolve("rbac.yaml")), ClusterRole.class).getRules());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The union of two grant sets. */
  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void rbacIsTheLeastPrivilegeTheOperatorNeeds() {
    assertThat(deployRbacGrants())
        .containsExactlyInAnyOrderElementsOf(union(NAMESPACED_GRANTS, CLUSTER_ACCOUNT_GRANTS));
  }

  @Test
  void theLeaseIsGrantedByARoleInTheOperatorsNamespaceOnly() throws IOException {
    List<HasMetadata> rbac = K8sObjects.read(DEPLOY.resolve("rbac.yaml"));

    assertLeaseGrantIsARoleInTheOperatorsNamespace(
        rbac, NAMESPACE, one(rbac, ServiceAccount.class).getMetadata().getName());
  }

  @Test
  void secretsAreOnlyListedAndWatchedAndAWildcardIsNeverAGrant() throws IOException {
    assertThat(deployRbacGrants())
        .filteredOn(g -> g.contains("secrets") || g.contains("configmaps"))
        .as("the accounts' credentials Secrets: list and watch, never get or a write")
        .containsExactlyInAnyOrderElementsOf(SECRET_GRANTS);
    assertThat(deployRbacGrants()).noneMatch(g -> g.contains("*"));
    for (Role role : K8sObjects.all(K8sObjects.read(DEPLOY.resolve("rbac.yaml")), Role.class)) {
      assertThat(grants(role.getRules()))
          .noneMatch(g -> g.contains("secrets") || g.contains("configmaps") || g.contains("*"));
    }
    for (PolicyRule wide :
        List.of(
            new PolicyRuleBuilder()
                .withApiGroups("*")
                .withResources("sourceipmappings")
                .withVerbs("get")
                .build(),
            new PolicyRuleBuilder()
                .withApiGroups("voice.byoc.dev")
                .withResources("sourceipmappings/*")
                .withVerbs("get")
                .build(),
            new PolicyRuleBuilder()
                .withApiGroups("")
                .withResources("events")
                .withVerbs("*")
                .build())) {
      assertThatThrownBy(() -> grants(List.of(wide))).hasMessageContaining("a wildcard");
    }
  }

  @Test
  void theOperatorRunsHardenedAsTheRbacServiceAccount() throws IOException {
    List<HasMetadata> operator = K8sObjects.read(DEPLOY.resolve("operator.yaml"));
    List<HasMetadata> rbac = K8sObjects.read(DEPLOY.resolve("rbac.yaml"));

    Namespace namespace = one(operator, Namespace.class);
    assertThat(namespace.getMetadata().getName()).isEqualTo(NAMESPACE);
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");

    Deployment deployment = one(operator, Deployment.class);
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    Hardening.assertHardened(deployment, SECRET);
    Management.assertMetricsService(
        one(operator, Service.class), deployment, ManagementPaths.DEFAULT_PORT);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/byoc-dev/sourceip-operator:0.1.0");

    assertThat(
            deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("SOURCEIP_OPERATOR_NAMESPACE"))
                .map(e -> e.getValueFrom().getFieldRef().getFieldPath()))
        .as("ClusterTwilioAccounts' Secrets are read in the operator's own namespace")
        .containsExactly("metadata.namespace");
    assertThat(HelmChartTest.env(deployment)).containsEntry("SOURCEIP_CLUSTER_ACCOUNTS", "true");

    ServiceAccount account = one(rbac, ServiceAccount.class);
    assertHighlyAvailable(operator, deployment);
    assertThat(account.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(account.getMetadata().getName());
    ClusterRoleBinding binding = one(rbac, ClusterRoleBinding.class);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo(account.getMetadata().getName());
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
  }

  /**
   * Two replicas with leader election on, a PodDisruptionBudget and a soft anti-affinity; the Lease
   * named after the operator, in its namespace.
   */
  private static void assertHighlyAvailable(List<HasMetadata> objects, Deployment deployment) {
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
        .as("a new pod is ready before an old one stops")
        .isEqualTo(new IntOrString(0));
    Map<String, String> env = HelmChartTest.env(deployment);
    assertThat(env)
        .containsEntry("SOURCEIP_LEADER_ELECTION", "true")
        .containsEntry("SOURCEIP_LEASE_NAME", "sourceip-operator")
        .doesNotContainKey("SOURCEIP_LABEL_SELECTOR");
    Hardening.assertNeverTwoLeaders(deployment);
    assertKeepsOneThroughADrain(one(objects, PodDisruptionBudget.class), deployment);
    assertSoftAntiAffinity(deployment);
  }

  @Test
  void theExampleSecretHoldsPlaceholdersOnlyAndIsNotInstalled() throws IOException {
    Secret secret = one(K8sObjects.read(DEPLOY.resolve("secret.example.yaml")), Secret.class);

    assertThat(secret.getMetadata().getName()).isEqualTo(SECRET);
    assertThat(secret.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(secret.getStringData()).containsOnlyKeys("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN");
    assertThat(secret.getStringData().get("TWILIO_ACCOUNT_SID"))
        .as("a placeholder, not an Account SID")
        .doesNotMatch(Pattern.compile("^AC[0-9a-fA-F]{32}$"));
    assertThat(secret.getStringData().get("TWILIO_AUTH_TOKEN")).startsWith("REPLACE_");
    assertThat(Files.readString(DEPLOY.resolve("kustomization.yaml")))
        .contains("- operator.yaml")
        .contains("- rbac.yaml")
        .doesNotContain("- secret.example.yaml");
  }

  @Test
  void kubectlKustomizeRendersTheInstall() throws Exception {
    Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not on PATH");
    Path out = Files.createTempFile("kustomize", ".yaml");
    try {
      Process process =
          new ProcessBuilder("kubectl", "kustomize", DEPLOY.toString())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl kustomize finished").isTrue();
      String yaml = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(yaml).isZero();

      List<HasMetadata> objects = K8sObjects.parse(yaml);
      assertThat(objects.stream().map(HasMetadata::getKind))
          .containsExactlyInAnyOrder(
              "Namespace",
              "ServiceAccount",
              "ClusterRole",
              "ClusterRoleBinding",
              "Role",
              "RoleBinding",
              "Deployment",
              "PodDisruptionBudget",
              "Service");
      Deployment deployment = one(objects, Deployment.class);
      Hardening.assertHardened(deployment, SECRET);
      assertHighlyAvailable(objects, deployment);
      assertLeaseGrantIsARoleInTheOperatorsNamespace(
          objects, NAMESPACE, deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
      Management.assertMetricsService(
          one(objects, Service.class), deployment, ManagementPaths.DEFAULT_PORT);
      assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .isEqualTo("ghcr.io/byoc-dev/sourceip-operator:0.1.0");
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null
        && Arrays.stream(path.split(File.pathSeparator))
            .map(dir -> Path.of(dir, command))
            .anyMatch(Files::isExecutable);
  }
}
