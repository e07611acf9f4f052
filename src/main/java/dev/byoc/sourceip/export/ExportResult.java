package dev.byoc.sourceip.export;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * What an {@link Exporter} found.
 *
 * @param resources the resources to write, in the order to write them
 * @param warnings things the user should know about the account (one line each), e.g. a Twilio
 *     state that the operator will report as a conflict once applied
 */
public record ExportResult(List<HasMetadata> resources, List<String> warnings) {
  public ExportResult {
    resources = List.copyOf(resources);
    warnings = List.copyOf(warnings);
  }
}
