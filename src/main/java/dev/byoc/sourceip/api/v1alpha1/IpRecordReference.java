package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Names an IpRecord in the mapping's own namespace, so a mapping need not carry a raw IL SID. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IpRecordReference {
  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription(
      "metadata.name of an IpRecord in the same namespace as this SourceIpMapping; the mapping"
          + " uses the IP record SID in that IpRecord's status.sid once it is Ready.")
  private String name;

  public IpRecordReference() {}

  public IpRecordReference(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRecordReference r && Objects.equals(name, r.name);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(name);
  }

  @Override
  public String toString() {
    return "IpRecordReference[name=" + name + "]";
  }
}
