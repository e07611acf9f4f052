package dev.byoc.sourceip.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The YAML stream: comments, documents, plain where safe, and strings that stay strings. */
class YamlStreamTest {
  static final String IB = "IB" + "0123456789abcdef".repeat(2);
  static final String IL = "IL" + "1".repeat(32);
  static final String SD = "SD" + "2".repeat(32);

  static SourceIpMapping resource(String name, String namespace) {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .addToAnnotations(SourceIpMapping.EXTERNAL_SID_ANNOTATION, IB)
            .build());
    r.setSpec(new SourceIpMappingSpec(IL, SD));
    return r;
  }

  @Test
  void headerCommentsThenOneDocumentPerResourceWithPlainScalars() {
    SourceIpMapping orphan = resource("pbx-east", "telephony");
    orphan.getSpec().setDeletionPolicy(DeletionPolicy.Orphan);

    String yaml =
        YamlStream.render(List.of("first line", "", "third"), List.of(orphan, resource("b", "t")));

    assertThat(yaml)
        .startsWith("# first line\n#\n# third\n---\n")
        .contains(
            """
            ---
            apiVersion: voice.byoc.dev/v1alpha1
            kind: SourceIpMapping
            metadata:
              annotations:
                voice.byoc.dev/external-sid: %s
              name: pbx-east
              namespace: telephony
            spec:
              ipRecordSid: %s
              sipDomainSid: %s
              deletionPolicy: Orphan
            ---
            """
                .formatted(IB, IL, SD))
        .doesNotContain("status", "uid", "resourceVersion", "creationTimestamp", "finalizers")
        .endsWith("sipDomainSid: " + SD + "\n");
  }

  /** Words a YAML 1.1 reader (as Kubernetes' is) takes for a boolean, number or null. */
  @Test
  void namesThatLookLikeOtherTypesStayStringsForYaml11Readers() {
    List<String> tricky =
        List.of("no", "on", "off", "yes", "y", "n", "true", "null", "0755", "0x1f", "1e3", "12");
    List<SourceIpMapping> resources = new ArrayList<>();
    for (String name : tricky) {
      resources.add(resource(name, name));
    }

    String yaml = YamlStream.render(List.of(), resources);

    List<String> names = new ArrayList<>();
    for (Object document : new Yaml().loadAll(yaml)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> metadata =
          (Map<String, Object>) ((Map<String, Object>) document).get("metadata");
      assertThat(metadata.get("namespace")).isInstanceOf(String.class);
      names.add((String) metadata.get("name"));
    }
    assertThat(names).isEqualTo(tricky);
  }

  @Test
  void eachDocumentReadsBackAsTheSameResource() {
    SourceIpMapping original = resource("pbx", "telephony");

    String yaml = YamlStream.render(List.of("header"), List.of(original, original));

    String[] documents = yaml.split("(?m)^---\n");
    assertThat(documents).hasSize(3);
    SourceIpMapping read = Serialization.unmarshal(documents[1], SourceIpMapping.class);
    assertThat(read.getMetadata()).isEqualTo(original.getMetadata());
    assertThat(read.getSpec()).isEqualTo(original.getSpec());
    assertThat(read.getStatus()).isNull();
  }

  @Test
  void aDocumentsOwnCommentsOpenItAndLeaveItReadable() {
    SourceIpMapping commented = resource("a", "t");
    SourceIpMapping plain = resource("b", "t");

    String yaml =
        YamlStream.render(
            List.of("header"),
            List.of(commented, plain),
            r -> r == commented ? List.of("why it reads so", "") : List.of());

    assertThat(yaml)
        .startsWith("# header\n---\n# why it reads so\n#\napiVersion: voice.byoc.dev/v1alpha1\n")
        .contains("---\napiVersion: voice.byoc.dev/v1alpha1\nkind: SourceIpMapping\nmetadata:");
    SourceIpMapping read =
        Serialization.unmarshal(yaml.split("(?m)^---\n")[1], SourceIpMapping.class);
    assertThat(read.getSpec()).isEqualTo(commented.getSpec());
  }

  @Test
  void plainOnlyWhenUnambiguous() {
    assertThat(YamlStream.PlainOnlyWhenUnambiguous.plain("voice.byoc.dev/external-sid")).isTrue();
    assertThat(YamlStream.PlainOnlyWhenUnambiguous.plain("ip-10-0-0-1")).isTrue();
    for (String quoted : List.of("", "No", "TRUE", "1-2", "-x", "a b", "a:b", "#x", "~", ".inf")) {
      assertThat(YamlStream.PlainOnlyWhenUnambiguous.plain(quoted)).as(quoted).isFalse();
    }
  }
}
