package dev.byoc.sourceip.twilio;

import java.util.concurrent.CountDownLatch;

/** Lets a test hold a fake's next list after it read Twilio's state, to race it with writes. */
final class ListGate {
  private volatile CountDownLatch release;
  private volatile CountDownLatch entered;

  /** The next list blocks after reading, until {@code release} is counted down. */
  CountDownLatch holdNext(CountDownLatch release) {
    entered = new CountDownLatch(1);
    this.release = release;
    return entered;
  }

  /** Called by a list once it has read: blocks if the test asked to hold it. */
  void pass() {
    CountDownLatch gate = release;
    if (gate != null) {
      release = null;
      entered.countDown();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
