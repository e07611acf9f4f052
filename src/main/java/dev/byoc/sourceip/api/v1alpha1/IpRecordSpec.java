package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The IP record wanted at Twilio: which address (or block) may send SIP traffic, and its name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = IpRecordSpecReader.class)
@ValidationRule(
    value = IpRecordSpec.IP_ADDRESS_IMMUTABLE,
    message = "ipAddress is immutable: create a new IpRecord")
@ValidationRule(
    value = IpRecordSpec.CIDR_PREFIX_LENGTH_IMMUTABLE,
    message = "cidrPrefixLength is immutable (omitted means 32): create a new IpRecord")
public class IpRecordSpec {
  /** Dotted decimal IPv4, each octet 0-255 without leading zeros (Twilio takes IPv4 only). */
  public static final String IP_ADDRESS_PATTERN =
      "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
          + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$";

  /** What Twilio uses when no prefix length is given: the whole IPv4 address. */
  public static final int DEFAULT_CIDR_PREFIX_LENGTH = 32;

  public static final int MIN_CIDR_PREFIX_LENGTH = 1;
  public static final int MAX_CIDR_PREFIX_LENGTH = 32;

  /** Twilio: "It is not unique and can be up to 255 characters long." */
  public static final int FRIENDLY_NAME_MAX_LENGTH = 255;

  /** CEL: Twilio cannot change an IP record's address, so neither may the spec. */
  public static final String IP_ADDRESS_IMMUTABLE = "self.ipAddress == oldSelf.ipAddress";

  /** CEL: nor its prefix, compared as effective values so that omitted and 32 are the same. */
  public static final String CIDR_PREFIX_LENGTH_IMMUTABLE =
      "(has(self.cidrPrefixLength) ? self.cidrPrefixLength : 32)"
          + " == (has(oldSelf.cidrPrefixLength) ? oldSelf.cidrPrefixLength : 32)";

  @Required
  @Pattern(IP_ADDRESS_PATTERN)
  @Size(max = 15)
  @JsonPropertyDescription(
      "IPv4 address in dotted decimal notation (e.g. 203.0.113.10), each octet 0-255 without"
          + " leading zeros; Twilio takes IPv4 only. Immutable: to change it, create a new"
          + " IpRecord.")
  private String ipAddress;

  // no @Default: an omitted prefix stays omitted, so it never shows as a difference to Twilio's 32
  @Min(MIN_CIDR_PREFIX_LENGTH)
  @Max(MAX_CIDR_PREFIX_LENGTH)
  @JsonPropertyDescription(
      "CIDR prefix length (1-32) of the address block whose traffic Twilio accepts; omitted"
          + " means 32, the single address. Immutable (omitted and 32 are the same value): to"
          + " change it, create a new IpRecord.")
  private Integer cidrPrefixLength;

  @Size(max = FRIENDLY_NAME_MAX_LENGTH)
  @JsonPropertyDescription(
      "Descriptive name of the IP record at Twilio, up to 255 characters, not unique. Changing it"
          + " updates the IP record in place; omitted leaves Twilio's name as it is.")
  private String friendlyName;

  @Default("Delete")
  @JsonPropertyDescription(
      "Delete (default): the IP record is deleted at Twilio when this resource is deleted."
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
          + " write to Twilio; report in status what Twilio holds for the same address.")
  private ManagementPolicy managementPolicy;

  /**
   * Fields this version cannot read, as they arrived (see {@link SourceIpMappingSpec}): never
   * written, not in the CRD.
   */
  @JsonIgnore private final Map<String, JsonNode> unreadable = new LinkedHashMap<>();

  public IpRecordSpec() {}

  public IpRecordSpec(String ipAddress) {
    this.ipAddress = ipAddress;
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

  /** The prefix length Twilio applies: 32 when omitted. */
  public int effectiveCidrPrefixLength() {
    return cidrPrefixLength == null ? DEFAULT_CIDR_PREFIX_LENGTH : cidrPrefixLength;
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
    return o instanceof IpRecordSpec s
        && Objects.equals(ipAddress, s.ipAddress)
        && Objects.equals(cidrPrefixLength, s.cidrPrefixLength)
        && Objects.equals(friendlyName, s.friendlyName)
        && deletionPolicy == s.deletionPolicy
        && managementPolicy == s.managementPolicy
        && Objects.equals(accountRef, s.accountRef)
        && unreadable.equals(s.unreadable);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        ipAddress, cidrPrefixLength, friendlyName, deletionPolicy, managementPolicy, unreadable);
  }
}
