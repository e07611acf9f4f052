package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotEventSourceTest {
  /**
   * Found by the two-account chaos run: the account directory's informers are synced before the
   * controllers start, and an event in between woke an account reconciler whose primary cache had
   * no informer yet (JOSDK: NullPointerException in {@code byIndex}, logged by fabric8 as a failed
   * event handler, and the remaining listeners of that event never told).
   */
  @Test
  @SuppressWarnings("unchecked")
  void aWakeBeforeTheControllerStartedReadsNoCacheAndThrowsNothing() {
    IndexerResourceCache<TwilioAccount> notStarted =
        (IndexerResourceCache<TwilioAccount>)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {IndexerResourceCache.class},
                (proxy, method, args) -> {
                  throw new NullPointerException("the informer manager is not started");
                });
    SnapshotEventSource<TwilioAccount> source = new SnapshotEventSource<>("users", notStarted);

    assertThatCode(() -> source.wake("self", Set.of("TwilioAccount telephony/default"), null))
        .doesNotThrowAnyException();
  }
}
