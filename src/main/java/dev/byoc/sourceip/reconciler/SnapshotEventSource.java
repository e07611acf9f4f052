package dev.byoc.sourceip.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.Collection;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Wakes the resources a snapshot refresh concerns: each listener of an account snapshot reports
 * keys (IP record SIDs whose mapping changed, IP record keys, SIP domain names), and the resources
 * indexed under those keys are reconciled. Drift is repaired within one resync interval, a resource
 * waiting for a domain converges when it appears, and nothing else is reconciled.
 */
final class SnapshotEventSource<P extends HasMetadata> extends AbstractEventSource<Void, P> {
  private final IndexerResourceCache<P> cache;

  SnapshotEventSource(String name, IndexerResourceCache<P> cache) {
    super(Void.class, name);
    this.cache = cache;
  }

  /** Subscribes to a snapshot listener: its keys wake the resources under {@code index}. */
  SnapshotEventSource<P> wakeOn(Consumer<Consumer<Set<String>>> subscribe, String index) {
    subscribe.accept(keys -> wake(index, keys, null));
    return this;
  }

  /**
   * Wakes the resources indexed under any of {@code keys}, except {@code except}. Nothing before
   * the controller has started: its cache cannot be read yet, and it reconciles everything at
   * start.
   */
  void wake(String index, Set<String> keys, P except) {
    if (!isRunning()) {
      return;
    }
    wakeAll(
        keys.stream()
            .filter(java.util.Objects::nonNull)
            .flatMap(key -> cache.byIndex(index, key).stream())
            .toList(),
        except);
  }

  /** Wakes {@code resources}, except {@code except}. */
  void wakeAll(Collection<P> resources, P except) {
    if (!isRunning()) {
      return;
    }
    ResourceID self = except == null ? null : ResourceID.fromResource(except);
    for (P resource : resources) {
      ResourceID id = ResourceID.fromResource(resource);
      if (!id.equals(self)) {
        getEventHandler().handleEvent(new Event(id));
      }
    }
  }

  @Override
  public Set<Void> getSecondaryResources(P primary) {
    return Set.of();
  }
}
