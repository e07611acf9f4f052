package dev.byoc.sourceip.twilio;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A small in-memory {@link TwilioClient} for unit tests of what sits above the client. */
public class FakeTwilioClient implements TwilioClient {
  public static final String ACCOUNT = "AC" + "f".repeat(32);

  public final Map<String, TwilioMapping> mappings = new ConcurrentHashMap<>();
  public final AtomicInteger lists = new AtomicInteger();

  private final AtomicInteger sids = new AtomicInteger();
  private volatile CountDownLatch listGate;
  private volatile CountDownLatch listEntered;

  /** The next list blocks after reading Twilio's state, until {@code release} is counted down. */
  public CountDownLatch holdNextList(CountDownLatch release) {
    listEntered = new CountDownLatch(1);
    listGate = release;
    return listEntered;
  }

  public static String sid(String prefix, int n) {
    return prefix + "%032x".formatted(n);
  }

  public TwilioMapping put(String ipRecordSid, String sipDomainSid) {
    TwilioMapping m =
        new TwilioMapping(
            sid("IB", sids.incrementAndGet()),
            ipRecordSid,
            sipDomainSid,
            Instant.EPOCH,
            Instant.EPOCH,
            null);
    mappings.put(m.sid(), m);
    return m;
  }

  @Override
  public String accountSid() {
    return ACCOUNT;
  }

  @Override
  public TwilioMapping createSourceIpMapping(String ipRecordSid, String sipDomainSid) {
    return put(ipRecordSid, sipDomainSid);
  }

  @Override
  public TwilioMapping fetchSourceIpMapping(String sid) {
    TwilioMapping m = mappings.get(sid);
    if (m == null) {
      throw notFound(sid);
    }
    return m;
  }

  @Override
  public List<TwilioMapping> listSourceIpMappings() {
    lists.incrementAndGet();
    List<TwilioMapping> result = new ArrayList<>(mappings.values());
    CountDownLatch gate = listGate;
    if (gate != null) {
      listGate = null;
      listEntered.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return result;
  }

  @Override
  public TwilioMapping updateSourceIpMapping(String sid, String sipDomainSid) {
    TwilioMapping m = fetchSourceIpMapping(sid);
    TwilioMapping updated =
        new TwilioMapping(
            sid, m.ipRecordSid(), sipDomainSid, m.dateCreated(), Instant.now(), m.url());
    mappings.put(sid, updated);
    return updated;
  }

  @Override
  public void deleteSourceIpMapping(String sid) {
    if (mappings.remove(sid) == null) {
      throw notFound(sid);
    }
  }

  private static TwilioApiException notFound(String sid) {
    return new TwilioApiException(
        404, 20404, "not found", null, "GET", "/v1/SourceIpMappings/" + sid, null);
  }

  @Override
  public IpRecord createIpRecord(String ipAddress, String friendlyName, Integer cidrPrefixLength) {
    throw new UnsupportedOperationException("IP records are not faked");
  }

  @Override
  public IpRecord fetchIpRecord(String sid) {
    throw new UnsupportedOperationException("IP records are not faked");
  }

  @Override
  public List<IpRecord> listIpRecords() {
    return List.of();
  }

  @Override
  public IpRecord updateIpRecord(String sid, String friendlyName) {
    throw new UnsupportedOperationException("IP records are not faked");
  }

  @Override
  public void deleteIpRecord(String sid) {
    throw new UnsupportedOperationException("IP records are not faked");
  }

  @Override
  public SipDomain fetchSipDomain(String sid) {
    throw new UnsupportedOperationException("SIP domains are not faked");
  }

  @Override
  public List<SipDomain> listSipDomains() {
    return List.of();
  }
}
