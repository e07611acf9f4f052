package dev.byoc.sourceip.deploy;

import static dev.byoc.sourceip.deploy.K8sObjects.all;
import static dev.byoc.sourceip.deploy.K8sObjects.grants;
import static dev.byoc.sourceip.deploy.K8sObjects.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.config.Setting;
import dev.byoc.sourceip.health.ManagementPaths;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Helm chart in helm/sourceip-operator, linted and rendered by the real Helm (helm-java: Helm
 * 3.16 as a native library, offline, no helm binary needed).
 */
class HelmChartTest {
  static final Path CHART = Path.of("helm", "sourceip-operator");
  static final List<String> CRDS =
      List.of(
          "sourceipmappings.voice.byoc.dev-v1.yml",
          "iprecords.voice.byoc.dev-v1.yml",
          "twilioaccounts.voice.byoc.dev-v1.yml",
          "clustertwilioaccounts.voice.byoc.dev-v1.yml");
  static final String NAMESPACE = "sourceip-system";
  static final String SID = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;

  /**
   * Where the chart (and deploy/) deliberately differs from the operator's own default: JSON logs
   * for log collectors; leader election on, because an installed operator runs as replicas of a
   * Deployment (a second one must never write to Twilio at once), while a process started by hand
   * (`operator` on a laptop, the tests) runs alone and needs no Lease or RBAC for it.
   */
  static final Map<String, String> CHART_DEFAULTS =
      Map.of("LOG_FORMAT", "json", "SOURCEIP_LEADER_ELECTION", "true");

  @TempDir static Path tmp;

  /**
   * What the tests render: a copy of the chart without its kubeVersion constraint. helm-java's
   * native Helm is built without Helm's version ldflags, so `template` assumes Kubernetes v1.20.0
   * and refuses a chart that asks for 1.25 (the helm binary assumes its client-go version, and
   * install, Argo CD and Flux use the cluster's). The constraint itself is checked below.
   */
  static Helm renderable;

  @BeforeAll
  static void copyTheChart() throws IOException {
    Path copy = copyOfTheChart("sourceip-operator");
    Path chartYaml = copy.resolve("Chart.yaml");
    Files.writeString(
        chartYaml, Files.readString(chartYaml).replaceAll("(?m)^kubeVersion:.*$", ""));
    renderable = new Helm(copy);
  }

  /** A copy of the chart under {@code tmp/name/sourceip-operator}. */
  private static Path copyOfTheChart(String name) throws IOException {
    Path copy = tmp.resolve(name).resolve("sourceip-operator");
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(CHART.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    return copy;
  }

  @Test
  void lintsStrictlyWithoutWarnings() {
    LintResult result = new Helm(CHART).lint().strict().call();

    assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void lintsStrictlyWithoutWarningsWithTheServiceMonitorOn() throws IOException {
    // helm lint takes no values of its own: the copy's values.yaml switches the ServiceMonitor on
    Path copy = copyOfTheChart("lint-service-monitor");
    Path valuesYaml = copy.resolve("values.yaml");
    String values = Files.readString(valuesYaml);
    String off = "  serviceMonitor:\n";
    int at = values.indexOf(off);
    int enabled = values.indexOf("    enabled: false\n", at);
    assertThat(at).as("metrics.serviceMonitor in values.yaml").isPositive();
    assertThat(enabled).as("metrics.serviceMonitor.enabled: false in values.yaml").isPositive();
    Files.writeString(
        valuesYaml,
        values.substring(0, enabled)
            + "    enabled: true\n"
            + values.substring(enabled + "    enabled: false\n".length()));

    LintResult result = new Helm(copy).lint().strict().call();

    assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    assertThat(result.getMessages())
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    assertThat(render(template().withValuesFile(valuesYaml)))
        .as("the linted values render a ServiceMonitor")
        .anyMatch(o -> "ServiceMonitor".equals(o.getKind()));
  }

  @Test
  void chartMetadata() throws IOException {
    String chart = Files.readString(CHART.resolve("Chart.yaml"));

    assertThat(chart)
        .contains("apiVersion: v2")
        .contains("name: sourceip-operator")
        .contains("version: 0.1.0")
        .contains("appVersion: \"0.1.0\"")
        .contains("kubeVersion: \">=1.25.0-0\"");
  }

  @Test
  void theChartsCrdsAreCopiesOfTheGeneratedOnes() throws IOException {
    for (String crd : CRDS) {
      assertThat(Files.readString(CHART.resolve("crds").resolve(crd)))
          .as(
              "%s/crds/%s differs from crds/%s; copy it: cp crds/%s %s/crds/",
              CHART, crd, crd, crd, CHART)
          .isEqualTo(Files.readString(Path.of("crds", crd)));
    }
    try (Stream<Path> files = Files.list(CHART.resolve("crds"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(CRDS);
    }
  }

  @Test
  void defaultValuesRenderAHardenedOperatorWithClusterWideLeastPrivilege() {
    List<HasMetadata> objects = render(template());

    assertThat(objects.stream().map(HasMetadata::getKind))
        .as("no ServiceMonitor unless asked for")
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Deployment",
            "PodDisruptionBudget",
            "Service");
    assertThat(objects)
        .filteredOn(o -> !o.getKind().startsWith("Cluster"))
        .allMatch(o -> NAMESPACE.equals(o.getMetadata().getNamespace()));

    Deployment deployment = one(objects, Deployment.class);
    Hardening.assertHardened(deployment, "twilio-credentials");
    Management.assertMetricsService(
        one(objects, Service.class), deployment, ManagementPaths.DEFAULT_PORT);
    ServiceAccount account = one(objects, ServiceAccount.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(account.getMetadata().getName());
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/byoc-dev/sourceip-operator:0.1.0");

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(env(deployment))
        .containsEntry("SOURCEIP_LEADER_ELECTION", "true")
        .containsEntry("SOURCEIP_LEASE_NAME", deployment.getMetadata().getName())
        .doesNotContainKey("SOURCEIP_LABEL_SELECTOR");
    PlainManifestsTest.assertLeaseGrantIsARoleInTheOperatorsNamespace(
        objects, NAMESPACE, account.getMetadata().getName());
    PlainManifestsTest.assertKeepsOneThroughADrain(
        one(objects, PodDisruptionBudget.class), deployment);
    PlainManifestsTest.assertSoftAntiAffinity(deployment);

    ClusterRole role = one(objects, ClusterRole.class);
    assertThat(grants(role.getRules())).isEqualTo(PlainManifestsTest.deployRbacGrants());
    ClusterRoleBinding binding = one(objects, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(account.getMetadata().getName());
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
  }

  @Test
  void theServiceMonitorScrapesMetricsOnThePortHttpWhenEnabled() {
    Path values =
        values(
            """
            metrics:
              serviceMonitor:
                enabled: true
                interval: 1m
                scrapeTimeout: 20s
                labels: {release: kube-prometheus-stack}
            """);

    List<HasMetadata> objects = render(template().withValuesFile(values));

    Deployment deployment = one(objects, Deployment.class);
    Hardening.assertHardened(deployment, "twilio-credentials");
    Service service = one(objects, Service.class);
    Management.assertMetricsService(service, deployment, ManagementPaths.DEFAULT_PORT);
    List<GenericKubernetesResource> monitors =
        all(objects, GenericKubernetesResource.class).stream()
            .filter(o -> "ServiceMonitor".equals(o.getKind()))
            .toList();
    assertThat(monitors).hasSize(1);
    GenericKubernetesResource monitor = monitors.get(0);
    Management.assertScrapes(monitor, service);
    assertThat(monitor.getMetadata().getLabels())
        .containsEntry("release", "kube-prometheus-stack")
        .containsEntry("app.kubernetes.io/name", "sourceip-operator");
    @SuppressWarnings("unchecked")
    Map<String, Object> endpoint =
        ((List<Map<String, Object>>)
                ((Map<String, Object>) monitor.getAdditionalProperties().get("spec"))
                    .get("endpoints"))
            .get(0);
    assertThat(endpoint).containsEntry("interval", "1m").containsEntry("scrapeTimeout", "20s");
    assertThat(grants(one(objects, ClusterRole.class).getRules()))
        .as("metrics need no RBAC")
        .isEqualTo(PlainManifestsTest.deployRbacGrants());
  }

  @Test
  void theManagementPortIsOneValueForTheContainerTheProbesAndTheService() {
    Path values = values("managementPort: 9090\nlogFormat: json\n");

    List<HasMetadata> objects = render(template().withValuesFile(values));

    Deployment deployment = one(objects, Deployment.class);
    Management.assertServed(deployment, 9090);
    Management.assertMetricsService(one(objects, Service.class), deployment, 9090);
    assertThat(env(one(render(template().set("logFormat", "text")), Deployment.class)))
        .containsEntry("LOG_FORMAT", "text");
  }

  @Test
  void watchNamespacesGrantsARoleInEachAndOnlyTheClusterAccountsClusterWide() {
    Path values = values("watchNamespaces: [telephony, pbx]\n");

    List<HasMetadata> objects = render(template().withValuesFile(values));

    ClusterRole clusterRole = one(objects, ClusterRole.class);
    assertThat(clusterRole.getMetadata().getName()).isEqualTo("sourceip-operator-cluster-accounts");
    assertThat(grants(clusterRole.getRules()))
        .as("cluster-wide: ClusterTwilioAccounts and the namespaces' labels, nothing else")
        .isEqualTo(PlainManifestsTest.CLUSTER_ACCOUNT_GRANTS);
    ClusterRoleBinding clusterBinding = one(objects, ClusterRoleBinding.class);
    assertThat(clusterBinding.getRoleRef().getName())
        .isEqualTo(clusterRole.getMetadata().getName());
    assertThat(clusterBinding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo("sourceip-operator");
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
    String leaseRole = "sourceip-operator-leader-election";
    String credentialsRole = "sourceip-operator-credentials";
    assertWatchedNamespacesRoles(objects, Set.of(leaseRole, credentialsRole), "telephony", "pbx");
    PlainManifestsTest.assertLeaseGrantIsARoleInTheOperatorsNamespace(
        objects.stream()
            .filter(o -> leaseRole.equals(o.getMetadata().getName()))
            .collect(Collectors.toList()),
        NAMESPACE,
        "sourceip-operator");

    // ClusterTwilioAccounts' Secrets are in the release namespace, which is not watched
    Role credentials =
        all(objects, Role.class).stream()
            .filter(r -> credentialsRole.equals(r.getMetadata().getName()))
            .findFirst()
            .orElseThrow();
    assertThat(credentials.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    Set<String> credentialsGrants = new java.util.TreeSet<>(PlainManifestsTest.SECRET_GRANTS);
    credentialsGrants.addAll(Set.of("/events:create", "/events:patch"));
    assertThat(grants(credentials.getRules())).isEqualTo(credentialsGrants);
    assertThat(all(objects, RoleBinding.class))
        .filteredOn(b -> credentialsRole.equals(b.getMetadata().getName()))
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
              assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
              assertThat(b.getRoleRef().getName()).isEqualTo(credentialsRole);
            });
    assertThat(env(one(objects, Deployment.class)))
        .containsEntry("SOURCEIP_NAMESPACES", "telephony,pbx")
        .containsEntry("SOURCEIP_CLUSTER_ACCOUNTS", "true");
  }

  @Test
  void watchingTheReleaseNamespaceNeedsNoSecondRoleForTheClusterAccountsSecrets() {
    Path values = values("watchNamespaces: [telephony, " + NAMESPACE + "]\n");

    List<HasMetadata> objects = render(template().withValuesFile(values));

    assertWatchedNamespacesRoles(
        objects, Set.of("sourceip-operator-leader-election"), "telephony", NAMESPACE);
    assertThat(grants(one(objects, ClusterRole.class).getRules()))
        .isEqualTo(PlainManifestsTest.CLUSTER_ACCOUNT_GRANTS);
  }

  @Test
  void watchNamespacesWithoutClusterAccountsGrantsNothingClusterWide() {
    Path values = values("watchNamespaces: [telephony, pbx]\nclusterAccounts: {enabled: false}\n");

    List<HasMetadata> objects = render(template().withValuesFile(values));

    assertThat(objects)
        .as("no cluster-scoped object at all")
        .allMatch(o -> o.getMetadata().getNamespace() != null);
    assertThat(all(objects, ClusterRole.class)).isEmpty();
    assertThat(all(objects, ClusterRoleBinding.class)).isEmpty();
    assertWatchedNamespacesRoles(
        objects, Set.of("sourceip-operator-leader-election"), "telephony", "pbx");
    for (Role role : all(objects, Role.class)) {
      assertThat(grants(role.getRules()))
          .noneMatch(g -> g.contains("namespaces:") || g.contains("clustertwilioaccounts"));
    }
    assertThat(env(one(objects, Deployment.class)))
        .containsEntry("SOURCEIP_CLUSTER_ACCOUNTS", "false");
  }

  @Test
  void withoutClusterAccountsTheClusterRoleHasNoClusterAccountsOrNamespaces() {
    List<HasMetadata> objects = render(template().set("clusterAccounts.enabled", "false"));

    assertThat(grants(one(objects, ClusterRole.class).getRules()))
        .isEqualTo(PlainManifestsTest.NAMESPACED_GRANTS);
    assertThat(env(one(objects, Deployment.class)))
        .containsEntry("SOURCEIP_CLUSTER_ACCOUNTS", "false");
  }

  /**
   * A Role and RoleBinding with {@link PlainManifestsTest#NAMESPACED_GRANTS} in each watched
   * namespace, bound to the release's ServiceAccount; the Roles named in {@code others} aside.
   */
  private static void assertWatchedNamespacesRoles(
      List<HasMetadata> objects, Set<String> others, String... namespaces) {
    List<Role> roles =
        all(objects, Role.class).stream()
            .filter(r -> !others.contains(r.getMetadata().getName()))
            .toList();
    assertThat(roles.stream().map(r -> r.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder(namespaces);
    for (Role role : roles) {
      assertThat(grants(role.getRules())).isEqualTo(PlainManifestsTest.NAMESPACED_GRANTS);
    }
    List<RoleBinding> bindings =
        all(objects, RoleBinding.class).stream()
            .filter(b -> !others.contains(b.getMetadata().getName()))
            .toList();
    assertThat(bindings.stream().map(b -> b.getMetadata().getNamespace()))
        .containsExactlyInAnyOrder(namespaces);
    for (RoleBinding binding : bindings) {
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertThat(binding.getSubjects())
          .singleElement()
          .satisfies(s -> assertThat(s.getNamespace()).isEqualTo(NAMESPACE));
    }
  }

  @Test
  void rbacAndServiceAccountCanBeLeftToTheUser() {
    Path values = values("rbac: {create: false}\nserviceAccount: {create: false, name: mine}\n");

    List<HasMetadata> objects = render(template().withValuesFile(values));

    assertThat(objects.stream().map(HasMetadata::getKind))
        .as("no lease Role either")
        .containsExactlyInAnyOrder("Deployment", "Service", "PodDisruptionBudget");
    assertThat(
            one(objects, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getServiceAccountName())
        .isEqualTo("mine");
  }

  @Test
  void everySettingHasAValueAndTheDefaultsAreTheOperatorsOwn() {
    Map<String, String> defaults = env(one(render(template()), Deployment.class));
    for (Setting setting : Setting.values()) {
      if (setting.defaultValue() != null) {
        assertThat(defaults)
            .as(setting.envName())
            .containsEntry(
                setting.envName(),
                CHART_DEFAULTS.getOrDefault(setting.envName(), setting.defaultValue()));
      }
    }
    assertThat(defaults).containsAllEntriesOf(CHART_DEFAULTS);

    Path values =
        values(
            """
            watchNamespaces: [telephony]
            labelSelector: shard=a
            logLevel: DEBUG
            twilio:
              region: au1
              edge: sydney
              baseUrl: https://twilio.example.test
              limits: {maxRequestsPerSecond: 12.5, maxConcurrentRequests: 3}
              paging: {maxPages: 1000000}
            """);
    Deployment deployment = one(render(template().withValuesFile(values)), Deployment.class);
    Map<String, String> all = env(deployment);

    assertThat(
            deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .map(EnvVar::getName))
        .containsAll(Stream.of(Setting.values()).map(Setting::envName).collect(Collectors.toSet()));
    assertThat(all)
        .containsEntry("TWILIO_REGION", "au1")
        .containsEntry("TWILIO_EDGE", "sydney")
        .containsEntry("TWILIO_BASE_URL", "https://twilio.example.test")
        .containsEntry("TWILIO_MAX_REQUESTS_PER_SECOND", "12.5")
        .containsEntry("TWILIO_MAX_CONCURRENT_REQUESTS", "3")
        .containsEntry("TWILIO_MAX_PAGES", "1000000")
        .containsEntry("SOURCEIP_LABEL_SELECTOR", "shard=a")
        .containsEntry("LOG_LEVEL", "DEBUG");
  }

  @Test
  void threeReplicasRollWithABudgetAndEachShardHasItsOwnLease() {
    Path values =
        values(
            """
            replicaCount: 3
            labelSelector: "shard in (a,b)"
            leaderElection: {leaseName: sourceip-shard-ab}
            """);

    List<HasMetadata> objects = render(template().withValuesFile(values));

    Deployment deployment = one(objects, Deployment.class);
    Hardening.assertHardened(deployment, "twilio-credentials");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    PlainManifestsTest.assertKeepsOneThroughADrain(
        one(objects, PodDisruptionBudget.class), deployment);
    assertThat(env(deployment))
        .containsEntry("SOURCEIP_LEADER_ELECTION", "true")
        .containsEntry("SOURCEIP_LEASE_NAME", "sourceip-shard-ab")
        .containsEntry("SOURCEIP_LABEL_SELECTOR", "shard in (a,b)");
    PlainManifestsTest.assertLeaseGrantIsARoleInTheOperatorsNamespace(
        objects, NAMESPACE, one(objects, ServiceAccount.class).getMetadata().getName());
  }

  @Test
  void withoutLeaderElectionOneReplicaIsReplacedWithRecreateAndNeedsNoLease() {
    List<HasMetadata> objects =
        render(template().set("leaderElection.enabled", "false").set("replicaCount", "1"));

    Deployment deployment = one(objects, Deployment.class);
    Hardening.assertHardened(deployment, "twilio-credentials");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate()).isNull();
    assertThat(env(deployment)).containsEntry("SOURCEIP_LEADER_ELECTION", "false");
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName)
        .doesNotContain("SOURCEIP_LEASE_NAME", "SOURCEIP_LEASE_NAMESPACE");
    assertThat(objects.stream().map(HasMetadata::getKind))
        .containsExactlyInAnyOrder(
            "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment", "Service");
  }

  @Test
  void oneReplicaWithLeaderElectionRollsButNeedsNoBudget() {
    List<HasMetadata> objects = render(template().set("replicaCount", "1"));

    Deployment deployment = one(objects, Deployment.class);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(all(objects, PodDisruptionBudget.class))
        .as("a budget of one replica would block every drain")
        .isEmpty();
    assertThat(all(objects, Role.class)).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void severalReplicasWithoutLeaderElectionAreRefusedWithTheReason(int replicas) {
    assertThatThrownBy(
            () ->
                template()
                    .set("leaderElection.enabled", "false")
                    .set("replicaCount", Integer.toString(replicas))
                    .call())
        .hasMessageContaining(
            "replicaCount %d needs leaderElection.enabled=true: without leader election every"
                    .formatted(replicas)
                + " replica would reconcile and write to Twilio at once");
  }

  @Test
  void theAffinityValueReplacesTheDefaultAntiAffinity() {
    Path values =
        values(
            """
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                    - matchExpressions:
                        - {key: kubernetes.io/os, operator: In, values: [linux]}
            """);

    var affinity =
        one(render(template().withValuesFile(values)), Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getAffinity();

    assertThat(affinity.getPodAntiAffinity()).isNull();
    assertThat(affinity.getNodeAffinity()).isNotNull();
  }

  @Test
  void aChartMadeSecretStaysOutOfTheDeployment() {
    Path values =
        values(
            "twilio:\n  createSecret: true\n  credentials: {accountSid: %s, authToken: %s}\n"
                .formatted(SID, TOKEN));

    String yaml = template().withValuesFile(values).call();
    List<HasMetadata> objects = render(yaml);

    Secret secret = one(objects, Secret.class);
    assertThat(secret.getData()).containsOnlyKeys("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN");
    assertThat(decode(secret.getData().get("TWILIO_AUTH_TOKEN"))).isEqualTo(TOKEN);
    Deployment deployment = one(objects, Deployment.class);
    Hardening.assertHardened(deployment, secret.getMetadata().getName());
    String deploymentYaml =
        yaml.substring(yaml.indexOf("# Source: sourceip-operator/templates/deployment.yaml"));
    assertThat(deploymentYaml)
        .doesNotContain(TOKEN)
        .doesNotContain(Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8)))
        .doesNotContain(SID);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKey("checksum/twilio-secret");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"})
  void extraEnvCannotCarryACredential(String name) {
    Path values = values("extraEnv:\n  - {name: %s, value: %s}\n".formatted(name, TOKEN));

    assertThatThrownBy(() -> template().withValuesFile(values).call())
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("extraEnv.0.name")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void theOperatorIsToldWhichSecretToNameWhenCredentialsAreMissing() {
    Deployment existing =
        one(render(template().set("twilio.existingSecret", "voice-creds")), Deployment.class);
    Deployment chartMade =
        one(
            render(
                template()
                    .withValuesFile(
                        values(
                            "twilio:\n  createSecret: true\n  credentials: {accountSid: %s,"
                                    .formatted(SID)
                                + " authToken: %s}\n".formatted(TOKEN)))),
            Deployment.class);

    assertThat(env(existing))
        .containsEntry("SOURCEIP_CREDENTIALS_SECRET", NAMESPACE + "/voice-creds");
    Hardening.assertHardened(existing, "voice-creds");
    assertThat(env(chartMade).get("SOURCEIP_CREDENTIALS_SECRET"))
        .isEqualTo(
            NAMESPACE
                + "/"
                + chartMade
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv()
                    .get(0)
                    .getValueFrom()
                    .getSecretKeyRef()
                    .getName());
  }

  @Test
  void anImageDigestWinsOverTheTag() {
    String digest = "sha256:" + "ab".repeat(32);

    Deployment deployment =
        one(
            render(
                template()
                    .set("image.repository", "registry.example/op")
                    .set("image.digest", digest)),
            Deployment.class);

    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("registry.example/op@" + digest);
  }

  @Test
  void theChartRendersWhatThePlainManifestsSay() throws IOException {
    Deployment helm = one(render(template()), Deployment.class);
    Deployment plain = one(K8sObjects.read(Path.of("deploy", "operator.yaml")), Deployment.class);

    var helmPod = helm.getSpec().getTemplate().getSpec();
    var plainPod = plain.getSpec().getTemplate().getSpec();
    assertThat(helmPod.getSecurityContext()).isEqualTo(plainPod.getSecurityContext());
    assertThat(helmPod.getVolumes()).isEqualTo(plainPod.getVolumes());
    assertThat(helmPod.getTerminationGracePeriodSeconds())
        .isEqualTo(plainPod.getTerminationGracePeriodSeconds());
    var helmContainer = helmPod.getContainers().get(0);
    var plainContainer = plainPod.getContainers().get(0);
    assertThat(helmContainer.getSecurityContext()).isEqualTo(plainContainer.getSecurityContext());
    assertThat(helmContainer.getResources()).isEqualTo(plainContainer.getResources());
    assertThat(helmContainer.getImage()).isEqualTo(plainContainer.getImage());
    assertThat(helmContainer.getArgs()).isEqualTo(plainContainer.getArgs());
    assertThat(helmContainer.getVolumeMounts()).isEqualTo(plainContainer.getVolumeMounts());
    assertThat(helmContainer.getPorts()).isEqualTo(plainContainer.getPorts());
    assertThat(helmContainer.getStartupProbe()).isEqualTo(plainContainer.getStartupProbe());
    assertThat(helmContainer.getLivenessProbe()).isEqualTo(plainContainer.getLivenessProbe());
    assertThat(helmContainer.getReadinessProbe()).isEqualTo(plainContainer.getReadinessProbe());
    assertThat(helm.getSpec().getStrategy()).isEqualTo(plain.getSpec().getStrategy());
    assertThat(helm.getSpec().getReplicas()).isEqualTo(plain.getSpec().getReplicas());
    assertThat(helmPod.getAffinity()).isEqualTo(plainPod.getAffinity());
    for (String fromTheNamespace :
        List.of("SOURCEIP_LEASE_NAMESPACE", "SOURCEIP_OPERATOR_NAMESPACE")) {
      assertThat(helmContainer.getEnv())
          .filteredOn(e -> e.getName().equals(fromTheNamespace))
          .hasSize(1)
          .isEqualTo(
              plainContainer.getEnv().stream()
                  .filter(e -> e.getName().equals(fromTheNamespace))
                  .toList());
    }
    assertThat(one(render(template()), PodDisruptionBudget.class).getSpec())
        .isEqualTo(
            one(K8sObjects.read(Path.of("deploy", "operator.yaml")), PodDisruptionBudget.class)
                .getSpec());
    assertThat(grants(one(render(template()), Role.class).getRules()))
        .isEqualTo(
            grants(one(K8sObjects.read(Path.of("deploy", "rbac.yaml")), Role.class).getRules()));
    Service helmService = one(render(template()), Service.class);
    Service plainService = one(K8sObjects.read(Path.of("deploy", "operator.yaml")), Service.class);
    assertThat(helmService.getMetadata().getName()).isEqualTo(plainService.getMetadata().getName());
    assertThat(helmService.getSpec()).isEqualTo(plainService.getSpec());
    // the plain manifest sets only what a user most often changes; the rest are the defaults
    assertThat(env(helm)).containsAllEntriesOf(env(plain));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "replicaCount|x|replicaCount: Invalid type. Expected: integer, given: string",
        "replicaCount|4|replicaCount: Must be less than or equal to 3",
        "leaderElection.enabled|yes|leaderElection.enabled: Invalid type. Expected: boolean, given: string",
        "leaderElection.leaseName|Shard_A|leaderElection.leaseName: Does not match pattern",
        "leaderElection.lease|x|leaderElection: Additional property lease is not allowed",
        "twilio.existingSecret|''|twilio.existingSecret: String length must be greater than or equal to 1",
        "twilio.createSecret|true|twilio.credentials.accountSid: String length must be greater than or equal to 1",
        "resyncInterval|5 minutes|resyncInterval: Does not match pattern",
        "reconcileConcurrency|0|reconcileConcurrency: Must be greater than or equal to 1",
        "twilio.limits.maxRequestsPerSecond|0|twilio.limits.maxRequestsPerSecond: Must be greater than 0",
        "twilio.credentials.accountSid|AB123|twilio.credentials.accountSid: Does not match pattern",
        "image.pullPolicy|Sometimes|image.pullPolicy: image.pullPolicy must be one of the following",
        "twilio.authToken|x|twilio: Additional property authToken is not allowed",
        "managementPort|0|managementPort: Must be greater than or equal to 1",
        "logFormat|yaml|logFormat: logFormat must be one of the following",
        "metrics.serviceMonitor.interval|30 seconds|metrics.serviceMonitor.interval: Does not match pattern",
        "metrics.scrape|true|metrics: Additional property scrape is not allowed",
      })
  void badValuesFailWithAMessageNamingTheValue(String key, String value, String message) {
    assertThatThrownBy(() -> template().set(key, value).call())
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(message);
  }

  @Test
  void aBadNamespaceNameIsRefused() {
    Path values = values("watchNamespaces: [Telephony]\n");

    assertThatThrownBy(() -> template().withValuesFile(values).call())
        .hasMessageContaining("watchNamespaces.0: Does not match pattern");
  }

  @Test
  void noEmulatorByDefault() {
    List<HasMetadata> objects = render(template());

    assertThat(objects).noneMatch(o -> o.getMetadata().getName().endsWith("-emulator"));
    assertThat(env(one(objects, Deployment.class)))
        .doesNotContainKey("TWILIO_BASE_URL")
        .containsEntry("TWILIO_ALLOW_INSECURE_HTTP", "false");
  }

  @Test
  void emulatorEnabledRunsItBesideTheOperatorWhichTalksToIt() {
    List<HasMetadata> objects = render(template().set("emulator.enabled", "true"));

    List<Deployment> deployments = all(objects, Deployment.class);
    assertThat(deployments).hasSize(2);
    Deployment operator =
        deployments.stream()
            .filter(d -> d.getMetadata().getName().equals("sourceip-operator"))
            .findFirst()
            .orElseThrow();
    Deployment emulator =
        deployments.stream()
            .filter(d -> d.getMetadata().getName().equals("sourceip-operator-emulator"))
            .findFirst()
            .orElseThrow();
    String url = "http://sourceip-operator-emulator." + NAMESPACE + ".svc:8080";
    assertThat(env(operator))
        .containsEntry("TWILIO_BASE_URL", url)
        .containsEntry("TWILIO_ALLOW_INSECURE_HTTP", "true");

    var pod = emulator.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(emulator.getSpec().getReplicas()).isEqualTo(1);
    assertThat(container.getArgs())
        .containsExactly(
            "emulator",
            "--bind=0.0.0.0",
            "--port=8080",
            "--public-base-url=" + url,
            "--account=$(TWILIO_ACCOUNT_SID):$(TWILIO_AUTH_TOKEN)",
            "--seed-examples");
    assertThat(container.getEnv())
        .allSatisfy(
            e ->
                assertThat(e.getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo("twilio-credentials"));
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/_emulator/health");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();

    // neither Deployment selects the other's pods, and the Services find their own
    Map<String, String> emulatorPods = emulator.getSpec().getTemplate().getMetadata().getLabels();
    Map<String, String> operatorPods = operator.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(
            emulatorPods
                .entrySet()
                .containsAll(operator.getSpec().getSelector().getMatchLabels().entrySet()))
        .isFalse();
    assertThat(
            operatorPods
                .entrySet()
                .containsAll(emulator.getSpec().getSelector().getMatchLabels().entrySet()))
        .isFalse();
    Service service =
        all(objects, Service.class).stream()
            .filter(s -> s.getMetadata().getName().equals("sourceip-operator-emulator"))
            .findFirst()
            .orElseThrow();
    assertThat(emulatorPods.entrySet()).containsAll(service.getSpec().getSelector().entrySet());
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
  }

  @Test
  void emulatorEnabledWithABaseUrlIsRefusedWithTheReason() {
    assertThatThrownBy(
            () ->
                template()
                    .set("emulator.enabled", "true")
                    .set("twilio.baseUrl", "https://example.test")
                    .call())
        .hasMessageContaining("emulator.enabled points the operator at the emulator");
  }

  private static TemplateCommand template() {
    return renderable.template().withName("sourceip-operator").withNamespace(NAMESPACE);
  }

  private static List<HasMetadata> render(TemplateCommand template) {
    return render(template.call());
  }

  private static List<HasMetadata> render(String yaml) {
    return K8sObjects.parse(yaml);
  }

  /** The container's variables that have a value (not those from a Secret or a field). */
  static Map<String, String> env(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static Path values(String yaml) {
    try {
      return Files.writeString(Files.createTempFile(tmp, "values", ".yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
