package dev.byoc.sourceip.twilio;

import java.util.List;

/**
 * A whole account of fakes: mappings here, IP records and SIP domains in their own small fakes.
 * Tests that need only one resource use that resource's fake alone.
 */
public class FakeTwilioClient extends FakeSourceIpMappings implements TwilioClient {
  public static final String ACCOUNT = "AC" + "f".repeat(32);

  public final FakeIpRecords ipRecords = new FakeIpRecords();
  public final FakeSipDomains sipDomains = new FakeSipDomains();

  @Override
  public String accountSid() {
    return ACCOUNT;
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
