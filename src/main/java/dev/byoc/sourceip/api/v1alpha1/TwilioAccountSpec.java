package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.byoc.sourceip.config.Durations;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** One Twilio account (or subaccount): where its credentials are, how to reach and press it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TwilioAccountSpec {
  /** A region or edge label as Twilio's hosts use it, e.g. ie1, dublin. */
  public static final String HOST_LABEL_PATTERN = "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";

  @Required
  @JsonPropertyDescription(
      "The Secret with the account's credentials. A changed Secret is used within seconds, without"
          + " a restart; no request is sent with the old credentials once the change is seen.")
  private CredentialsSecretRef credentialsSecretRef;

  @Pattern(HOST_LABEL_PATTERN)
  @Size(max = 63)
  @JsonPropertyDescription(
      "Twilio region (e.g. ie1, au1) whose hosts this account is reached at; default: the"
          + " operator's TWILIO_REGION. Ignored when the operator has a TWILIO_BASE_URL.")
  private String region;

  @Pattern(HOST_LABEL_PATTERN)
  @Size(max = 63)
  @JsonPropertyDescription(
      "Twilio edge location (e.g. dublin, sydney); default: the operator's TWILIO_EDGE. Ignored"
          + " when the operator has a TWILIO_BASE_URL.")
  private String edge;

  @JsonPropertyDescription("Request limits for this account; unset values are the operator's.")
  private AccountLimits limits;

  @Pattern(Durations.PATTERN)
  @Size(max = 64)
  @JsonPropertyDescription(
      "How often the account's mappings (and IP records, SIP domains once used) are listed in"
          + " full (Go duration, e.g. 5m); default: the operator's SOURCEIP_RESYNC_INTERVAL.")
  private String resyncInterval;

  @JsonPropertyDescription(
      "Whether Twilio objects of this account that no resource claims are reported or deleted."
          + " Off by default.")
  private PruneSpec prune;

  public CredentialsSecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(CredentialsSecretRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getEdge() {
    return edge;
  }

  public void setEdge(String edge) {
    this.edge = edge;
  }

  public AccountLimits getLimits() {
    return limits;
  }

  public void setLimits(AccountLimits limits) {
    this.limits = limits;
  }

  public String getResyncInterval() {
    return resyncInterval;
  }

  public void setResyncInterval(String resyncInterval) {
    this.resyncInterval = resyncInterval;
  }

  public PruneSpec getPrune() {
    return prune;
  }

  public void setPrune(PruneSpec prune) {
    this.prune = prune;
  }

  @Override
  public boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && o instanceof TwilioAccountSpec s
        && Objects.equals(credentialsSecretRef, s.credentialsSecretRef)
        && Objects.equals(region, s.region)
        && Objects.equals(edge, s.edge)
        && Objects.equals(limits, s.limits)
        && Objects.equals(resyncInterval, s.resyncInterval)
        && Objects.equals(prune, s.prune);
  }

  @Override
  public int hashCode() {
    return Objects.hash(credentialsSecretRef, region, edge, limits, resyncInterval, prune);
  }
}
