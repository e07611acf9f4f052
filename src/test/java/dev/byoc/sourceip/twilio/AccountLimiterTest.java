package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AccountLimiterTest {

  @Test
  void fiftyParallelCallersNeverExceedTheConcurrencyLimit() throws Exception {
    AccountLimiter limiter = new AccountLimiter(4, 10_000, Duration.ofSeconds(30));
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int j = 0; j < 5; j++) {
                    try (AccountLimiter.Permit p = limiter.acquire()) {
                      peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                      Thread.sleep(1); // hold the slot so that callers overlap
                      inFlight.decrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(peak.get()).isLessThanOrEqualTo(4).isGreaterThan(1);
  }

  @Test
  void aCallerThatWaitsTooLongGetsARecoverableErrorAndFreesNothing() throws Exception {
    AccountLimiter limiter = new AccountLimiter(1, 10_000, Duration.ofMillis(50));
    try (AccountLimiter.Permit held = limiter.acquire()) {
      assertThatThrownBy(limiter::acquire)
          .isInstanceOf(TwilioTransportException.class)
          .hasMessageContaining("free request slot")
          .satisfies(
              e ->
                  assertThat(((TwilioException) e).errorClass()).isEqualTo(ErrorClass.RECOVERABLE));
    }
    try (AccountLimiter.Permit again = limiter.acquire()) {
      assertThat(again).isNotNull();
    }
  }
}
