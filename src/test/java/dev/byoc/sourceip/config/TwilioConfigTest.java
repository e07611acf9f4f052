package dev.byoc.sourceip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.KnownSecrets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioConfigTest {
  private static final String SID = KnownSecrets.ACCOUNT_SID;
  private static final String KEY = KnownSecrets.API_KEY_SID;
  private static final String TOKEN = KnownSecrets.AUTH_TOKEN;

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void readsDefaultsWhenOnlyCredentialsAreSet() {
    TwilioConfig c =
        TwilioConfig.from(
            Settings.from(env("TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", TOKEN)));

    assertThat(c.username()).isEqualTo(SID);
    assertThat(c.password()).isEqualTo(TOKEN);
    assertThat(c.pageSize()).isEqualTo(1000);
    assertThat(c.maxConcurrentRequests()).isEqualTo(10);
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.retryBaseDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.limiterMaxWait()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void apiKeyIsTheUserWhenSet() {
    TwilioConfig c =
        TwilioConfig.from(
            Settings.from(
                env("TWILIO_ACCOUNT_SID", SID, "TWILIO_API_KEY", KEY, "TWILIO_API_SECRET", TOKEN)));

    assertThat(c.username()).isEqualTo(KEY);
    assertThat(c.password()).isEqualTo(TOKEN);
  }

  @Test
  void toStringNeverShowsASecret() {
    TwilioConfig token =
        TwilioConfig.from(
            Settings.from(env("TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", TOKEN)));
    TwilioConfig key = token.toBuilder().apiKey(KEY, TOKEN).build();

    assertThat(token.toString()).doesNotContain(TOKEN).contains(SID);
    assertThat(key.toString()).doesNotContain(TOKEN).contains(KEY);
  }

  @Test
  void missingOrMalformedCredentialsFailWithTheSettingName() {
    assertThatThrownBy(() -> TwilioConfig.from(Settings.from(env())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TWILIO_ACCOUNT_SID is not set");
    assertThatThrownBy(
            () ->
                TwilioConfig.from(
                    Settings.from(env("TWILIO_ACCOUNT_SID", "ACnope", "TWILIO_AUTH_TOKEN", TOKEN))))
        .hasMessageContaining("TWILIO_ACCOUNT_SID is not an Account SID");
    assertThatThrownBy(() -> TwilioConfig.from(Settings.from(env("TWILIO_ACCOUNT_SID", SID))))
        .hasMessageContaining("Neither TWILIO_AUTH_TOKEN nor TWILIO_API_KEY");
    assertThatThrownBy(
            () ->
                TwilioConfig.from(
                    Settings.from(env("TWILIO_ACCOUNT_SID", SID, "TWILIO_API_KEY", KEY))))
        .hasMessageContaining("TWILIO_API_KEY is set but TWILIO_API_SECRET is not");
    assertThatThrownBy(
            () ->
                TwilioConfig.from(
                    Settings.from(
                        env(
                            "TWILIO_ACCOUNT_SID",
                            SID,
                            "TWILIO_API_KEY",
                            "SKbad",
                            "TWILIO_API_SECRET",
                            TOKEN))))
        .hasMessageContaining("TWILIO_API_KEY is not an API Key SID")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void badNumbersAndDurationsNameTheSettingAndTheExpectation() {
    Map<String, String> base = env("TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", TOKEN);

    base.put("TWILIO_PAGE_SIZE", "1001");
    assertThatThrownBy(() -> TwilioConfig.from(Settings.from(base)))
        .hasMessage("TWILIO_PAGE_SIZE is '1001'; expected an integer from 1 to 1000.");
    base.remove("TWILIO_PAGE_SIZE");
    base.put("TWILIO_READ_TIMEOUT", "soon");
    assertThatThrownBy(() -> TwilioConfig.from(Settings.from(base)))
        .hasMessageContaining("TWILIO_READ_TIMEOUT is 'soon'; expected a positive duration");
    base.put("TWILIO_READ_TIMEOUT", "90s");
    base.put("TWILIO_MAX_REQUESTS_PER_SECOND", "0");
    assertThatThrownBy(() -> TwilioConfig.from(Settings.from(base)))
        .hasMessageContaining("TWILIO_MAX_REQUESTS_PER_SECOND is '0'");
    base.put("TWILIO_MAX_REQUESTS_PER_SECOND", "2.5");
    base.put("TWILIO_ALLOW_INSECURE_HTTP", "maybe");
    assertThatThrownBy(() -> TwilioConfig.from(Settings.from(base)))
        .hasMessageContaining("expected true or false");
    base.put("TWILIO_ALLOW_INSECURE_HTTP", "yes");

    TwilioConfig c = TwilioConfig.from(Settings.from(base));
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.maxRequestsPerSecond()).isEqualTo(2.5);
    assertThat(c.allowInsecureHttp()).isTrue();
  }

  @Test
  void everySettingHasADescription() {
    for (Setting s : Setting.values()) {
      assertThat(s.description()).as(s.name()).isNotBlank();
    }
  }
}
