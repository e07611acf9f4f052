package dev.byoc.sourceip.reconciler;

import static dev.byoc.sourceip.api.v1alpha1.Reasons.REFERENCE_NOT_READY;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.twilio.SipDomain;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a mapping's references into the SIDs Twilio wants: {@code ipRecordRef} from the IpRecords
 * the controller watches, {@code sipDomainName} from the account snapshot's SIP domains (listed
 * once and refreshed with it: never a request per resource).
 */
final class MappingReferences {
  /** The SIDs a mapping's spec asks for, its references resolved. */
  record Wanted(String ipRecordSid, String sipDomainSid) {}

  private final Function<ResourceID, Optional<IpRecord>> ipRecords;

  MappingReferences(Function<ResourceID, Optional<IpRecord>> ipRecords) {
    this.ipRecords = ipRecords;
  }

  /**
   * The SIDs the spec asks for; null when a reference cannot be resolved yet, with the status
   * saying why: an IpRecord that is missing or not Ready is waited for (its change wakes the
   * mapping), an unknown domain is reported (the domain list's change wakes it).
   */
  Wanted resolve(
      SourceIpMapping resource, Account account, MappingStatusBuilder status, EventSink events) {
    SourceIpMappingSpec spec = resource.getSpec();
    String ipRecordSid = spec.getIpRecordSid();
    if (ipRecordSid == null) {
      String name = spec.getIpRecordRef().getName();
      String namespace = resource.getMetadata().getNamespace();
      Optional<IpRecord> named = ipRecords.apply(new ResourceID(name, namespace));
      if (named.isEmpty()) {
        status.waiting(
            REFERENCE_NOT_READY,
            "waiting for IpRecord " + name + " (spec.ipRecordRef): none in namespace " + namespace);
        return null;
      }
      ipRecordSid = readySid(named.get());
      if (ipRecordSid == null) {
        Condition ready =
            named.get().getStatus() == null
                ? null
                : Conditions.find(named.get().getStatus().getConditions(), Conditions.READY);
        status.waiting(
            REFERENCE_NOT_READY,
            "waiting for IpRecord "
                + name
                + " (spec.ipRecordRef) to be Ready"
                + (ready == null ? "" : ": " + ready.getReason() + ", " + ready.getMessage()));
        return null;
      }
    }
    String sipDomainSid = spec.getSipDomainSid();
    if (sipDomainSid == null) {
      Optional<SipDomain> domain = account.snapshot().sipDomainByName(spec.getSipDomainName());
      if (domain.isEmpty()) {
        String message =
            "account "
                + account.accountSid()
                + " holds no SIP domain named "
                + spec.getSipDomainName()
                + " (spec.sipDomainName); looked for again when the account's domains are listed"
                + " (each resync)";
        status.observed(null).failed(REFERENCE_NOT_READY, message);
        if (status.changed()) {
          events.warning(resource, REFERENCE_NOT_READY, message);
        }
        return null;
      }
      sipDomainSid = domain.get().sid();
    }
    return new Wanted(ipRecordSid, sipDomainSid);
  }

  /**
   * The IP record SID a mapping names, its ref resolved from the cache whatever the IpRecord's
   * readiness (an IpRecord being deleted is not Ready, but its record is still the one the mapping
   * used: claims and deletion must find it); null when unknown.
   */
  String wantedIpRecordSid(SourceIpMapping r) {
    if (r.getSpec() == null) {
      return null;
    }
    if (r.getSpec().getIpRecordSid() != null) {
      return r.getSpec().getIpRecordSid();
    }
    return ipRecordRefKey(r) == null
        ? null
        : ipRecords
            .apply(
                new ResourceID(
                    r.getSpec().getIpRecordRef().getName(), r.getMetadata().getNamespace()))
            .map(ip -> ip.getStatus() == null ? null : ip.getStatus().getSid())
            .orElse(null);
  }

  /** "namespace/name" of the IpRecord the mapping names by ipRecordRef, or null. */
  static String ipRecordRefKey(SourceIpMapping r) {
    return r.getSpec() == null
            || r.getSpec().getIpRecordRef() == null
            || r.getSpec().getIpRecordRef().getName() == null
        ? null
        : r.getMetadata().getNamespace() + "/" + r.getSpec().getIpRecordRef().getName();
  }

  /** The SID of an IpRecord that is Ready, else null. */
  static String readySid(IpRecord ipRecord) {
    return ipRecord.getStatus() != null
            && ipRecord.getStatus().getSid() != null
            && Conditions.isTrue(ipRecord.getStatus().getConditions(), Conditions.READY)
        ? ipRecord.getStatus().getSid()
        : null;
  }
}
