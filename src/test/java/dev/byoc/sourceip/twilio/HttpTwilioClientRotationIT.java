package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.config.TwilioCredentials;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rotated credentials reach every later request attempt, those waiting for a permit included. */
class HttpTwilioClientRotationIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;

  @RegisterExtension final EmulatorExtension extension = EmulatorExtension.withKnownAccount();

  @Test
  void aRequestWaitingForAPermitSendsTheCredentialsCurrentWhenItGoes() throws Exception {
    TwilioEmulator emulator = extension.emulator();
    TwilioConfig config =
        TwilioConfig.builder(ACCOUNT, KnownSecrets.AUTH_TOKEN, emulator.baseUrl())
            .retries(0, Duration.ofMillis(10), Duration.ofMillis(10))
            .build();
    AccountLimiter limiter = new AccountLimiter(1, 1000, Duration.ofSeconds(30));
    HttpTwilioClient client =
        new HttpTwilioClient(config, new OkHttpClient(), limiter, TwilioRequestListener.NONE);
    CompletableFuture<List<TwilioMapping>> waiting;
    try (AccountLimiter.Permit held = limiter.acquire()) {
      waiting = CompletableFuture.supplyAsync(client::listSourceIpMappings);
      Thread.sleep(200); // the list is now waiting for the only permit
      emulator.addAccount(ACCOUNT, KnownSecrets.ROTATED_AUTH_TOKEN);
      client.useCredentials(
          new TwilioCredentials(ACCOUNT, KnownSecrets.ROTATED_AUTH_TOKEN, null, null));
    }

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(emulator.counters().count("GET", "/v1/SourceIpMappings", 401)).isZero();
  }

  @Test
  void credentialsOfAnotherAccountAreRefused() {
    HttpTwilioClient client =
        new HttpTwilioClient(
            TwilioConfig.builder(ACCOUNT, KnownSecrets.AUTH_TOKEN, extension.emulator().baseUrl())
                .build());

    assertThatThrownBy(
            () ->
                client.useCredentials(
                    new TwilioCredentials(
                        KnownSecrets.OTHER_ACCOUNT_SID, KnownSecrets.OTHER_AUTH_TOKEN, null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(KnownSecrets.OTHER_ACCOUNT_SID);
  }
}
