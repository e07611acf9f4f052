package dev.byoc.sourceip.export;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.twilio.TwilioClient;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link SourceIpMapping} per mapping Twilio holds, named after its IP record (friendly name,
 * else address), annotated with the mapping's SID so that applying it adopts that mapping.
 *
 * <p>Costs one list of mappings and one list of IP records (a request per page each); no list of IP
 * records when there are no mappings. Names are given in the order the IP records were created
 * (then by SID), so a re-export after new records were added keeps the names it gave before: only
 * the newcomers get suffixes.
 */
public final class SourceIpMappingExporter implements Exporter {

  @Override
  public ExportResult export(TwilioClient twilio, ExportOptions options) {
    List<TwilioMapping> mappings = twilio.listSourceIpMappings();
    if (mappings.isEmpty()) {
      return new ExportResult(List.of(), List.of());
    }
    OrderedMappings ordered = new OrderedMappings(mappings, twilio.listIpRecords());

    List<String> bases = new ArrayList<>();
    for (TwilioMapping m : ordered.inOrder()) {
      bases.add(
          ordered
              .ipRecordOf(m)
              .map(ResourceNames::forIpRecord)
              .orElseGet(() -> OrderedMappings.baseWithoutIpRecord(m)));
    }
    List<String> names = ResourceNames.unique(options.namePrefix(), bases);
    List<HasMetadata> resources = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      TwilioMapping m = ordered.inOrder().get(i);
      resources.add(
          resource(
              names.get(i),
              m,
              new SourceIpMappingSpec(m.ipRecordSid(), m.sipDomainSid()),
              options));
    }
    resources.sort(AdoptingMetadata.BY_NAME);
    return new ExportResult(resources, ordered.warnings());
  }

  /** The resource adopting {@code mapping}, with {@code spec} and the options' deletion policy. */
  static SourceIpMapping resource(
      String name, TwilioMapping mapping, SourceIpMappingSpec spec, ExportOptions options) {
    SourceIpMapping resource = new SourceIpMapping();
    resource.setMetadata(AdoptingMetadata.of(name, mapping.sid(), options));
    spec.setDeletionPolicy(options.deletionPolicy());
    resource.setSpec(spec);
    return resource;
  }
}
