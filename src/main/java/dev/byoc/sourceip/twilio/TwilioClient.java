package dev.byoc.sourceip.twilio;

import java.util.List;

/**
 * The narrow view of Twilio the operator needs, for one account. Every method throws a {@link
 * TwilioException}: {@link TwilioApiException} when Twilio answered with an error, {@link
 * TwilioOutcomeUnknownException} when a create may or may not have happened, {@link
 * TwilioTransportException} when no answer came.
 */
public interface TwilioClient {

  /** The account every call acts on. */
  String accountSid();

  /** POST /v1/SourceIpMappings. Never retried once sent: an unknown outcome is reported. */
  TwilioMapping createSourceIpMapping(String ipRecordSid, String sipDomainSid);

  TwilioMapping fetchSourceIpMapping(String sid);

  /** Every mapping of the account, following {@code next_page_url} page by page. */
  List<TwilioMapping> listSourceIpMappings();

  /** POST /v1/SourceIpMappings/{sid}: points the mapping at another SIP domain. */
  TwilioMapping updateSourceIpMapping(String sid, String sipDomainSid);

  /** DELETE /v1/SourceIpMappings/{sid}; a 404 is reported as {@link TwilioApiException}. */
  void deleteSourceIpMapping(String sid);

  /**
   * POST /v1/IpRecords. {@code friendlyName} and {@code cidrPrefixLength} may be null (Twilio's
   * defaults apply). Never retried once sent.
   */
  IpRecord createIpRecord(String ipAddress, String friendlyName, Integer cidrPrefixLength);

  IpRecord fetchIpRecord(String sid);

  List<IpRecord> listIpRecords();

  IpRecord updateIpRecord(String sid, String friendlyName);

  void deleteIpRecord(String sid);

  SipDomain fetchSipDomain(String sid);

  List<SipDomain> listSipDomains();
}
