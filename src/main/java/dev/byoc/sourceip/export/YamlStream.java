package dev.byoc.sourceip.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Writes resources as one YAML stream: a comment header, then each resource as its own document
 * after {@code ---}. Objects become JSON as fabric8 sends them to an API server, then YAML with
 * plain scalars wherever that is unambiguous and quotes everywhere else.
 */
public final class YamlStream {
  private static final KubernetesSerialization KUBERNETES =
      new KubernetesSerialization(new ObjectMapper(), false);
  private static final ObjectMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .stringQuotingChecker(new PlainOnlyWhenUnambiguous())
              .build());

  private YamlStream() {}

  /** The header lines (each written as a {@code #} comment), then every resource. */
  public static String render(List<String> header, List<? extends HasMetadata> resources) {
    return render(header, resources, resource -> List.of());
  }

  /**
   * The header lines, then every resource, each document opened by its own comment lines (from
   * {@code comments}, empty for none) so that a reader sees why it reads as it does.
   */
  public static String render(
      List<String> header,
      List<? extends HasMetadata> resources,
      Function<HasMetadata, List<String>> comments) {
    StringBuilder text = new StringBuilder();
    comment(text, header);
    for (HasMetadata resource : resources) {
      text.append("---\n");
      comment(text, comments.apply(resource));
      text.append(toYaml(resource));
    }
    return text.toString();
  }

  private static void comment(StringBuilder text, List<String> lines) {
    for (String line : lines) {
      text.append(line.isEmpty() ? "#" : "# " + line).append('\n');
    }
  }

  private static String toYaml(HasMetadata resource) {
    try {
      return YAML.writeValueAsString(KUBERNETES.convertValue(resource, JsonNode.class));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A string is written plain only when every YAML reader takes it for that same string: it starts
   * with a letter, holds only letters, digits and {@code . _ / -}, and is none of the words YAML
   * 1.1 readers (Kubernetes' among them) take for booleans or null. Everything else is quoted, so
   * that a namespace or friendly name such as {@code no}, {@code on}, {@code 0755} or {@code 1e3}
   * stays a string.
   */
  static final class PlainOnlyWhenUnambiguous extends StringQuotingChecker {
    private static final long serialVersionUID = 1L;
    private static final Pattern PLAIN = Pattern.compile("^[A-Za-z][A-Za-z0-9._/-]*$");
    private static final Set<String> RESERVED =
        Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

    @Override
    public boolean needToQuoteName(String name) {
      return !plain(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
      return !plain(value);
    }

    static boolean plain(String text) {
      return PLAIN.matcher(text).matches() && !RESERVED.contains(text.toLowerCase(Locale.ROOT));
    }
  }
}
