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

/** An address allowed to send SIP traffic to the account: a Twilio IP Record, kept as declared. */
@Group(SourceIpMapping.GROUP)
@Version(SourceIpMapping.VERSION)
@Kind("IpRecord")
@Plural("iprecords")
@Singular("iprecord")
@ShortNames({"iprec"})
@Categories({"twilio", "byoc"})
@AdditionalPrinterColumn(
    name = "SID",
    jsonPath = ".status.sid",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "ADDRESS",
    jsonPath = ".spec.ipAddress",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "PREFIX",
    jsonPath = ".status.cidrPrefixLength",
    type = AdditionalPrinterColumn.Type.INTEGER)
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
public class IpRecord extends CustomResource<IpRecordSpec, IpRecordStatus> implements Namespaced {
  public static final String GROUP = SourceIpMapping.GROUP;
  public static final String VERSION = SourceIpMapping.VERSION;

  /** "true" stops every write to Twilio for this resource until removed. */
  public static final String PAUSED_ANNOTATION = SourceIpMapping.PAUSED_ANNOTATION;

  /**
   * An existing IP record's IL SID to adopt (import) instead of creating one. The same name as the
   * mapping's annotation: the kind decides whether an IB or an IL SID is expected.
   */
  public static final String EXTERNAL_SID_ANNOTATION = SourceIpMapping.EXTERNAL_SID_ANNOTATION;

  /** How stale the account's view may be for this resource, e.g. "1m" (default: global). */
  public static final String RESYNC_INTERVAL_ANNOTATION =
      SourceIpMapping.RESYNC_INTERVAL_ANNOTATION;

  /** The finalizer that holds a resource until Twilio confirmed the delete. */
  public static final String FINALIZER = SourceIpMapping.FINALIZER;

  /** A status of the wrong shape is read as none (see {@link StatusReader}). */
  @Override
  @JsonDeserialize(using = StatusReader.OfIpRecord.class)
  public void setStatus(IpRecordStatus status) {
    super.setStatus(status);
  }
}
