package dev.byoc.sourceip.twilio;

import java.util.List;

/**
 * Voice v1 Source IP Mappings of one account: what the mapping actuator and the snapshot need, and
 * nothing else, so a test fakes or wraps just this.
 */
public interface SourceIpMappingsClient {

  /** POST /v1/SourceIpMappings. Never retried once sent: an unknown outcome is reported. */
  TwilioMapping createSourceIpMapping(String ipRecordSid, String sipDomainSid);

  /** Every mapping of the account, following {@code next_page_url} page by page. */
  List<TwilioMapping> listSourceIpMappings();

  /** POST /v1/SourceIpMappings/{sid}: points the mapping at another SIP domain. */
  TwilioMapping updateSourceIpMapping(String sid, String sipDomainSid);

  /** DELETE /v1/SourceIpMappings/{sid}; a 404 is reported as {@link TwilioApiException}. */
  void deleteSourceIpMapping(String sid);
}
