package dev.byoc.sourceip.export;

import dev.byoc.sourceip.twilio.TwilioIpRecord;
import dev.byoc.sourceip.twilio.TwilioMapping;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Twilio's mappings as every export that writes mappings sees them: in the order names are given,
 * each with its IP record where Twilio listed it, and the odd states worth a warning.
 *
 * <p>The order is that of the IP records' creation (then IP record SID, then mapping SID), so a
 * re-export after new records were added keeps the names it gave before.
 */
final class OrderedMappings {
  private final Map<String, TwilioIpRecord> ipRecords = new HashMap<>();
  private final List<TwilioMapping> inOrder;

  OrderedMappings(Collection<TwilioMapping> mappings, Collection<TwilioIpRecord> listedIpRecords) {
    for (TwilioIpRecord r : listedIpRecords) {
      ipRecords.put(r.sid(), r);
    }
    inOrder = new ArrayList<>(mappings);
    inOrder.sort(
        Comparator.comparing(
                (TwilioMapping m) -> ipRecordOf(m).map(TwilioIpRecord::dateCreated).orElse(null),
                Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing(TwilioMapping::ipRecordSid, Comparator.nullsLast(String::compareTo))
            .thenComparing(TwilioMapping::sid, Comparator.nullsLast(String::compareTo)));
  }

  /** The mappings in the order their names are given. */
  List<TwilioMapping> inOrder() {
    return inOrder;
  }

  /** The IP record {@code mapping} names, when Twilio listed it. */
  Optional<TwilioIpRecord> ipRecordOf(TwilioMapping mapping) {
    return Optional.ofNullable(ipRecords.get(mapping.ipRecordSid()));
  }

  /** The base name of a mapping whose IP record Twilio did not list: that record's SID. */
  static String baseWithoutIpRecord(TwilioMapping mapping) {
    String fromSid = ResourceNames.sanitize(mapping.ipRecordSid());
    return fromSid.isEmpty() ? "mapping" : fromSid;
  }

  /** One line for each mapping whose IP record is not listed and each IP record mapped twice. */
  List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    for (TwilioMapping m : inOrder) {
      if (ipRecordOf(m).isEmpty()) {
        warnings.add(
            "mapping "
                + m.sid()
                + " names IP record "
                + m.ipRecordSid()
                + ", which Twilio did not list; its resource is named after the IP record's SID");
      }
    }
    warnings.addAll(duplicateWarnings());
    return warnings;
  }

  /** Twilio should hold at most one mapping per IP record; every one is exported all the same. */
  private List<String> duplicateWarnings() {
    Map<String, List<String>> sidsByIpRecord =
        inOrder.stream()
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
