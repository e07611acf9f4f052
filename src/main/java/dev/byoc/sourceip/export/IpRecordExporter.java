package dev.byoc.sourceip.export;

import dev.byoc.sourceip.twilio.TwilioClient;
import java.util.List;

/**
 * One IpRecord per IP record Twilio holds, mapped or not, annotated with its IL SID so that
 * applying it adopts that record. Costs one list of IP records (a request per page).
 */
public final class IpRecordExporter implements Exporter {

  @Override
  public ExportResult export(TwilioClient twilio, ExportOptions options) {
    return new ExportResult(
        new ExportedIpRecords(twilio.listIpRecords(), options).resources(), List.of());
  }
}
