package dev.byoc.sourceip.export;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.twilio.IpRecord;
import dev.byoc.sourceip.twilio.TwilioClient;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

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
    Map<String, IpRecord> ipRecords = new HashMap<>();
    for (IpRecord r : twilio.listIpRecords()) {
      ipRecords.put(r.sid(), r);
    }

    List<TwilioMapping> ordered = new ArrayList<>(mappings);
    ordered.sort(
        Comparator.comparing(
                (TwilioMapping m) ->
                    Optional.ofNullable(ipRecords.get(m.ipRecordSid()))
                        .map(IpRecord::dateCreated)
                        .orElse(null),
                Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing(TwilioMapping::ipRecordSid, Comparator.nullsLast(String::compareTo))
            .thenComparing(TwilioMapping::sid, Comparator.nullsLast(String::compareTo)));

    List<String> bases = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (TwilioMapping m : ordered) {
      IpRecord record = ipRecords.get(m.ipRecordSid());
      if (record == null) {
        warnings.add(
            "mapping "
                + m.sid()
                + " names IP record "
                + m.ipRecordSid()
                + ", which Twilio did not list; its resource is named after the IP record's SID");
        String fromSid = ResourceNames.sanitize(m.ipRecordSid());
        bases.add(fromSid.isEmpty() ? "mapping" : fromSid);
      } else {
        bases.add(ResourceNames.forIpRecord(record));
      }
    }
    warnings.addAll(duplicateWarnings(ordered));

    List<String> names = ResourceNames.unique(options.namePrefix(), bases);
    List<HasMetadata> resources = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      resources.add(resource(names.get(i), ordered.get(i), options));
    }
    resources.sort(Comparator.comparing(r -> r.getMetadata().getName()));
    return new ExportResult(resources, warnings);
  }

  private static SourceIpMapping resource(String name, TwilioMapping m, ExportOptions options) {
    SourceIpMapping resource = new SourceIpMapping();
    resource.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(options.namespace())
            .addToAnnotations(SourceIpMapping.EXTERNAL_SID_ANNOTATION, m.sid())
            .build());
    SourceIpMappingSpec spec = new SourceIpMappingSpec(m.ipRecordSid(), m.sipDomainSid());
    spec.setDeletionPolicy(options.deletionPolicy());
    resource.setSpec(spec);
    return resource;
  }

  /** Twilio should hold at most one mapping per IP record; every one is exported all the same. */
  private static List<String> duplicateWarnings(List<TwilioMapping> mappings) {
    Map<String, List<String>> sidsByIpRecord =
        mappings.stream()
            .filter(m -> m.ipRecordSid() != null)
            .collect(
                Collectors.groupingBy(
                    TwilioMapping::ipRecordSid,
                    TreeMap::new,
                    Collectors.mapping(TwilioMapping::sid, Collectors.toList())));
    List<String> warnings = new ArrayList<>();
    sidsByIpRecord.forEach(
        (ipRecordSid, sids) -> {
          if (sids.size() > 1) {
            warnings.add(
                "IP record "
                    + ipRecordSid
                    + " has "
                    + sids.size()
                    + " mappings ("
                    + String.join(", ", sids)
                    + ") where Twilio should hold one; the operator lets one resource manage an IP"
                    + " record and reports Conflict on the others, so remove the extra mappings"
                    + " at Twilio or their resources from this file");
          }
        });
    return warnings;
  }
}
