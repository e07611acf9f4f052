package dev.byoc.sourceip.account;

import dev.byoc.sourceip.twilio.IpRecordsClient;
import dev.byoc.sourceip.twilio.SipDomainsClient;
import dev.byoc.sourceip.twilio.SourceIpMappingsClient;
import dev.byoc.sourceip.twilio.TwilioClient;
import java.util.Objects;

/** One Twilio account as the reconcilers see it: its client and its snapshot. */
public record Account(String accountSid, TwilioClient client, AccountSnapshot snapshot) {
  public Account {
    Objects.requireNonNull(accountSid);
    Objects.requireNonNull(client);
    Objects.requireNonNull(snapshot);
  }

  /** The account's Source IP Mappings at Twilio. */
  public SourceIpMappingsClient mappings() {
    return client;
  }

  /** The account's IP Records at Twilio. */
  public IpRecordsClient ipRecords() {
    return client;
  }

  /** The account's SIP Domains at Twilio. */
  public SipDomainsClient sipDomains() {
    return client;
  }
}
