package dev.byoc.sourceip.export;

import dev.byoc.sourceip.api.v1alpha1.IpRecordReference;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.twilio.TwilioClient;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole account, readable without a SID outside the annotations: every IP record as an
 * TwilioIpRecord, then every mapping as a SourceIpMapping that names its TwilioIpRecord by {@code
 * ipRecordRef} and its SIP domain by {@code sipDomainName}. IpRecords come first, so one {@code
 * kubectl apply} creates them before the mappings that name them.
 *
 * <p>A mapping takes its TwilioIpRecord's name. One whose IP record or SIP domain Twilio did not
 * list keeps that SID instead, and says so in a comment atop its document and in a warning.
 *
 * <p>Costs one list each of mappings, IP records and SIP domains (a request per page each); no list
 * of SIP domains when there are no mappings.
 */
public final class AccountExporter implements Exporter {

  @Override
  public ExportResult export(TwilioClient twilio, ExportOptions options) {
    List<TwilioMapping> mappings = twilio.listSourceIpMappings();
    List<TwilioIpRecord> listedIpRecords = twilio.listIpRecords();
    SipDomainNames domains =
        new SipDomainNames(mappings.isEmpty() ? List.of() : twilio.listSipDomains());
    ExportedIpRecords ipRecords = new ExportedIpRecords(listedIpRecords, options);
    OrderedMappings ordered = new OrderedMappings(mappings, listedIpRecords);

    List<String> texts = new ArrayList<>();
    for (TwilioMapping m : ordered.inOrder()) {
      texts.add(
          ipRecords
              .nameOf(m.ipRecordSid())
              .orElseGet(() -> options.namePrefix() + OrderedMappings.baseWithoutIpRecord(m)));
    }
    List<String> names = ResourceNames.unique(texts);

    List<String> warnings = new ArrayList<>(ordered.warnings());
    Map<String, List<String>> comments = new HashMap<>();
    List<HasMetadata> mappingResources = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      TwilioMapping m = ordered.inOrder().get(i);
      List<String> notes = new ArrayList<>();
      SourceIpMappingSpec spec = new SourceIpMappingSpec();
      Optional<String> ipRecordName = ipRecords.nameOf(m.ipRecordSid());
      if (ipRecordName.isPresent()) {
        spec.setIpRecordRef(new IpRecordReference(ipRecordName.get()));
      } else {
        spec.setIpRecordSid(m.ipRecordSid());
        notes.add("ipRecordSid, not ipRecordRef: Twilio did not list IP record " + m.ipRecordSid());
      }
      Optional<String> domainName = domains.nameOf(m.sipDomainSid());
      if (domainName.isPresent()) {
        spec.setSipDomainName(domainName.get());
      } else {
        spec.setSipDomainSid(m.sipDomainSid());
        notes.add(
            "sipDomainSid, not sipDomainName: Twilio did not list SIP domain " + m.sipDomainSid());
        warnings.add(
            "mapping "
                + m.sid()
                + " names SIP domain "
                + m.sipDomainSid()
                + ", which Twilio did not list by a usable name; its resource keeps the SID");
      }
      SourceIpMapping resource = SourceIpMappingExporter.resource(names.get(i), m, spec, options);
      if (!notes.isEmpty()) {
        comments.put(ExportResult.key(resource), notes);
      }
      mappingResources.add(resource);
    }
    mappingResources.sort(AdoptingMetadata.BY_NAME);

    List<HasMetadata> resources = new ArrayList<>(ipRecords.resources());
    resources.addAll(mappingResources);
    return new ExportResult(resources, warnings, comments);
  }
}
