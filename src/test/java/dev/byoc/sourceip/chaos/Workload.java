package dev.byoc.sourceip.chaos;

import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordReference;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * One seed's random traffic of creates, updates and deletes, applied as a user would, and the model
 * of what Twilio must hold once it settles. Two kinds of resources: mappings by SID (changes of SIP
 * domain, deletion policy, IP record; every create and every IP record change takes a fresh seeded
 * IP record, so each record has one story), and pairs of an IpRecord with the mapping that names it
 * by {@code ipRecordRef} and its SIP domain by {@code sipDomainName} (changes of the IpRecord's
 * friendlyName and of the mapping's domain name), each half of a pair created and deleted in random
 * order, the second half sometimes only some steps later.
 */
final class Workload {
  /** What a resource by SID asks for. */
  record Wanted(String ipRecordSid, String sipDomainSid, DeletionPolicy deletionPolicy) {}

  /** An IpRecord and the mapping that names it: what they ask for. */
  record Pair(
      String ipRecord, String mapping, String address, String friendlyName, String domainName) {
    Pair withFriendlyName(String name) {
      return new Pair(ipRecord, mapping, address, name, domainName);
    }

    Pair withDomainName(String name) {
      return new Pair(ipRecord, mapping, address, friendlyName, name);
    }
  }

  private final Random random;
  private final NonNamespaceOperation<
          SourceIpMapping, KubernetesResourceList<SourceIpMapping>, Resource<SourceIpMapping>>
      resources;
  private final NonNamespaceOperation<
          IpRecord, KubernetesResourceList<IpRecord>, Resource<IpRecord>>
      ipRecords;
  private final Deque<String> freshIpRecords;
  private final Set<String> seededIpRecords;
  private final List<String> domains;
  private final Map<String, String> domainsByName;
  private final String pairRange;
  private final int total;
  private final int pairTotal;
  private final Map<String, Wanted> live = new TreeMap<>();
  private final Map<String, Wanted> deleted = new TreeMap<>();
  private final Map<String, String> abandonedIpRecords = new TreeMap<>(); // IP record -> resource
  private final Map<String, Pair> livePairs = new TreeMap<>(); // by IpRecord name
  private final Map<String, Pair> deletedPairs = new TreeMap<>();
  private final Deque<Runnable> secondHalves = new ArrayDeque<>(); // creates or deletes to finish
  private int created;
  private int pairsCreated;
  private int domainChanges;
  private int policyChanges;
  private int ipRecordChanges;
  private int ipRecordChangesDeferred;
  private int friendlyNameChanges;
  private int domainNameChanges;
  private int mappingsFirst;
  private int ipRecordsFirst;
  private int deletedMappingFirst;
  private int deletedIpRecordFirst;
  private int halvesLater;

  /**
   * @param ipRecordPool seeded IP records for the mappings by SID
   * @param domainsByName the account's SIP domains, by domain name
   * @param pairRange the first two octets of the IpRecords' addresses (e.g. {@code 172.16}), one
   *     range per account so that a record at Twilio tells which namespace asked for it
   * @param total resources over the run, of which a fifth are pairs (an IpRecord and its mapping)
   *     and the rest mappings by SID (so {@code total - pairs} Kubernetes objects in all, plus one
   *     per pair)
   */
  Workload(
      long seed,
      KubernetesClient client,
      String namespace,
      List<String> ipRecordPool,
      Map<String, String> domainsByName,
      String pairRange,
      int total) {
    this.random = new Random(seed);
    this.pairRange = pairRange;
    this.resources = client.resources(SourceIpMapping.class).inNamespace(namespace);
    this.ipRecords = client.resources(IpRecord.class).inNamespace(namespace);
    this.freshIpRecords = new ArrayDeque<>(ipRecordPool);
    this.seededIpRecords = Set.copyOf(ipRecordPool);
    this.domainsByName = Collections.unmodifiableMap(new LinkedHashMap<>(domainsByName));
    this.domains = List.copyOf(domainsByName.values());
    this.pairTotal = pairsOf(total);
    this.total = total - pairTotal;
  }

  /** How many of {@code total} resources are IpRecord pairs. */
  static int pairsOf(int total) {
    return total / 5;
  }

  /** How many seeded IP records the mappings by SID of {@code total} resources may take. */
  static int poolFor(int total) {
    return (total - pairsOf(total)) * 2;
  }

  boolean allCreated() {
    // and no second half waits: the traffic ends with every pair whole or wholly deleted
    return created == total && pairsCreated == pairTotal && secondHalves.isEmpty();
  }

  /**
   * One random operation: the second half of a pair now and then; a create while some are left,
   * else (and sometimes anyway) a change; at times a delete.
   */
  void step() {
    if (!secondHalves.isEmpty() && random.nextDouble() < 0.15) {
      secondHalves.removeFirst().run();
      return;
    }
    double dice = random.nextDouble();
    int left = (total - created) + (pairTotal - pairsCreated);
    if (left > 0 && (live.isEmpty() || dice < 0.55)) {
      if (random.nextInt(left) < total - created) {
        create();
      } else {
        createPair();
      }
      return;
    }
    int changeable = live.size() + livePairs.size();
    boolean canDelete =
        changeable >= 2 && deleted.size() + deletedPairs.size() < (total + pairTotal) * 3 / 10;
    // deletes stop at 30% of the total, so most resources are live at the end
    boolean pairs = random.nextInt(Math.max(1, changeable)) < livePairs.size();
    if (dice < 0.85 || !canDelete) {
      if (pairs) {
        updatePair(pickPair());
      } else if (!live.isEmpty()) {
        update(pick());
      }
    } else if (pairs) {
      deletePair(pickPair());
    } else {
      delete(pick());
    }
  }

  // ---- mappings by SID ----------------------------------------------------------------------

  private void create() {
    String name = "m-%04d".formatted(created++);
    Wanted wanted =
        new Wanted(
            freshIpRecords.removeFirst(),
            domain(),
            random.nextDouble() < 0.15 ? DeletionPolicy.Orphan : DeletionPolicy.Delete);
    SourceIpMapping resource = new SourceIpMapping();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).build());
    SourceIpMappingSpec spec = new SourceIpMappingSpec(wanted.ipRecordSid(), wanted.sipDomainSid());
    spec.setDeletionPolicy(wanted.deletionPolicy());
    resource.setSpec(spec);
    resources.resource(resource).create();
    live.put(name, wanted);
  }

  private void update(String name) {
    Wanted before = live.get(name);
    double dice = random.nextDouble();
    Wanted after;
    if (dice < 0.6) {
      after =
          new Wanted(
              before.ipRecordSid(), otherDomain(before.sipDomainSid()), before.deletionPolicy());
      domainChanges++;
    } else if (dice < 0.8) {
      DeletionPolicy flipped =
          before.deletionPolicy() == DeletionPolicy.Delete
              ? DeletionPolicy.Orphan
              : DeletionPolicy.Delete;
      after = new Wanted(before.ipRecordSid(), before.sipDomainSid(), flipped);
      policyChanges++;
    } else if (caughtUp(name, before)) {
      after =
          new Wanted(freshIpRecords.removeFirst(), before.sipDomainSid(), before.deletionPolicy());
      abandonedIpRecords.put(before.ipRecordSid(), name);
      ipRecordChanges++;
    } else {
      // See docs/chaos.md: a mapping created just before a crash is found again through the spec's
      // IP record; moving the spec off that record before the operator has recorded it would hide
      // it, so the workload waits, as the documented limit asks users to.
      ipRecordChangesDeferred++;
      return;
    }
    edit(
        resources.withName(name),
        r -> {
          r.getSpec().setIpRecordSid(after.ipRecordSid());
          r.getSpec().setSipDomainSid(after.sipDomainSid());
          r.getSpec().setDeletionPolicy(after.deletionPolicy());
          return r;
        });
    live.put(name, after);
  }

  /** Whether the operator has recorded in status the IP record the spec names. */
  private boolean caughtUp(String name, Wanted wanted) {
    SourceIpMapping current = resources.withName(name).get();
    return current != null
        && current.getStatus() != null
        && current.getStatus().getSid() != null
        && wanted.ipRecordSid().equals(current.getStatus().getIpRecordSid());
  }

  private void delete(String name) {
    resources.withName(name).delete();
    deleted.put(name, live.remove(name));
  }

  // ---- pairs: an IpRecord and the mapping naming it -----------------------------------------

  private void createPair() {
    int i = pairsCreated++;
    // a range apart from the seeded records (10.x.y.z), one address per pair, never reused
    Pair pair =
        new Pair(
            "ip-%04d".formatted(i),
            "ref-%04d".formatted(i),
            "%s.%d.%d".formatted(pairRange, i >> 8, i & 255),
            "chaos pbx " + i,
            domainName());
    IpRecord ipRecord = new IpRecord();
    ipRecord.setMetadata(new ObjectMetaBuilder().withName(pair.ipRecord()).build());
    IpRecordSpec ipSpec = new IpRecordSpec(pair.address());
    ipSpec.setFriendlyName(pair.friendlyName());
    ipRecord.setSpec(ipSpec);
    SourceIpMapping mapping = new SourceIpMapping();
    mapping.setMetadata(new ObjectMetaBuilder().withName(pair.mapping()).build());
    SourceIpMappingSpec spec = new SourceIpMappingSpec();
    spec.setIpRecordRef(new IpRecordReference(pair.ipRecord()));
    spec.setSipDomainName(pair.domainName());
    mapping.setSpec(spec);

    boolean mappingFirst = random.nextBoolean();
    if (mappingFirst) {
      mappingsFirst++;
    } else {
      ipRecordsFirst++;
    }
    Runnable first =
        mappingFirst
            ? () -> resources.resource(mapping).create()
            : () -> ipRecords.resource(ipRecord).create();
    Runnable second =
        mappingFirst
            ? () -> ipRecords.resource(ipRecord).create()
            : () -> resources.resource(mapping).create();
    first.run();
    // not live (so neither changed nor deleted) until both halves exist
    later(
        () -> {
          second.run();
          livePairs.put(pair.ipRecord(), pair);
        });
  }

  private void updatePair(String ipRecordName) {
    Pair before = livePairs.get(ipRecordName);
    Pair after;
    if (random.nextBoolean()) {
      after = before.withFriendlyName(before.ipRecord() + " v" + ++friendlyNameChanges);
      edit(
          ipRecords.withName(before.ipRecord()),
          r -> {
            r.getSpec().setFriendlyName(after.friendlyName());
            return r;
          });
    } else {
      after = before.withDomainName(otherDomainName(before.domainName()));
      domainNameChanges++;
      edit(
          resources.withName(before.mapping()),
          r -> {
            r.getSpec().setSipDomainName(after.domainName());
            return r;
          });
    }
    livePairs.put(ipRecordName, after);
  }

  private void deletePair(String ipRecordName) {
    Pair pair = livePairs.remove(ipRecordName);
    deletedPairs.put(ipRecordName, pair);
    boolean mappingFirst = random.nextBoolean();
    if (mappingFirst) {
      deletedMappingFirst++;
    } else {
      deletedIpRecordFirst++;
    }
    Runnable mapping = () -> resources.withName(pair.mapping()).delete();
    Runnable ipRecord = () -> ipRecords.withName(pair.ipRecord()).delete();
    (mappingFirst ? mapping : ipRecord).run();
    later(mappingFirst ? ipRecord : mapping);
  }

  /** Runs the second half now (most of the time) or some steps later. */
  private void later(Runnable secondHalf) {
    if (random.nextDouble() < 0.4) {
      halvesLater++;
      secondHalves.addLast(secondHalf);
    } else {
      secondHalf.run();
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static <R extends HasMetadata> void edit(Resource<R> resource, UnaryOperator<R> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        resource.edit(change);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 20) {
          throw e;
        }
        // the operator wrote in between: read again and reapply, as kubectl edit users do
      }
    }
  }

  private String pick() {
    List<String> names = new ArrayList<>(live.keySet());
    return names.get(random.nextInt(names.size()));
  }

  private String pickPair() {
    List<String> names = new ArrayList<>(livePairs.keySet());
    return names.get(random.nextInt(names.size()));
  }

  private String domain() {
    return domains.get(random.nextInt(domains.size()));
  }

  private String otherDomain(String current) {
    List<String> others = new ArrayList<>(domains);
    others.remove(current);
    return others.get(random.nextInt(others.size()));
  }

  private String domainName() {
    List<String> names = new ArrayList<>(domainsByName.keySet());
    return names.get(random.nextInt(names.size()));
  }

  private String otherDomainName(String current) {
    List<String> others = new ArrayList<>(new TreeSet<>(domainsByName.keySet()));
    others.remove(current);
    return others.get(random.nextInt(others.size()));
  }

  Map<String, Wanted> live() {
    return Collections.unmodifiableMap(live);
  }

  Map<String, Wanted> deleted() {
    return Collections.unmodifiableMap(deleted);
  }

  /** IP records that a spec change moved a resource off, with that resource's name. */
  Map<String, String> abandonedIpRecords() {
    return Collections.unmodifiableMap(abandonedIpRecords);
  }

  /** Pairs whose both halves exist, by IpRecord name. */
  Map<String, Pair> livePairs() {
    return Collections.unmodifiableMap(livePairs);
  }

  /** Pairs deleted (both halves once {@link #allCreated} holds), by IpRecord name. */
  Map<String, Pair> deletedPairs() {
    return Collections.unmodifiableMap(deletedPairs);
  }

  /** The IP records the test seeded at Twilio for the mappings by SID. */
  Set<String> seededIpRecords() {
    return seededIpRecords;
  }

  /** The SID of the SIP domain with this name. */
  String domainSid(String domainName) {
    return domainsByName.get(domainName);
  }

  String summary() {
    return ("created %d, SIP domain changes %d, deletion policy changes %d, IP record changes %d"
            + " (%d deferred), deleted %d, live %d; pairs (IpRecord + mapping by reference):"
            + " created %d (%d mapping first, %d IpRecord first), friendlyName changes %d,"
            + " sipDomainName changes %d, deleted %d (%d mapping first, %d IpRecord first),"
            + " %d second halves some steps later, live %d")
        .formatted(
            created,
            domainChanges,
            policyChanges,
            ipRecordChanges,
            ipRecordChangesDeferred,
            deleted.size(),
            live.size(),
            pairsCreated,
            mappingsFirst,
            ipRecordsFirst,
            friendlyNameChanges,
            domainNameChanges,
            deletedPairs.size(),
            deletedMappingFirst,
            deletedIpRecordFirst,
            halvesLater,
            livePairs.size());
  }
}
