package dev.byoc.sourceip.bench;

import static dev.byoc.sourceip.bench.Benchmark.ACCOUNT;
import static dev.byoc.sourceip.bench.Benchmark.DOMAIN_A_NAME;
import static dev.byoc.sourceip.bench.Benchmark.NS;
import static dev.byoc.sourceip.bench.Benchmark.fmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordReference;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.bench.Bench.Measured;
import dev.byoc.sourceip.bench.Bench.Requests;
import dev.byoc.sourceip.bench.Bench.Writes;
import dev.byoc.sourceip.bench.ResourceView.State;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * N IpRecords (distinct addresses) and N mappings naming them by {@code ipRecordRef} and the SIP
 * domain by {@code sipDomainName}, applied at once in a seeded random order (mappings often before
 * their IpRecords, which then wait as ReferenceNotReady): until all 2N are Ready. The bound is
 * 2N·L/C, as both kinds are created at Twilio through one account's limit. Then all 2N are deleted
 * at once (an IpRecord in use waits for its mapping) and the cleanup is timed too, so that the
 * namespace and the account are as before.
 */
final class RefsScenario implements Scenario {
  /** The seed of the apply order (mappings often before their IpRecords). */
  static final long SEED = 12;

  static final String IP_RECORD_PREFIX = "ref-ip-";
  static final String MAPPING_PREFIX = "ref-m-";

  @Override
  public String name() {
    return "refs";
  }

  @Override
  public void run(Bench b) throws Exception {
    System.out.println("references: N IpRecords + N mappings by name, one apply ...");
    int n = b.n;
    ObjectNode node = b.run.putObject("refs");
    List<HasMetadata> all = resources(n);
    int mappingsFirst = mappingsFirst(all, n);
    node.put("seed", SEED);
    node.put("mappingsAppliedBeforeTheirIpRecord", mappingsFirst);
    node.set("mockServerBefore", b.probe());
    int ipRecordsBefore = b.emulator.ipRecordCount(ACCOUNT);
    int mappingsBefore = b.emulator.mappingCount(ACCOUNT);
    double bound = 2.0 * n * b.o.latencyMs() / 1000.0 / b.o.concurrency();
    Duration max = Duration.ofSeconds((long) Math.max(180, 6 * bound));
    try (ResourceView ipView = new ResourceView(b.bench, NS, IpRecord.class)) {
      Measured m =
          b.measure(
              node,
              () -> b.applyInOrder(b.bench, all),
              true,
              max,
              () ->
                  ipView.count(s -> s.readyNow() && s.sid() != null) == n
                      && b.view.count(
                              s ->
                                  s.name().startsWith(MAPPING_PREFIX)
                                      && s.readyNow()
                                      && s.sid() != null)
                          == n,
              new Writes("ipRecords", "POST", "/v1/IpRecords"),
              new Writes("mappings", "POST", "/v1/SourceIpMappings"));
      int wrong = 0;
      for (int i = 0; i < n; i++) {
        String suffix = "%05d".formatted(i);
        State ip = ipView.get(IP_RECORD_PREFIX + suffix);
        State mapping = b.view.get(MAPPING_PREFIX + suffix);
        if (ip == null
            || mapping == null
            || ip.sid() == null
            || !ip.sid().equals(mapping.ipRecordSid())
            || !b.domainA.equals(mapping.sipDomainSid())) {
          wrong++;
        }
      }
      node.put("seconds", m.seconds());
      node.put("completed", m.completed());
      node.put("boundSeconds", bound);
      node.put("ratioToBound", m.seconds() / bound);
      node.put("kubernetesFloorSeconds", b.floorCold);
      node.put("cpuSeconds", m.cpuSeconds());
      node.put("mappingsNotOnTheirIpRecordAndDomain", wrong);
      node.put("twilioIpRecordsAdded", b.emulator.ipRecordCount(ACCOUNT) - ipRecordsBefore);
      node.put("twilioMappingsAdded", b.emulator.mappingCount(ACCOUNT) - mappingsBefore);
      Requests r = b.requests(node);
      JsonNode twilio = r.twilio();
      JsonNode w = r.kubernetes().path("writes");
      long resourceWrites =
          w.path("mapping").asLong()
              + w.path("status").asLong()
              + w.path("ipRecord").asLong()
              + w.path("ipRecordStatus").asLong();
      node.put("resourceWritesPerResource", (double) resourceWrites / (2 * n));
      node.set("memory", b.memory("afterRefs", true));
      long other =
          twilio.path("total").asLong()
              - twilio.path("creates").asLong()
              - twilio.path("lists").asLong()
              - twilio.path("perResourceGets").asLong();
      Report.row(
          b.rows,
          "References: N IpRecords + N mappings by name, one apply in random order",
          m,
          bound,
          "%d creates (%d IpRecords + %d mappings), %d list pages (%d IpRecords, %d mappings,"
                  .formatted(
                      twilio.path("creates").asLong(),
                      twilio.path("ipRecordCreates").asLong(),
                      twilio.path("mappingCreates").asLong(),
                      twilio.path("lists").asLong(),
                      twilio.path("ipRecordLists").asLong(),
                      twilio.path("mappingLists").asLong())
              + " %d domains), %d GETs"
                  .formatted(
                      twilio.path("sipDomainLists").asLong(),
                      twilio.path("perResourceGets").asLong())
              + (other == 0 ? "" : ", %d other".formatted(other)),
          twilio,
          "%s/resource (%d mapping + %d status, %d IpRecord + %d status) + %s Events/resource"
              .formatted(
                  fmt((double) resourceWrites / (2 * n)),
                  w.path("mapping").asLong(),
                  w.path("status").asLong(),
                  w.path("ipRecord").asLong(),
                  w.path("ipRecordStatus").asLong(),
                  fmt((double) w.path("event").asLong() / (2 * n))),
          ("bound: 2N·L/C (Kubernetes floor for N: %.1f s); %d of %d mappings applied before"
                  + " their IpRecord (seed %d); %d mappings not on their IpRecord's SID and"
                  + " the domain; mock server held %d objects before; RSS %d MiB (peak %d),"
                  + " heap after GC %d MiB")
              .formatted(
                  b.floorCold,
                  mappingsFirst,
                  n,
                  SEED,
                  wrong,
                  node.path("mockServerBefore").path("objects").asLong(),
                  node.path("memory").path("rssMiB").asLong(),
                  node.path("memory").path("peakRssMiB").asLong(),
                  node.path("memory").path("heapAfterGcMiB").asLong()));
      System.out.printf(
          Locale.ROOT,
          "  refs: %.1f s (bound %.1f s, %.2fx), %d creates, %d GETs, %d list pages%n",
          m.seconds(),
          bound,
          m.seconds() / bound,
          twilio.path("creates").asLong(),
          twilio.path("perResourceGets").asLong(),
          twilio.path("lists").asLong());
      cleanup(b, all, ipView, ipRecordsBefore, mappingsBefore, bound, max);
    }
  }

  /** N IpRecords and N mappings naming them, shuffled with the seed. */
  private static List<HasMetadata> resources(int n) {
    List<HasMetadata> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      IpRecord ip = new IpRecord();
      ip.setMetadata(Bench.meta(IP_RECORD_PREFIX + "%05d".formatted(i), NS));
      // 172.16.0.0/12: apart from the 10.x addresses of the IP records the other scenarios use
      ip.setSpec(
          new IpRecordSpec("172.%d.%d.%d".formatted(16 + i / 65536 % 16, i / 256 % 256, i % 256)));
      all.add(ip);
      SourceIpMapping m = new SourceIpMapping();
      m.setMetadata(Bench.meta(MAPPING_PREFIX + "%05d".formatted(i), NS));
      SourceIpMappingSpec spec = new SourceIpMappingSpec();
      spec.setIpRecordRef(new IpRecordReference(ip.getMetadata().getName()));
      spec.setSipDomainName(DOMAIN_A_NAME);
      m.setSpec(spec);
      all.add(m);
    }
    Collections.shuffle(all, new Random(SEED));
    return all;
  }

  /** How many mappings come before their IpRecord in this order. */
  private static int mappingsFirst(List<HasMetadata> all, int n) {
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      position.put(all.get(i).getMetadata().getName(), i);
    }
    int mappingsFirst = 0;
    for (int i = 0; i < n; i++) {
      String suffix = "%05d".formatted(i);
      if (position.get(MAPPING_PREFIX + suffix) < position.get(IP_RECORD_PREFIX + suffix)) {
        mappingsFirst++;
      }
    }
    return mappingsFirst;
  }

  /** Deletes the 2N resources at once and waits until they are gone. */
  private static void cleanup(
      Bench b,
      List<HasMetadata> all,
      ResourceView ipView,
      int ipRecordsBefore,
      int mappingsBefore,
      double bound,
      Duration max)
      throws Exception {
    System.out.println("references: delete all 2N at once ...");
    ObjectNode node = b.run.putObject("refsCleanup");
    Measured m =
        b.measure(
            node,
            () ->
                b.inParallel(
                    all,
                    r ->
                        b.bench
                            .resources(r.getClass())
                            .inNamespace(NS)
                            .withName(r.getMetadata().getName())
                            .delete()),
            false,
            max,
            () ->
                ipView.size() == 0
                    && b.view.count(s -> s.name().startsWith(MAPPING_PREFIX)) == 0
                    && b.emulator.ipRecordCount(ACCOUNT) == ipRecordsBefore
                    && b.emulator.mappingCount(ACCOUNT) == mappingsBefore);
    node.put("seconds", m.seconds());
    node.put("completed", m.completed());
    node.put("boundSeconds", bound);
    node.put("ratioToBound", m.seconds() / bound);
    node.put("cpuSeconds", m.cpuSeconds());
    Requests r = b.requests(node);
    JsonNode w = r.kubernetes().path("writes");
    Report.row(
        b.rows,
        "References: cleanup, all 2N deleted at once",
        m,
        bound,
        Report.twilioShort(r.twilio()),
        r.twilio(),
        "%d writes (%d mapping, %d IpRecord, %d Events)"
            .formatted(
                w.path("total").asLong(),
                w.path("mapping").asLong() + w.path("status").asLong(),
                w.path("ipRecord").asLong() + w.path("ipRecordStatus").asLong(),
                w.path("event").asLong()),
        "bound: 2N·L/C (N mapping deletes, then N IpRecord deletes); no target");
    System.out.printf(Locale.ROOT, "  refs cleanup: %.1f s (bound %.1f s)%n", m.seconds(), bound);
  }
}
