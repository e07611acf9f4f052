package dev.byoc.sourceip.twilio;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A small in-memory {@link SourceIpMappingsClient} for tests of what sits above the client. */
public class FakeSourceIpMappings implements SourceIpMappingsClient {
  private static final String PATH = "/v1/SourceIpMappings";

  public final Map<String, TwilioMapping> mappings = new ConcurrentHashMap<>();
  public final AtomicInteger lists = new AtomicInteger();
  public final AtomicInteger creates = new AtomicInteger();
  public final AtomicInteger updates = new AtomicInteger();
  public final AtomicInteger deletes = new AtomicInteger();
  public final FakeFaults faults = new FakeFaults();

  private final AtomicInteger sids = new AtomicInteger();
  private final ListGate gate = new ListGate();

  /** The next list blocks after reading Twilio's state, until {@code release} is counted down. */
  public CountDownLatch holdNextList(CountDownLatch release) {
    return gate.holdNext(release);
  }

  public static String sid(String prefix, int n) {
    return prefix + "%032x".formatted(n);
  }

  /** A mapping made at Twilio (out of band, or by a create). */
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
  public TwilioMapping createSourceIpMapping(String ipRecordSid, String sipDomainSid) {
    creates.incrementAndGet();
    return faults.call("create", () -> put(ipRecordSid, sipDomainSid));
  }

  @Override
  public List<TwilioMapping> listSourceIpMappings() {
    lists.incrementAndGet();
    List<TwilioMapping> result = faults.call("list", () -> new ArrayList<>(mappings.values()));
    gate.pass();
    return result;
  }

  @Override
  public TwilioMapping updateSourceIpMapping(String sid, String sipDomainSid) {
    updates.incrementAndGet();
    return faults.call(
        "update",
        () -> {
          TwilioMapping m = mappings.get(sid);
          if (m == null) {
            throw FakeFaults.notFound("POST", PATH + "/" + sid);
          }
          TwilioMapping updated =
              new TwilioMapping(
                  sid, m.ipRecordSid(), sipDomainSid, m.dateCreated(), Instant.now(), m.url());
          mappings.put(sid, updated);
          return updated;
        });
  }

  @Override
  public void deleteSourceIpMapping(String sid) {
    deletes.incrementAndGet();
    faults.call(
        "delete",
        () -> {
          if (mappings.remove(sid) == null) {
            throw FakeFaults.notFound("DELETE", PATH + "/" + sid);
          }
          return null;
        });
  }
}
