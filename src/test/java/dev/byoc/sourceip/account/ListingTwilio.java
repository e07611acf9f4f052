package dev.byoc.sourceip.account;

import dev.byoc.sourceip.twilio.IpRecord;
import dev.byoc.sourceip.twilio.SipDomain;
import dev.byoc.sourceip.twilio.TwilioClient;
import dev.byoc.sourceip.twilio.TwilioMapping;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A Twilio account reduced to its three lists, counted and breakable per kind, so that snapshot
 * tests see exactly which lists a snapshot makes (only what the snapshot reads is faked).
 */
class ListingTwilio implements TwilioClient {
  final Map<String, TwilioMapping> mappings = new ConcurrentHashMap<>();
  final Map<String, IpRecord> ipRecords = new ConcurrentHashMap<>();
  final Map<String, SipDomain> sipDomains = new ConcurrentHashMap<>();
  final AtomicInteger mappingLists = new AtomicInteger();
  final AtomicInteger ipRecordLists = new AtomicInteger();
  final AtomicInteger sipDomainLists = new AtomicInteger();

  /** When set, the next list of IP records (or SIP domains) throws it instead of answering. */
  volatile Supplier<RuntimeException> ipRecordFailure;

  volatile Supplier<RuntimeException> sipDomainFailure;

  private final AtomicInteger sids = new AtomicInteger();
  private volatile CountDownLatch ipRecordGate;
  private volatile CountDownLatch ipRecordListEntered;

  static String sid(String prefix, int n) {
    return prefix + "%032x".formatted(n);
  }

  IpRecord putIpRecord(String address, Integer prefix) {
    IpRecord r =
        new IpRecord(
            ACCOUNT,
            sid("IL", sids.incrementAndGet()),
            null,
            address,
            prefix,
            Instant.EPOCH,
            Instant.EPOCH,
            null);
    ipRecords.put(r.sid(), r);
    return r;
  }

  SipDomain putSipDomain(String name) {
    SipDomain d =
        new SipDomain(
            ACCOUNT,
            sid("SD", sids.incrementAndGet()),
            name,
            null,
            Instant.EPOCH,
            Instant.EPOCH,
            null);
    sipDomains.put(d.sid(), d);
    return d;
  }

  /** The next list of IP records blocks after reading, until {@code release} is counted down. */
  CountDownLatch holdNextIpRecordList(CountDownLatch release) {
    ipRecordListEntered = new CountDownLatch(1);
    ipRecordGate = release;
    return ipRecordListEntered;
  }

  static final String ACCOUNT = "AC" + "e".repeat(32);

  @Override
  public String accountSid() {
    return ACCOUNT;
  }

  @Override
  public List<TwilioMapping> listSourceIpMappings() {
    mappingLists.incrementAndGet();
    return new ArrayList<>(mappings.values());
  }

  @Override
  public List<IpRecord> listIpRecords() {
    ipRecordLists.incrementAndGet();
    Supplier<RuntimeException> failure = ipRecordFailure;
    if (failure != null) {
      throw failure.get();
    }
    List<IpRecord> result = new ArrayList<>(ipRecords.values());
    CountDownLatch gate = ipRecordGate;
    if (gate != null) {
      ipRecordGate = null;
      ipRecordListEntered.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return result;
  }

  @Override
  public List<SipDomain> listSipDomains() {
    sipDomainLists.incrementAndGet();
    Supplier<RuntimeException> failure = sipDomainFailure;
    if (failure != null) {
      throw failure.get();
    }
    return new ArrayList<>(sipDomains.values());
  }

  @Override
  public TwilioMapping createSourceIpMapping(String ipRecordSid, String sipDomainSid) {
    throw new UnsupportedOperationException("the snapshot never writes");
  }

  @Override
  public TwilioMapping fetchSourceIpMapping(String sid) {
    throw new UnsupportedOperationException("the snapshot never fetches");
  }

  @Override
  public TwilioMapping updateSourceIpMapping(String sid, String sipDomainSid) {
    throw new UnsupportedOperationException("the snapshot never writes");
  }

  @Override
  public void deleteSourceIpMapping(String sid) {
    throw new UnsupportedOperationException("the snapshot never writes");
  }

  @Override
  public IpRecord createIpRecord(String ipAddress, String friendlyName, Integer cidrPrefixLength) {
    throw new UnsupportedOperationException("the snapshot never writes");
  }

  @Override
  public IpRecord fetchIpRecord(String sid) {
    throw new UnsupportedOperationException("the snapshot never fetches");
  }

  @Override
  public IpRecord updateIpRecord(String sid, String friendlyName) {
    throw new UnsupportedOperationException("the snapshot never writes");
  }

  @Override
  public void deleteIpRecord(String sid) {
    throw new UnsupportedOperationException("the snapshot never writes");
  }

  @Override
  public SipDomain fetchSipDomain(String sid) {
    throw new UnsupportedOperationException("the snapshot never fetches");
  }
}
