package dev.byoc.sourceip.twilio;

import java.util.List;

/** Voice v1 IP Records of one account, as the IP record actuator and the snapshot use them. */
public interface IpRecordsClient {

  /**
   * POST /v1/IpRecords. {@code friendlyName} and {@code cidrPrefixLength} may be null (Twilio's
   * defaults apply). Never retried once sent: an unknown outcome is reported.
   */
  TwilioIpRecord createIpRecord(String ipAddress, String friendlyName, Integer cidrPrefixLength);

  /** Every IP record of the account, page by page. */
  List<TwilioIpRecord> listIpRecords();

  /** POST /v1/IpRecords/{sid}: the friendly name is the only field Twilio lets change. */
  TwilioIpRecord updateIpRecord(String sid, String friendlyName);

  /** DELETE /v1/IpRecords/{sid}; a 404 is reported as {@link TwilioApiException}. */
  void deleteIpRecord(String sid);
}
