package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * Names the Twilio account a resource lives in: a TwilioAccount of its own namespace (it can name
 * no other namespace's) or a ClusterTwilioAccount that admits its namespace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccountReference {
  @Default("TwilioAccount")
  @JsonPropertyDescription(
      "TwilioAccount (default): an account in this resource's namespace. ClusterTwilioAccount: a"
          + " cluster-wide account whose namespaceSelector admits this namespace.")
  private AccountKind kind;

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription("metadata.name of the TwilioAccount or ClusterTwilioAccount.")
  private String name;

  public AccountReference() {}

  public AccountReference(AccountKind kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public AccountKind getKind() {
    return kind;
  }

  public void setKind(AccountKind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  /** The kind, TwilioAccount when unset (the API server may not have applied the default). */
  @JsonIgnore
  public AccountKind effectiveKind() {
    return kind == null ? AccountKind.TwilioAccount : kind;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AccountReference r
        && effectiveKind() == r.effectiveKind()
        && Objects.equals(name, r.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(effectiveKind(), name);
  }

  @Override
  public String toString() {
    return effectiveKind() + "/" + name;
  }
}
