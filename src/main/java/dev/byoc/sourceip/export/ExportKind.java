package dev.byoc.sourceip.export;

import java.util.function.Supplier;

/**
 * The kinds {@code export} can write, by their Kubernetes kind name (the value of {@code --kind}).
 * A new kind joins with one constant and its {@link Exporter}.
 */
public enum ExportKind {
  /** Twilio Source IP Mappings, named after their IP records. */
  SourceIpMapping(SourceIpMappingExporter::new);

  private final Supplier<Exporter> exporter;

  ExportKind(Supplier<Exporter> exporter) {
    this.exporter = exporter;
  }

  public Exporter exporter() {
    return exporter.get();
  }
}
