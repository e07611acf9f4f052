package dev.byoc.sourceip.chaos;

import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One seed's random traffic of creates, updates (SIP domain, deletion policy, IP record) and
 * deletes, applied as a user would, and the model of what Twilio must hold once it settles. Every
 * create and every IP record change takes a fresh IP record, so each record has one story.
 */
final class Workload {
  /** What a resource asks for. */
  record Wanted(String ipRecordSid, String sipDomainSid, DeletionPolicy deletionPolicy) {}

  private final Random random;
  private final NonNamespaceOperation<
          SourceIpMapping, KubernetesResourceList<SourceIpMapping>, Resource<SourceIpMapping>>
      resources;
  private final Deque<String> freshIpRecords;
  private final List<String> domains;
  private final int total;
  private final Map<String, Wanted> live = new TreeMap<>();
  private final Map<String, Wanted> deleted = new TreeMap<>();
  private final Map<String, String> abandonedIpRecords = new TreeMap<>(); // IP record -> resource
  private int created;
  private int domainChanges;
  private int policyChanges;
  private int ipRecordChanges;
  private int ipRecordChangesDeferred;

  Workload(
      long seed,
      KubernetesClient client,
      String namespace,
      List<String> ipRecordPool,
      List<String> domains,
      int total) {
    this.random = new Random(seed);
    this.resources = client.resources(SourceIpMapping.class).inNamespace(namespace);
    this.freshIpRecords = new ArrayDeque<>(ipRecordPool);
    this.domains = List.copyOf(domains);
    this.total = total;
  }

  boolean allCreated() {
    return created == total;
  }

  /** One random operation: a create while some are left, else (and sometimes anyway) a change. */
  void step() {
    double dice = random.nextDouble();
    if (!allCreated() && (live.isEmpty() || dice < 0.55)) {
      create();
    } else if (dice < 0.85 || live.size() < 2 || deleted.size() >= total * 3 / 10) {
      update(pick()); // deletes stop at 30% of the total, so most resources are live at the end
    } else {
      delete(pick());
    }
  }

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
    for (int attempt = 1; ; attempt++) {
      try {
        resources
            .withName(name)
            .edit(
                r -> {
                  r.getSpec().setIpRecordSid(after.ipRecordSid());
                  r.getSpec().setSipDomainSid(after.sipDomainSid());
                  r.getSpec().setDeletionPolicy(after.deletionPolicy());
                  return r;
                });
        break;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 20) {
          throw e;
        }
        // the operator wrote in between: read again and reapply, as kubectl edit users do
      }
    }
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

  private String pick() {
    List<String> names = new ArrayList<>(live.keySet());
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

  String summary() {
    return "created %d, SIP domain changes %d, deletion policy changes %d, IP record changes %d (%d deferred), deleted %d, live %d"
        .formatted(
            created,
            domainChanges,
            policyChanges,
            ipRecordChanges,
            ipRecordChangesDeferred,
            deleted.size(),
            live.size());
  }
}
