package dev.byoc.sourceip.twilio;

import java.util.List;

/** A {@link TwilioClient} whose resources are served by separate narrow clients. */
record ComposedTwilioClient(
    String accountSid,
    SourceIpMappingsClient mappings,
    IpRecordsClient ipRecords,
    SipDomainsClient sipDomains)
    implements TwilioClient {

  @Override
  public TwilioMapping createSourceIpMapping(String ipRecordSid, String sipDomainSid) {
    return mappings.createSourceIpMapping(ipRecordSid, sipDomainSid);
  }

  @Override
  public List<TwilioMapping> listSourceIpMappings() {
    return mappings.listSourceIpMappings();
  }

  @Override
  public TwilioMapping updateSourceIpMapping(String sid, String sipDomainSid) {
    return mappings.updateSourceIpMapping(sid, sipDomainSid);
  }

  @Override
  public void deleteSourceIpMapping(String sid) {
    mappings.deleteSourceIpMapping(sid);
  }

  @Override
  public TwilioIpRecord createIpRecord(
      String ipAddress, String friendlyName, Integer cidrPrefixLength) {
    return ipRecords.createIpRecord(ipAddress, friendlyName, cidrPrefixLength);
  }

  @Override
  public List<TwilioIpRecord> listIpRecords() {
    return ipRecords.listIpRecords();
  }

  @Override
  public TwilioIpRecord updateIpRecord(String sid, String friendlyName) {
    return ipRecords.updateIpRecord(sid, friendlyName);
  }

  @Override
  public void deleteIpRecord(String sid) {
    ipRecords.deleteIpRecord(sid);
  }

  @Override
  public List<SipDomain> listSipDomains() {
    return sipDomains.listSipDomains();
  }
}
