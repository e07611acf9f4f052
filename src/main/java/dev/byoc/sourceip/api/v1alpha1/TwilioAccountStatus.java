package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the operator last saw of an account: whether Twilio accepts its credentials, what it holds,
 * what of that the cluster's resources claim, and who uses it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class TwilioAccountStatus implements ConditionedStatus {
  /** At most this many names in each list (usedBy, unclaimed...); the counts are complete. */
  public static final int MAX_LISTED = 100;

  @JsonPropertyDescription("The Account SID (AC...) the credentials authenticate as.")
  private String accountSid;

  @JsonPropertyDescription(
      "metadata.resourceVersion of the credentials Secret the operator uses now: once it shows a"
          + " rotated Secret's version, no request is sent with the old credentials.")
  private String credentialsVersion;

  @JsonPropertyDescription("When the operator last listed the account's mappings in full.")
  private String lastListTime;

  @JsonPropertyDescription("Source IP Mappings the account holds at Twilio, at the last list.")
  private Integer mappings;

  @JsonPropertyDescription("Of those, how many a resource of the cluster claims.")
  private Integer claimedMappings;

  @JsonPropertyDescription("IP Records the account holds at Twilio, at the last list.")
  private Integer ipRecords;

  @JsonPropertyDescription("Of those, how many a resource of the cluster claims.")
  private Integer claimedIpRecords;

  @JsonPropertyDescription(
      "Resources that use this account, as Kind namespace/name, sorted (at most 100 listed).")
  private List<String> usedBy;

  @JsonPropertyDescription("How many resources use this account.")
  private Integer usedByCount;

  @JsonPropertyDescription(
      "With prune Report or Delete: SIDs of the account's mappings and IP records that no"
          + " resource claims, sorted (at most 100 listed).")
  private List<String> unclaimed;

  @JsonPropertyDescription("With prune Report or Delete: how many objects no resource claims.")
  private Integer unclaimedCount;

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready: Twilio accepted the credentials and the account was listed. Deleting: deletion waits"
          + " for the resources that use the account. Pruned: the last pruning round.")
  private List<Condition> conditions = new ArrayList<>();

  public String getAccountSid() {
    return accountSid;
  }

  public void setAccountSid(String accountSid) {
    this.accountSid = accountSid;
  }

  /** The Twilio object an account manages is the account itself. */
  @Override
  @JsonIgnore
  public String getSid() {
    return accountSid;
  }

  public String getCredentialsVersion() {
    return credentialsVersion;
  }

  public void setCredentialsVersion(String credentialsVersion) {
    this.credentialsVersion = credentialsVersion;
  }

  public String getLastListTime() {
    return lastListTime;
  }

  public void setLastListTime(String lastListTime) {
    this.lastListTime = lastListTime;
  }

  public Integer getMappings() {
    return mappings;
  }

  public void setMappings(Integer mappings) {
    this.mappings = mappings;
  }

  public Integer getClaimedMappings() {
    return claimedMappings;
  }

  public void setClaimedMappings(Integer claimedMappings) {
    this.claimedMappings = claimedMappings;
  }

  public Integer getIpRecords() {
    return ipRecords;
  }

  public void setIpRecords(Integer ipRecords) {
    this.ipRecords = ipRecords;
  }

  public Integer getClaimedIpRecords() {
    return claimedIpRecords;
  }

  public void setClaimedIpRecords(Integer claimedIpRecords) {
    this.claimedIpRecords = claimedIpRecords;
  }

  public List<String> getUsedBy() {
    return usedBy;
  }

  public void setUsedBy(List<String> usedBy) {
    this.usedBy = usedBy;
  }

  public Integer getUsedByCount() {
    return usedByCount;
  }

  public void setUsedByCount(Integer usedByCount) {
    this.usedByCount = usedByCount;
  }

  public List<String> getUnclaimed() {
    return unclaimed;
  }

  public void setUnclaimed(List<String> unclaimed) {
    this.unclaimed = unclaimed;
  }

  public Integer getUnclaimedCount() {
    return unclaimedCount;
  }

  public void setUnclaimedCount(Integer unclaimedCount) {
    this.unclaimedCount = unclaimedCount;
  }

  /** Accounts adopt nothing by annotation. */
  @Override
  @JsonIgnore
  public String getAdoptedExternalSid() {
    return null;
  }

  @Override
  public void setAdoptedExternalSid(String adoptedExternalSid) {
    // accounts adopt nothing by annotation
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
  public List<Condition> getConditions() {
    return conditions;
  }

  @Override
  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TwilioAccountStatus s
        && Objects.equals(accountSid, s.accountSid)
        && Objects.equals(credentialsVersion, s.credentialsVersion)
        && Objects.equals(lastListTime, s.lastListTime)
        && Objects.equals(mappings, s.mappings)
        && Objects.equals(claimedMappings, s.claimedMappings)
        && Objects.equals(ipRecords, s.ipRecords)
        && Objects.equals(claimedIpRecords, s.claimedIpRecords)
        && Objects.equals(usedBy, s.usedBy)
        && Objects.equals(usedByCount, s.usedByCount)
        && Objects.equals(unclaimed, s.unclaimed)
        && Objects.equals(unclaimedCount, s.unclaimedCount)
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(accountSid, credentialsVersion, lastListTime, observedGeneration);
  }
}
