package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** SIP traffic from one Twilio IP record goes to one SIP domain: a Twilio Source IP Mapping. */
@Group(SourceIpMapping.GROUP)
@Version(SourceIpMapping.VERSION)
@Kind("SourceIpMapping")
@Plural("sourceipmappings")
@Singular("sourceipmapping")
@ShortNames({"sipm", "sim"})
@Categories({"twilio", "byoc"})
@AdditionalPrinterColumn(
    name = "SID",
    jsonPath = ".status.sid",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "IP-RECORD",
    jsonPath = ".status.ipRecordSid",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "DOMAIN",
    jsonPath = ".status.sipDomainSid",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "SYNCED",
    jsonPath = ".status.conditions[?(@.type==\"Synced\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
// a real API server prunes unknown top-level fields; ignore them where one did not
@JsonIgnoreProperties(ignoreUnknown = true)
public class SourceIpMapping extends CustomResource<SourceIpMappingSpec, SourceIpMappingStatus>
    implements Namespaced {
  public static final String GROUP = "voice.byoc.dev";
  public static final String VERSION = "v1alpha1";

  /** "true" stops every write to Twilio for this resource until removed. */
  public static final String PAUSED_ANNOTATION = GROUP + "/paused";

  /** An existing mapping's IB SID to adopt (import) instead of creating one. */
  public static final String EXTERNAL_SID_ANNOTATION = GROUP + "/external-sid";

  /** How stale the account snapshot may be for this resource, e.g. "1m" (default: global). */
  public static final String RESYNC_INTERVAL_ANNOTATION = GROUP + "/resync-interval";

  /** The finalizer that holds a resource until Twilio confirmed the delete. */
  public static final String FINALIZER = GROUP + "/finalizer";

  /** A status of the wrong shape is read as none (see {@link StatusReader}). */
  @Override
  @JsonDeserialize(using = StatusReader.OfMapping.class)
  public void setStatus(SourceIpMappingStatus status) {
    super.setStatus(status);
  }
}
