package dev.byoc.sourceip.account;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import dev.byoc.sourceip.twilio.TwilioMapping;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the resources of every namespace claim at Twilio, whatever account they resolve to (SIDs are
 * unique across accounts): the objects their status or external-sid annotation names, the mappings
 * of the IP records they want (a create would adopt those), and the IP records at the addresses
 * IpRecords declare. A Twilio object is unclaimed only when none of these reach it.
 */
public final class Claims {
  private final Set<String> sids = new HashSet<>();
  private final Set<String> wantedIpRecordSids = new HashSet<>();
  private final Set<String> ipRecordAddresses = new HashSet<>();
  private final Set<String> wantedIpRecordAddresses = new HashSet<>();

  private Claims() {}

  public static Claims of(Collection<SourceIpMapping> mappings, Collection<IpRecord> ipRecords) {
    Claims claims = new Claims();
    Map<String, String> ipRecordSidByName = new HashMap<>();
    Map<String, String> ipRecordAddressByName = new HashMap<>();
    for (IpRecord r : ipRecords) {
      claims.named(r.getMetadata().getAnnotations());
      if (r.getStatus() != null) {
        claims.add(r.getStatus().getSid());
        claims.add(r.getStatus().getAdoptedExternalSid());
        if (r.getStatus().getSid() != null) {
          ipRecordSidByName.put(
              r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(),
              r.getStatus().getSid());
        }
      }
      if (r.getSpec() != null && r.getSpec().getIpAddress() != null) {
        String address =
            AccountSnapshot.ipRecordKey(
                r.getSpec().getIpAddress(), r.getSpec().getCidrPrefixLength());
        claims.ipRecordAddresses.add(address);
        ipRecordAddressByName.put(
            r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(), address);
      }
    }
    for (SourceIpMapping m : mappings) {
      claims.named(m.getMetadata().getAnnotations());
      if (m.getStatus() != null) {
        claims.add(m.getStatus().getSid());
        claims.add(m.getStatus().getAdoptedExternalSid());
        claims.wanted(m.getStatus().getIpRecordSid());
      }
      if (m.getSpec() != null) {
        claims.wanted(m.getSpec().getIpRecordSid());
        if (m.getSpec().getIpRecordRef() != null) {
          String name =
              m.getMetadata().getNamespace() + "/" + m.getSpec().getIpRecordRef().getName();
          claims.wanted(ipRecordSidByName.get(name));
          // before the IpRecord has its SID it adopts the IP record at its address, and the
          // mapping then the mapping of that IP record
          String address = ipRecordAddressByName.get(name);
          if (address != null) {
            claims.wantedIpRecordAddresses.add(address);
          }
        }
      }
    }
    return claims;
  }

  private void named(Map<String, String> annotations) {
    if (annotations != null) {
      add(annotations.get(SourceIpMapping.EXTERNAL_SID_ANNOTATION));
    }
  }

  private void add(String sid) {
    if (sid != null) {
      sids.add(sid);
    }
  }

  private void wanted(String ipRecordSid) {
    if (ipRecordSid != null) {
      wantedIpRecordSids.add(ipRecordSid);
    }
  }

  /**
   * Whether a resource claims this mapping: by its SID, or by wanting its IP record ({@code
   * wanted}: the SIDs of the IP records mappings want, by SID or at an address).
   */
  private boolean claims(TwilioMapping mapping, Set<String> wanted) {
    return sids.contains(mapping.sid()) || wanted.contains(mapping.ipRecordSid());
  }

  /** The SIDs of the IP records mappings want: named, or at the address of an IpRecord named. */
  private Set<String> wanted(Collection<TwilioIpRecord> ipRecords) {
    Set<String> wanted = new HashSet<>(wantedIpRecordSids);
    for (TwilioIpRecord r : ipRecords) {
      if (wantedIpRecordAddresses.contains(
          AccountSnapshot.ipRecordKey(r.ipAddress(), r.cidrPrefixLength()))) {
        wanted.add(r.sid());
      }
    }
    return wanted;
  }

  /**
   * Whether a resource claims this IP record: by its SID, by its address, because a mapping wants
   * it, or because a claimed mapping at Twilio uses it.
   */
  boolean claims(TwilioIpRecord ipRecord, Collection<TwilioMapping> claimedMappings) {
    return sids.contains(ipRecord.sid())
        || wantedIpRecordSids.contains(ipRecord.sid())
        || ipRecordAddresses.contains(
            AccountSnapshot.ipRecordKey(ipRecord.ipAddress(), ipRecord.cidrPrefixLength()))
        || claimedMappings.stream().anyMatch(m -> Objects.equals(m.ipRecordSid(), ipRecord.sid()));
  }

  /** The account's objects no resource claims: mappings first, then IP records, each sorted. */
  public Unclaimed unclaimed(List<TwilioMapping> mappings, List<TwilioIpRecord> ipRecords) {
    Set<String> wanted = wanted(ipRecords);
    List<TwilioMapping> claimedMappings = mappings.stream().filter(m -> claims(m, wanted)).toList();
    return new Unclaimed(
        mappings.stream().filter(m -> !claims(m, wanted)).map(TwilioMapping::sid).sorted().toList(),
        ipRecords.stream()
            .filter(r -> !claims(r, claimedMappings))
            .map(TwilioIpRecord::sid)
            .sorted()
            .toList(),
        claimedMappings.size(),
        ipRecords.size()
            - (int) ipRecords.stream().filter(r -> !claims(r, claimedMappings)).count());
  }

  /** The unclaimed SIDs of each kind, and how many of each kind are claimed. */
  public record Unclaimed(
      List<String> mappings, List<String> ipRecords, int claimedMappings, int claimedIpRecords) {
    public List<String> all() {
      return Stream.concat(mappings.stream(), ipRecords.stream()).toList();
    }
  }
}
