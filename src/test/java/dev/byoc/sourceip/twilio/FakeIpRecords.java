package dev.byoc.sourceip.twilio;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A small in-memory {@link IpRecordsClient} for tests of what sits above the client. */
public class FakeIpRecords implements IpRecordsClient {
  private static final String PATH = "/v1/IpRecords";

  public final Map<String, TwilioIpRecord> records = new ConcurrentHashMap<>();
  public final AtomicInteger lists = new AtomicInteger();
  public final AtomicInteger creates = new AtomicInteger();
  public final AtomicInteger updates = new AtomicInteger();
  public final AtomicInteger deletes = new AtomicInteger();
  public final FakeFaults faults = new FakeFaults();
  private final AtomicInteger sids = new AtomicInteger(0x100);
  private final ListGate gate = new ListGate();

  /** The next list blocks after reading Twilio's state, until {@code release} is counted down. */
  public CountDownLatch holdNextList(CountDownLatch release) {
    return gate.holdNext(release);
  }

  /** An IP record made at Twilio (out of band, or by a create); a null prefix is stored as 32. */
  public TwilioIpRecord put(String ipAddress, Integer cidrPrefixLength, String friendlyName) {
    TwilioIpRecord r =
        new TwilioIpRecord(
            FakeTwilioClient.ACCOUNT,
            FakeSourceIpMappings.sid("IL", sids.incrementAndGet()),
            friendlyName,
            ipAddress,
            cidrPrefixLength == null ? 32 : cidrPrefixLength,
            Instant.EPOCH,
            Instant.EPOCH,
            null);
    records.put(r.sid(), r);
    return r;
  }

  @Override
  public TwilioIpRecord createIpRecord(
      String ipAddress, String friendlyName, Integer cidrPrefixLength) {
    creates.incrementAndGet();
    return faults.call("create", () -> put(ipAddress, cidrPrefixLength, friendlyName));
  }

  @Override
  public List<TwilioIpRecord> listIpRecords() {
    lists.incrementAndGet();
    List<TwilioIpRecord> result = faults.call("list", () -> new ArrayList<>(records.values()));
    gate.pass();
    return result;
  }

  @Override
  public TwilioIpRecord updateIpRecord(String sid, String friendlyName) {
    updates.incrementAndGet();
    return faults.call(
        "update",
        () -> {
          TwilioIpRecord r = records.get(sid);
          if (r == null) {
            throw FakeFaults.notFound("POST", PATH + "/" + sid);
          }
          TwilioIpRecord updated =
              new TwilioIpRecord(
                  r.accountSid(),
                  sid,
                  friendlyName,
                  r.ipAddress(),
                  r.cidrPrefixLength(),
                  r.dateCreated(),
                  Instant.now(),
                  r.url());
          records.put(sid, updated);
          return updated;
        });
  }

  @Override
  public void deleteIpRecord(String sid) {
    deletes.incrementAndGet();
    faults.call(
        "delete",
        () -> {
          if (records.remove(sid) == null) {
            throw FakeFaults.notFound("DELETE", PATH + "/" + sid);
          }
          return null;
        });
  }
}
