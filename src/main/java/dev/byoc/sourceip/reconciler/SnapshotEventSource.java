package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.account.AccountUnavailableException;
import dev.byoc.sourceip.account.TwilioAccount;
import dev.byoc.sourceip.account.TwilioAccounts;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Set;

/**
 * Wakes the resources whose IP record's mapping changed at Twilio, as seen by a snapshot refresh:
 * drift (a mapping deleted or re-pointed out of band) is repaired within one resync interval, and
 * nothing else is reconciled.
 */
final class SnapshotEventSource extends AbstractEventSource<TwilioMapping, SourceIpMapping> {
  private final TwilioAccounts accounts;
  private final IndexerResourceCache<SourceIpMapping> cache;
  private final String ipRecordIndex;

  SnapshotEventSource(
      TwilioAccounts accounts, IndexerResourceCache<SourceIpMapping> cache, String ipRecordIndex) {
    super(TwilioMapping.class, "twilio-snapshot");
    this.accounts = accounts;
    this.cache = cache;
    this.ipRecordIndex = ipRecordIndex;
    for (TwilioAccount account : accounts.all()) {
      account.snapshot().addListener(this::changed);
    }
  }

  private void changed(Set<String> ipRecordSids) {
    if (!isRunning()) {
      return;
    }
    for (String ip : ipRecordSids) {
      for (SourceIpMapping resource : cache.byIndex(ipRecordIndex, ip)) {
        getEventHandler().handleEvent(new Event(ResourceID.fromResource(resource)));
      }
    }
  }

  /**
   * Wakes the other resources naming {@code ipRecordSid}, e.g. the one that lost a claim when the
   * winner goes away.
   */
  void wakeOthers(String ipRecordSid, SourceIpMapping except) {
    if (!isRunning() || ipRecordSid == null) {
      return;
    }
    ResourceID self = ResourceID.fromResource(except);
    for (SourceIpMapping resource : cache.byIndex(ipRecordIndex, ipRecordSid)) {
      ResourceID id = ResourceID.fromResource(resource);
      if (!id.equals(self)) {
        getEventHandler().handleEvent(new Event(id));
      }
    }
  }

  @Override
  public Set<TwilioMapping> getSecondaryResources(SourceIpMapping primary) {
    if (primary.getSpec() == null || primary.getSpec().getIpRecordSid() == null) {
      return Set.of();
    }
    try {
      return accounts
          .forNamespace(primary.getMetadata().getNamespace())
          .snapshot()
          .byIpRecord(primary.getSpec().getIpRecordSid())
          .map(Set::of)
          .orElse(Set.of());
    } catch (AccountUnavailableException e) {
      return Set.of();
    }
  }
}
