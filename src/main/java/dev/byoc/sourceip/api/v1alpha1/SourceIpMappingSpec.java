package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The mapping wanted at Twilio: from which IP record, to which SIP domain, and on what terms. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = SpecReader.class)
@ValidationRule(
    value = SourceIpMappingSpec.ONE_IP_RECORD,
    message = "set exactly one of ipRecordSid or ipRecordRef")
@ValidationRule(
    value = SourceIpMappingSpec.ONE_SIP_DOMAIN,
    message = "set exactly one of sipDomainSid or sipDomainName")
public class SourceIpMappingSpec {
  public static final String IP_RECORD_SID_PATTERN = "^IL[0-9a-fA-F]{32}$";
  public static final String SIP_DOMAIN_SID_PATTERN = "^SD[0-9a-fA-F]{32}$";

  /** A DNS name of two or more labels (letters, digits, inner '-'), as acme.sip.twilio.com. */
  public static final String SIP_DOMAIN_NAME_PATTERN =
      "^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+"
          + "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$";

  public static final int SIP_DOMAIN_NAME_MAX_LENGTH = 253;

  /** CEL: the IP record is named one way, by SID or by IpRecord. */
  public static final String ONE_IP_RECORD = "has(self.ipRecordSid) != has(self.ipRecordRef)";

  /** CEL: the SIP domain is named one way, by SID or by domain name. */
  public static final String ONE_SIP_DOMAIN = "has(self.sipDomainSid) != has(self.sipDomainName)";

  @Pattern(IP_RECORD_SID_PATTERN)
  @JsonPropertyDescription(
      "SID of the Twilio IP Record (IL + 32 hex digits) whose traffic is mapped. Set exactly one"
          + " of ipRecordSid or ipRecordRef. At most one mapping per IP record exists in an"
          + " account; changing the IP record replaces the mapping.")
  private String ipRecordSid;

  @JsonPropertyDescription(
      "The IpRecord in this namespace whose IP record's traffic is mapped: its status.sid is"
          + " used once it is Ready. Set exactly one of ipRecordSid or ipRecordRef.")
  private IpRecordReference ipRecordRef;

  @Pattern(SIP_DOMAIN_SID_PATTERN)
  @JsonPropertyDescription(
      "SID of the Twilio SIP Domain (SD + 32 hex digits) the traffic goes to. Set exactly one of"
          + " sipDomainSid or sipDomainName. Changing the domain updates the mapping in place.")
  private String sipDomainSid;

  @Pattern(SIP_DOMAIN_NAME_PATTERN)
  @Size(max = SIP_DOMAIN_NAME_MAX_LENGTH)
  @JsonPropertyDescription(
      "Domain name of the Twilio SIP Domain the traffic goes to, e.g. acme.sip.twilio.com;"
          + " resolved to its SID from the account's list of SIP Domains. Set exactly one of"
          + " sipDomainSid or sipDomainName.")
  private String sipDomainName;

  @Default("Delete")
  @JsonPropertyDescription(
      "Delete (default): the mapping is deleted at Twilio when this resource is deleted."
          + " Orphan: it is left at Twilio.")
  private DeletionPolicy deletionPolicy;

  @JsonPropertyDescription(
      "The Twilio account this resource lives in: a TwilioAccount of this namespace or a"
          + " ClusterTwilioAccount that admits it. Omitted: this namespace's TwilioAccount named"
          + " default if there is one, else the operator's own credentials. Once the resource"
          + " holds a Twilio object, a change that resolves to another account is refused"
          + " (AccountChanged): Twilio cannot move objects between accounts.")
  private AccountReference accountRef;

  @Default("Manage")
  @JsonPropertyDescription(
      "Manage (default): create, update and delete at Twilio to match this spec. Observe: never"
          + " write to Twilio; report in status what Twilio holds for the same IP record.")
  private ManagementPolicy managementPolicy;

  /**
   * Fields this version cannot read (unknown names, or values of the wrong type or outside the
   * enum), as they arrived. Never written: the operator never writes a spec, and patches only touch
   * what they change, so they stay on the server as the user wrote them. Not in the CRD either.
   */
  @JsonIgnore private final Map<String, JsonNode> unreadable = new LinkedHashMap<>();

  public SourceIpMappingSpec() {}

  public SourceIpMappingSpec(String ipRecordSid, String sipDomainSid) {
    this.ipRecordSid = ipRecordSid;
    this.sipDomainSid = sipDomainSid;
  }

  public String getIpRecordSid() {
    return ipRecordSid;
  }

  public void setIpRecordSid(String ipRecordSid) {
    this.ipRecordSid = ipRecordSid;
  }

  public IpRecordReference getIpRecordRef() {
    return ipRecordRef;
  }

  public void setIpRecordRef(IpRecordReference ipRecordRef) {
    this.ipRecordRef = ipRecordRef;
  }

  public String getSipDomainName() {
    return sipDomainName;
  }

  public void setSipDomainName(String sipDomainName) {
    this.sipDomainName = sipDomainName;
  }

  public String getSipDomainSid() {
    return sipDomainSid;
  }

  public void setSipDomainSid(String sipDomainSid) {
    this.sipDomainSid = sipDomainSid;
  }

  public DeletionPolicy getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  public AccountReference getAccountRef() {
    return accountRef;
  }

  public void setAccountRef(AccountReference accountRef) {
    this.accountRef = accountRef;
  }

  public ManagementPolicy getManagementPolicy() {
    return managementPolicy;
  }

  public void setManagementPolicy(ManagementPolicy managementPolicy) {
    this.managementPolicy = managementPolicy;
  }

  /** The effective policy: Delete when unset (the API server may not have applied the default). */
  public DeletionPolicy effectiveDeletionPolicy() {
    return deletionPolicy == null ? DeletionPolicy.Delete : deletionPolicy;
  }

  /** The effective policy: Manage when unset. */
  public ManagementPolicy effectiveManagementPolicy() {
    return managementPolicy == null ? ManagementPolicy.Manage : managementPolicy;
  }

  /** Fields that could not be read, by name, in the order they came; empty for a sound spec. */
  @JsonIgnore
  public Map<String, JsonNode> getUnreadable() {
    return Collections.unmodifiableMap(unreadable);
  }

  /** Keeps a field this version cannot read (the reader's, a cloner's and tests'). */
  public void putUnreadable(String name, JsonNode value) {
    unreadable.put(name, value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceIpMappingSpec s
        && Objects.equals(ipRecordSid, s.ipRecordSid)
        && Objects.equals(ipRecordRef, s.ipRecordRef)
        && Objects.equals(sipDomainSid, s.sipDomainSid)
        && Objects.equals(sipDomainName, s.sipDomainName)
        && deletionPolicy == s.deletionPolicy
        && managementPolicy == s.managementPolicy
        && Objects.equals(accountRef, s.accountRef)
        && unreadable.equals(s.unreadable);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        ipRecordSid,
        ipRecordRef,
        sipDomainSid,
        sipDomainName,
        deletionPolicy,
        managementPolicy,
        unreadable);
  }
}
