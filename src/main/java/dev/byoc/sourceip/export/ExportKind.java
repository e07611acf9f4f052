package dev.byoc.sourceip.export;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.function.Supplier;

/**
 * What {@code export} can write, by the value of {@code --kind}: a Kubernetes kind's name, or
 * {@code all}. A new kind joins with one constant and its {@link Exporter}.
 */
public enum ExportKind {
  /** Twilio Source IP Mappings, named after their IP records, naming them by SID. */
  SourceIpMapping(SourceIpMappingExporter::new, SourceIpMapping.class),

  /** Twilio IP Records, mapped or not. */
  IpRecord(IpRecordExporter::new, IpRecord.class),

  /** IP Records, then the mappings naming them by ipRecordRef and their SIP domains by name. */
  all(AccountExporter::new, IpRecord.class, SourceIpMapping.class);

  private final Supplier<Exporter> exporter;
  private final List<Class<? extends HasMetadata>> kinds;

  @SafeVarargs
  ExportKind(Supplier<Exporter> exporter, Class<? extends HasMetadata>... kinds) {
    this.exporter = exporter;
    this.kinds = List.of(kinds);
  }

  public Exporter exporter() {
    return exporter.get();
  }

  /** The Kubernetes kinds written, in the order they are written. */
  public List<String> kinds() {
    return kinds.stream().map(HasMetadata::getKind).toList();
  }
}
