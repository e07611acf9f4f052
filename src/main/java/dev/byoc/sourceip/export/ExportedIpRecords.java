package dev.byoc.sourceip.export;

import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's IP records as adopting TwilioIpRecord resources, with the name each got: what the
 * TwilioIpRecord export writes, and what the whole-account export writes and points its mappings
 * at.
 *
 * <p>Names follow the mapping export's rule (friendly name, else address; repeats {@code -2},
 * {@code -3} in the order the records were created, then by SID), over every listed record.
 */
final class ExportedIpRecords {
  private static final Comparator<TwilioIpRecord> CREATION_ORDER =
      Comparator.comparing(
              TwilioIpRecord::dateCreated, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
          .thenComparing(TwilioIpRecord::sid, Comparator.nullsLast(String::compareTo));

  private final Map<String, String> namesBySid = new HashMap<>();
  private final List<HasMetadata> resources = new ArrayList<>();

  ExportedIpRecords(Collection<TwilioIpRecord> listed, ExportOptions options) {
    List<TwilioIpRecord> ordered = new ArrayList<>(listed);
    ordered.sort(CREATION_ORDER);
    List<String> names =
        ResourceNames.unique(
            options.namePrefix(), ordered.stream().map(ResourceNames::forIpRecord).toList());
    for (int i = 0; i < names.size(); i++) {
      TwilioIpRecord record = ordered.get(i);
      namesBySid.put(record.sid(), names.get(i));
      resources.add(resource(names.get(i), record, options));
    }
    resources.sort(AdoptingMetadata.BY_NAME);
  }

  /** The IpRecords, in name order. */
  List<HasMetadata> resources() {
    return resources;
  }

  /**
   * The name of the TwilioIpRecord that adopts the IP record {@code ipRecordSid}, when it was
   * listed.
   */
  Optional<String> nameOf(String ipRecordSid) {
    return Optional.ofNullable(namesBySid.get(ipRecordSid));
  }

  /**
   * The spec Twilio holds: the address, the prefix length only when not 32 (omitted means 32, so
   * the common single address reads as it would be written by hand and never shows as drift), and
   * the friendly name only when Twilio has one (omitted leaves Twilio's as it is).
   */
  private static dev.byoc.sourceip.api.v1alpha1.IpRecord resource(
      String name, TwilioIpRecord record, ExportOptions options) {
    IpRecordSpec spec = new IpRecordSpec(record.ipAddress());
    Integer prefix = record.cidrPrefixLength();
    if (prefix != null && prefix != IpRecordSpec.DEFAULT_CIDR_PREFIX_LENGTH) {
      spec.setCidrPrefixLength(prefix);
    }
    if (record.friendlyName() != null && !record.friendlyName().isEmpty()) {
      spec.setFriendlyName(record.friendlyName());
    }
    spec.setDeletionPolicy(options.deletionPolicy());
    var resource = new dev.byoc.sourceip.api.v1alpha1.IpRecord();
    resource.setMetadata(AdoptingMetadata.of(name, record.sid(), options));
    resource.setSpec(spec);
    return resource;
  }
}
