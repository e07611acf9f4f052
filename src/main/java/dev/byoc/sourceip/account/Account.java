package dev.byoc.sourceip.account;

import dev.byoc.sourceip.twilio.IpRecordsClient;
import dev.byoc.sourceip.twilio.SipDomainsClient;
import dev.byoc.sourceip.twilio.SourceIpMappingsClient;
import dev.byoc.sourceip.twilio.TwilioClient;
import java.util.Objects;

/**
 * One Twilio account as the reconcilers see it: its client, its snapshot, and the gate that keeps
 * its reconciles to its share of the threads.
 */
public record Account(
    String accountSid, TwilioClient client, AccountSnapshot snapshot, ReconcileGate gate) {
  public Account {
    Objects.requireNonNull(accountSid);
    Objects.requireNonNull(client);
    Objects.requireNonNull(snapshot);
    Objects.requireNonNull(gate);
  }

  /** Without a limit on its reconciles (a client without a limiter). */
  public Account(String accountSid, TwilioClient client, AccountSnapshot snapshot) {
    this(accountSid, client, snapshot, ReconcileGate.UNLIMITED);
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
