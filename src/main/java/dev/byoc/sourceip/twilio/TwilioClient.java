package dev.byoc.sourceip.twilio;

/**
 * One account's Twilio, as the narrow clients of each resource together. Every method throws a
 * {@link TwilioException}: {@link TwilioApiException} when Twilio answered with an error, {@link
 * TwilioOutcomeUnknownException} when a create may or may not have happened, {@link
 * TwilioTransportException} when no answer came.
 */
public interface TwilioClient extends SourceIpMappingsClient, IpRecordsClient, SipDomainsClient {

  /** The account every call acts on. */
  String accountSid();

  /** One account's client made of separate parts (a test replaces one part, keeps the others). */
  static TwilioClient of(
      String accountSid,
      SourceIpMappingsClient mappings,
      IpRecordsClient ipRecords,
      SipDomainsClient sipDomains) {
    return new ComposedTwilioClient(accountSid, mappings, ipRecords, sipDomains);
  }
}
