package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Over real HTTP, an account limit far below the ceiling: adapting meets the account's limit once
 * and stays below it.
 */
class AdaptiveConcurrencyIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  static final String IP_RECORDS = "/v1/IpRecords";
  static final int ACCOUNT_LIMIT = 4; // Twilio's real limit, unknown to the operator
  static final int CEILING = 4 * ACCOUNT_LIMIT;
  static final int CALLERS = 40;
  static final int CREATES = 160;

  @RegisterExtension final EmulatorExtension twilio = EmulatorExtension.withKnownAccount();

  TwilioEmulator emulator;

  @BeforeEach
  void accountWithAConcurrencyLimit() {
    emulator = twilio.emulator();
    emulator
        .faults()
        .update(FaultSettings.none().withLatencyMs(10).withConcurrencyLimit(ACCOUNT_LIMIT));
  }

  /** 429s and all attempts of a burst of creates through a limiter with the given adaptation. */
  long[] burst(boolean adaptive, AccountLimiter[] limiterOut) throws Exception {
    emulator.counters().reset();
    TwilioConfig config =
        TwilioConfig.builder(ACCOUNT, TOKEN, emulator.baseUrl())
            .limits(CEILING, 10_000)
            .adaptiveConcurrency(adaptive)
            .retries(20, Duration.ofMillis(5), Duration.ofMillis(100))
            .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10))
            .build();
    AccountLimiter limiter = new AccountLimiter(config.limits());
    limiterOut[0] = limiter;
    HttpTwilioClient client =
        new HttpTwilioClient(config, new OkHttpClient(), limiter, TwilioRequestListener.NONE);
    String prefix = adaptive ? "10.1." : "10.2.";
    ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
    try {
      List<Future<?>> creates = new ArrayList<>();
      for (int i = 0; i < CREATES; i++) {
        String ip = prefix + (i / 200) + "." + (i % 200 + 1);
        creates.add(
            pool.submit(
                () -> {
                  try {
                    client.createIpRecord(ip, null, null);
                  } catch (TwilioException e) {
                    // out of retries: counted below like every other attempt
                  }
                }));
      }
      for (Future<?> f : creates) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    return new long[] {
      emulator.counters().count("POST", IP_RECORDS, 429),
      emulator.counters().count("POST", IP_RECORDS)
    };
  }

  @Test
  void aBurstOfCreatesSettlesNearTheAccountsLimitWithFewThrottles() throws Exception {
    AccountLimiter[] limiter = new AccountLimiter[1];

    long[] fixed = burst(false, limiter);
    long[] adaptive = burst(true, limiter);

    System.out.printf(
        "adaptive: %d 429s of %d attempts, limit %d; fixed ceiling: %d of %d%n",
        adaptive[0], adaptive[1], limiter[0].limit(), fixed[0], fixed[1]);
    assertThat(adaptive[0])
        .as(
            "429s of %d attempts, adaptive (fixed ceiling: %d of %d)",
            adaptive[1], fixed[0], fixed[1])
        .isLessThanOrEqualTo(1 + adaptive[1] / 50) // the wall is met once, then held
        .isLessThan(fixed[0] / 4);
    assertThat(limiter[0].limit()).isLessThanOrEqualTo(ACCOUNT_LIMIT + 2);
    assertThat(limiter[0].maxConcurrent()).isEqualTo(CEILING);
  }
}
