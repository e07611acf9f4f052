package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the operator last saw at Twilio for this IpRecord: a report and a cache, as for a mapping.
 * Its ipAddress and cidrPrefixLength are the immutable values the IP record was created with.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // e.g. written by a newer version of the operator
public class IpRecordStatus implements ConditionedStatus {
  @JsonPropertyDescription(
      "SID (IL...) of the Twilio IP Record this resource manages; a SourceIpMapping whose"
          + " spec.ipRecordRef names this resource uses it.")
  private String sid;

  @JsonPropertyDescription(
      "IP address of that IP record, as Twilio reported it: the value it was created with, which"
          + " Twilio never changes.")
  private String ipAddress;

  @JsonPropertyDescription(
      "CIDR prefix length of that IP record, as Twilio reported it (32 for a single address).")
  private Integer cidrPrefixLength;

  @JsonPropertyDescription("Friendly name of that IP record, as Twilio reported it.")
  private String friendlyName;

  @JsonPropertyDescription("Twilio's URL of the IP record.")
  private String url;

  @JsonPropertyDescription("When Twilio created the IP record (RFC 3339).")
  private String dateCreated;

  @JsonPropertyDescription("When Twilio last changed the IP record (RFC 3339).")
  private String dateUpdated;

  @JsonPropertyDescription(
      "Names of the SourceIpMappings in this namespace whose spec.ipRecordRef names this"
          + " IpRecord, as the operator last saw them, sorted; empty or absent when none does. A"
          + " report only: deleting this IpRecord while it is used is reported in its conditions.")
  private List<String> usedBy;

  @JsonPropertyDescription(
      "The external-sid annotation's value once this resource adopted that IP record. From then on"
          + " the annotation has done its job: an IP record deleted at Twilio is recreated, not"
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
      "Ready: the IP record exists at Twilio as wanted. Synced: the last reconcile succeeded. Each"
          + " with a reason from a fixed set (see the README's troubleshooting table).")
  private List<Condition> conditions = new ArrayList<>();

  @Override
  public String getSid() {
    return sid;
  }

  public void setSid(String sid) {
    this.sid = sid;
  }

  public String getIpAddress() {
    return ipAddress;
  }

  public void setIpAddress(String ipAddress) {
    this.ipAddress = ipAddress;
  }

  public Integer getCidrPrefixLength() {
    return cidrPrefixLength;
  }

  public void setCidrPrefixLength(Integer cidrPrefixLength) {
    this.cidrPrefixLength = cidrPrefixLength;
  }

  public String getFriendlyName() {
    return friendlyName;
  }

  public void setFriendlyName(String friendlyName) {
    this.friendlyName = friendlyName;
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

  public List<String> getUsedBy() {
    return usedBy;
  }

  public void setUsedBy(List<String> usedBy) {
    this.usedBy = usedBy;
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
    return o instanceof IpRecordStatus s
        && Objects.equals(sid, s.sid)
        && Objects.equals(ipAddress, s.ipAddress)
        && Objects.equals(cidrPrefixLength, s.cidrPrefixLength)
        && Objects.equals(friendlyName, s.friendlyName)
        && Objects.equals(url, s.url)
        && Objects.equals(dateCreated, s.dateCreated)
        && Objects.equals(dateUpdated, s.dateUpdated)
        && Objects.equals(usedBy, s.usedBy)
        && Objects.equals(adoptedExternalSid, s.adoptedExternalSid)
        && Objects.equals(accountSid, s.accountSid)
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sid, ipAddress, cidrPrefixLength, friendlyName, observedGeneration);
  }
}
