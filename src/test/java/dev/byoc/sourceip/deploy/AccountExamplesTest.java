package dev.byoc.sourceip.deploy;

import static dev.byoc.sourceip.deploy.K8sObjects.all;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.byoc.sourceip.api.v1alpha1.ClusterTwilioAccount;
import dev.byoc.sourceip.api.v1alpha1.CredentialsSecretRef;
import dev.byoc.sourceip.api.v1alpha1.PruneMode;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/examples/accounts: a labelled Secret and a namespace's TwilioAccount `default`, and a
 * ClusterTwilioAccount with its Secret in the operator's namespace; placeholders only; kept out of
 * the sandbox's deploy/examples/*.yaml.
 */
class AccountExamplesTest {
  private static final Path FILE = Path.of("deploy", "examples", "accounts", "twilioaccount.yaml");
  private static final YAMLMapper STRICT =
      (YAMLMapper)
          new YAMLMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private static List<JsonNode> documents() throws IOException {
    try (MappingIterator<JsonNode> it =
        STRICT.readerFor(JsonNode.class).readValues(FILE.toFile())) {
      return it.readAll().stream().filter(node -> !node.isNull() && !node.isEmpty()).toList();
    }
  }

  private static <T> T only(String kind, Class<T> type) throws IOException {
    List<JsonNode> found =
        documents().stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    assertThat(found).as(kind).hasSize(1);
    return STRICT.treeToValue(found.get(0), type);
  }

  @Test
  void aNamespacesDefaultAccountAndAClusterAccountWithLabelledSecrets() throws IOException {
    List<HasMetadata> objects = K8sObjects.read(FILE);
    Map<String, Secret> secrets =
        all(objects, Secret.class).stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s -> s));
    assertThat(secrets).hasSize(2);

    TwilioAccount account = only("TwilioAccount", TwilioAccount.class);
    assertThat(account.getMetadata().getName())
        .as("the name a namespace's resources fall back to")
        .isEqualTo("default");
    assertThat(account.getSpec().getPrune().getMode()).isEqualTo(PruneMode.Report);
    assertThat(secrets)
        .containsKey(
            account.getMetadata().getNamespace()
                + "/"
                + account.getSpec().getCredentialsSecretRef().getName());

    ClusterTwilioAccount cluster = only("ClusterTwilioAccount", ClusterTwilioAccount.class);
    assertThat(cluster.getMetadata().getNamespace()).isNull();
    assertThat(cluster.getSpec().getNamespaceSelector().getMatchLabels()).isNotEmpty();
    assertThat(secrets)
        .as("a ClusterTwilioAccount's Secret is in the operator's namespace")
        .containsKey(
            PlainManifestsTest.NAMESPACE
                + "/"
                + cluster.getSpec().getCredentialsSecretRef().getName());

    for (Secret secret : secrets.values()) {
      assertThat(secret.getMetadata().getLabels())
          .as("the operator reads only labelled Secrets")
          .containsEntry(CredentialsSecretRef.LABEL, "true");
      assertThat(secret.getStringData()).containsOnlyKeys("accountSid", "authToken");
      assertThat(secret.getStringData().get("accountSid"))
          .as("a placeholder, not an Account SID")
          .doesNotMatch(Pattern.compile("^AC[0-9a-fA-F]{32}$"))
          .startsWith("REPLACE_");
      assertThat(secret.getStringData().get("authToken")).startsWith("REPLACE_");
    }
  }

  @Test
  void theSandboxDoesNotApplyTheAccountsExample() throws IOException {
    try (Stream<Path> top = Files.list(Path.of("deploy", "examples"))) {
      assertThat(top.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .as("the sandbox applies deploy/examples/*.yaml; accounts need real credentials")
          .doesNotContain("twilioaccount.yaml");
    }
  }
}
