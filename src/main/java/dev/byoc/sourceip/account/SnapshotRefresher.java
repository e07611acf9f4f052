package dev.byoc.sourceip.account;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists every account once per resync interval, so drift at Twilio is seen within one interval at a
 * cost of ceil(n/1000) requests per account and kind listed (the mappings, and the IP records and
 * SIP domains once something asked for them).
 */
public final class SnapshotRefresher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotRefresher.class);

  private final TwilioAccounts accounts;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;

  public SnapshotRefresher(TwilioAccounts accounts, Duration interval) {
    this.accounts = accounts;
    this.interval = interval;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "snapshot-refresher");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Lists every account at once (so readiness does not wait a whole interval when no resource
   * asks), then once per interval.
   */
  public void start() {
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::refreshAll, 0, millis, TimeUnit.MILLISECONDS);
  }

  /** False once the refresher has been closed. */
  public boolean isRunning() {
    return !scheduler.isShutdown();
  }

  /**
   * One round: each kind of each account is listed unless its list began within half an interval.
   */
  void refreshAll() {
    Instant notBefore = Instant.now().minus(interval.dividedBy(2));
    for (Account account : accounts.all()) {
      try {
        account.snapshot().refreshIfOlderThan(notBefore);
      } catch (RuntimeException e) {
        LOG.warn("Resync of Twilio account {} failed: {}", account.accountSid(), e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
