package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the operator last saw at Twilio for this resource. A report and a cache: every SID here can
 * be found again at Twilio by the IP record, so losing status costs a lookup, never a duplicate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // e.g. written by a newer version of the operator
public class SourceIpMappingStatus implements ConditionedStatus {
  @JsonPropertyDescription("SID (IB...) of the Twilio Source IP Mapping this resource manages.")
  private String sid;

  @JsonPropertyDescription(
      "IP record SID of that mapping, as Twilio reported it: spec.ipRecordSid, or the one resolved"
          + " from the IpRecord spec.ipRecordRef names.")
  private String ipRecordSid;

  @JsonPropertyDescription(
      "SIP domain SID of that mapping, as Twilio reported it: spec.sipDomainSid, or the one"
          + " resolved from spec.sipDomainName in the account's list of SIP Domains.")
  private String sipDomainSid;

  @JsonPropertyDescription("Twilio's URL of the mapping.")
  private String url;

  @JsonPropertyDescription("When Twilio created the mapping (RFC 3339).")
  private String dateCreated;

  @JsonPropertyDescription("When Twilio last changed the mapping (RFC 3339).")
  private String dateUpdated;

  @JsonPropertyDescription(
      "The external-sid annotation's value once this resource adopted that mapping. From then on"
          + " the annotation has done its job: a mapping deleted at Twilio is recreated, not"
          + " waited for.")
  private String adoptedExternalSid;

  @JsonPropertyDescription(
      "Account SID (AC...) of the Twilio account that holds the object this status names; a later"
          + " change of spec.accountRef (or of the namespace's default account) that resolves to"
          + " another account is refused with AccountChanged.")
  private String accountSid;

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready: the mapping exists at Twilio as wanted. Synced: the last reconcile succeeded. Each"
          + " with a reason from a fixed set (see the README's troubleshooting table).")
  private List<Condition> conditions = new ArrayList<>();

  @Override
  public String getSid() {
    return sid;
  }

  public void setSid(String sid) {
    this.sid = sid;
  }

  public String getIpRecordSid() {
    return ipRecordSid;
  }

  public void setIpRecordSid(String ipRecordSid) {
    this.ipRecordSid = ipRecordSid;
  }

  public String getSipDomainSid() {
    return sipDomainSid;
  }

  public void setSipDomainSid(String sipDomainSid) {
    this.sipDomainSid = sipDomainSid;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getDateCreated() {
    return dateCreated;
  }

  public void setDateCreated(String dateCreated) {
    this.dateCreated = dateCreated;
  }

  public String getDateUpdated() {
    return dateUpdated;
  }

  public void setDateUpdated(String dateUpdated) {
    this.dateUpdated = dateUpdated;
  }

  public String getAccountSid() {
    return accountSid;
  }

  public void setAccountSid(String accountSid) {
    this.accountSid = accountSid;
  }

  @Override
  public Long getObservedGeneration() {
    return observedGeneration;
  }

  @Override
  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  @Override
  public String getAdoptedExternalSid() {
    return adoptedExternalSid;
  }

  @Override
  public void setAdoptedExternalSid(String adoptedExternalSid) {
    this.adoptedExternalSid = adoptedExternalSid;
  }

  @Override
  public List<Condition> getConditions() {
    return conditions;
  }

  @Override
  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceIpMappingStatus s
        && Objects.equals(sid, s.sid)
        && Objects.equals(ipRecordSid, s.ipRecordSid)
        && Objects.equals(sipDomainSid, s.sipDomainSid)
        && Objects.equals(url, s.url)
        && Objects.equals(dateCreated, s.dateCreated)
        && Objects.equals(dateUpdated, s.dateUpdated)
        && Objects.equals(adoptedExternalSid, s.adoptedExternalSid)
        && Objects.equals(accountSid, s.accountSid)
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sid, ipRecordSid, url, observedGeneration, conditions);
  }
}
