package dev.byoc.sourceip.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop that the command finishes itself, so a graceful
 * stop exits 0 (the JVM's own handling runs shutdown hooks and exits 143).
 */
final class Shutdown {
  private final CountDownLatch requested = new CountDownLatch(1);

  private Shutdown() {}

  /** Handles SIGTERM and SIGINT from now on. */
  static Shutdown onSignals() {
    Shutdown shutdown = new Shutdown();
    Signal.handle(new Signal("TERM"), s -> shutdown.requested.countDown());
    Signal.handle(new Signal("INT"), s -> shutdown.requested.countDown());
    return shutdown;
  }

  /** Blocks until a signal asks the process to stop. */
  void awaitSignal() {
    boolean interrupted = false;
    while (true) {
      try {
        requested.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
