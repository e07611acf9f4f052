package dev.byoc.sourceip.export;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/**
 * What an {@link Exporter} found.
 *
 * @param resources the resources to write, in the order to write them
 * @param warnings things the user should know about the account (one line each), e.g. a Twilio
 *     state that the operator will report as a conflict once applied
 * @param comments lines to write as YAML comments atop a resource's document, by {@link
 *     #key(HasMetadata)}: why that one reads differently from the others; most have none
 */
public record ExportResult(
    List<HasMetadata> resources, List<String> warnings, Map<String, List<String>> comments) {
  public ExportResult {
    resources = List.copyOf(resources);
    warnings = List.copyOf(warnings);
    comments = Map.copyOf(comments);
  }

  /** A result with no comments. */
  public ExportResult(List<HasMetadata> resources, List<String> warnings) {
    this(resources, warnings, Map.of());
  }

  /** The comment lines for {@code resource}'s document; empty for most. */
  public List<String> commentsOn(HasMetadata resource) {
    return comments.getOrDefault(key(resource), List.of());
  }

  /** What names a resource in one export: its kind and name ({@code IpRecord/pbx-east}). */
  public static String key(HasMetadata resource) {
    return resource.getKind() + "/" + resource.getMetadata().getName();
  }
}
