package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Objects;

/** A TwilioAccount's spec, offered cluster-wide to the namespaces its selector admits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterTwilioAccountSpec extends TwilioAccountSpec {
  @JsonPropertyDescription(
      "Which namespaces' resources may use this account, by the namespaces' labels"
          + " (matchLabels, matchExpressions). Omitted: no namespace (a cluster account is offered"
          + " on purpose). {} admits every namespace. A resource of any other namespace naming"
          + " this account gets Ready=False AccountNotAllowed and is never served.")
  private LabelSelector namespaceSelector;

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o)
        && o instanceof ClusterTwilioAccountSpec s
        && Objects.equals(namespaceSelector, s.namespaceSelector);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + Objects.hashCode(namespaceSelector);
  }
}
