package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Twilio account offered by the platform team to the namespaces its selector admits (Secret in
 * the operator namespace).
 */
@Group(SourceIpMapping.GROUP)
@Version(SourceIpMapping.VERSION)
@Kind("ClusterTwilioAccount")
@Plural("clustertwilioaccounts")
@Singular("clustertwilioaccount")
@ShortNames({"ctwacct"})
@Categories({"twilio", "byoc"})
@AdditionalPrinterColumn(
    name = "ACCOUNT",
    jsonPath = ".status.accountSid",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "MAPPINGS",
    jsonPath = ".status.mappings",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "USED-BY",
    jsonPath = ".status.usedByCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ClusterTwilioAccount
    extends CustomResource<ClusterTwilioAccountSpec, TwilioAccountStatus> {
  /** Holds the account (and so its Secret) while resources use it. */
  public static final String FINALIZER = SourceIpMapping.FINALIZER;

  public ClusterTwilioAccount() {}
}
