package dev.byoc.sourceip.export;

import dev.byoc.sourceip.twilio.TwilioClient;

/**
 * Describes what one Twilio account already holds of one kind as Kubernetes resources that adopt
 * it: applied as they are, they make the operator take over every Twilio resource and create none.
 * One implementation per kind, listed in {@link ExportKind}.
 */
public interface Exporter {

  /**
   * Reads the account with list requests only (one request per page of each list it needs, never
   * one per resource) and returns one resource per Twilio resource, in name order within each kind
   * (kinds in the order {@link ExportKind#kinds()} gives), each with the {@code
   * voice.byoc.dev/external-sid} annotation naming what it adopts and no status.
   *
   * @throws dev.byoc.sourceip.twilio.TwilioException when Twilio refuses or cannot be reached
   */
  ExportResult export(TwilioClient twilio, ExportOptions options);
}
