package dev.byoc.sourceip.twilio;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A small in-memory {@link SipDomainsClient}: domains are made by the test, listed by the code. */
public class FakeSipDomains implements SipDomainsClient {
  public final Map<String, SipDomain> domains = new ConcurrentHashMap<>();
  public final AtomicInteger lists = new AtomicInteger();
  public final FakeFaults faults = new FakeFaults();
  private final AtomicInteger sids = new AtomicInteger(0x200);

  /** A SIP domain of this name exists at Twilio from now on. */
  public SipDomain put(String domainName) {
    SipDomain d =
        new SipDomain(
            FakeTwilioClient.ACCOUNT,
            FakeSourceIpMappings.sid("SD", sids.incrementAndGet()),
            domainName,
            domainName,
            Instant.EPOCH,
            Instant.EPOCH,
            null);
    domains.put(d.sid(), d);
    return d;
  }

  @Override
  public List<SipDomain> listSipDomains() {
    lists.incrementAndGet();
    return faults.call("list", () -> new ArrayList<>(domains.values()));
  }
}
