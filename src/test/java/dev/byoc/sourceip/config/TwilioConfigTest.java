package dev.byoc.sourceip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.KnownSecrets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    assertThat(c.credentials().username()).isEqualTo(SID);
    assertThat(c.credentials().password()).isEqualTo(TOKEN);
    assertThat(c.endpoints().voice().toString()).isEqualTo("https://voice.twilio.com/");
    assertThat(c.paging()).isEqualTo(new TwilioConfig.Paging(1000, 10000));
    assertThat(c.limits()).isEqualTo(new TwilioConfig.Limits(10, 50, Duration.ofMinutes(5)));
    assertThat(c.timeouts())
        .isEqualTo(new TwilioConfig.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30)));
    assertThat(c.retry())
        .isEqualTo(new TwilioConfig.Retry(4, Duration.ofMillis(250), Duration.ofSeconds(20)));
  }

  @Test
  void concurrencyAdaptsBelowTheCeilingUnlessSwitchedOff() {
    Map<String, String> base = env("TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", TOKEN);
    assertThat(TwilioConfig.from(Settings.from(base)).limits().adaptiveConcurrency()).isTrue();

    base.put("TWILIO_ADAPTIVE_CONCURRENCY", "false");
    assertThat(TwilioConfig.from(Settings.from(base)).limits().adaptiveConcurrency()).isFalse();
    base.put("TWILIO_ADAPTIVE_CONCURRENCY", "sometimes");
    assertThatThrownBy(() -> TwilioConfig.from(Settings.from(base)))
        .hasMessageContaining("TWILIO_ADAPTIVE_CONCURRENCY is 'sometimes'");
  }

  @Test
  void apiKeyIsTheUserWhenSet() {
    TwilioConfig c =
        TwilioConfig.from(
            Settings.from(
                env("TWILIO_ACCOUNT_SID", SID, "TWILIO_API_KEY", KEY, "TWILIO_API_SECRET", TOKEN)));

    assertThat(c.credentials().username()).isEqualTo(KEY);
    assertThat(c.credentials().password()).isEqualTo(TOKEN);
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

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "nothing (no Secret)|||||TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY with"
            + " TWILIO_API_SECRET) are not set",
        "no account SID||tok-9f8e|||TWILIO_ACCOUNT_SID is not set",
        "malformed account SID|ACnope|tok-9f8e|||TWILIO_ACCOUNT_SID is not an Account SID (AC + 32 hex"
            + " digits)",
        "lower-case account prefix|ac0123456789abcdef0123456789abcdef|tok-9f8e|||TWILIO_ACCOUNT_SID is"
            + " not an Account SID (AC + 32 hex digits)",
        "neither token nor key|SID||||TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with TWILIO_API_SECRET,"
            + " is not set",
        "key without secret|SID||KEY||TWILIO_API_KEY is set but TWILIO_API_SECRET is not",
        "secret without key|SID|||s3cr3t|TWILIO_API_SECRET is set but TWILIO_API_KEY is not",
        "malformed key|SID||SKbad|s3cr3t|TWILIO_API_KEY is not an API Key SID (SK + 32 hex digits)",
        "two problems|ACnope||||TWILIO_ACCOUNT_SID is not an Account SID (AC + 32 hex digits);"
            + " TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with TWILIO_API_SECRET, is not set"
      })
  void unusableCredentialsAreReportedByNameNeverByValue(
      String row, String sid, String token, String key, String secret, String problem) {
    Map<String, String> env = new HashMap<>();
    putUnlessNull(env, "TWILIO_ACCOUNT_SID", "SID".equals(sid) ? SID : sid);
    putUnlessNull(env, "TWILIO_AUTH_TOKEN", token);
    putUnlessNull(env, "TWILIO_API_KEY", "KEY".equals(key) ? KEY : key);
    putUnlessNull(env, "TWILIO_API_SECRET", secret);

    TwilioConfig c = TwilioConfig.from(Settings.from(env));

    assertThat(c.credentialsProblem()).as(row).contains(problem);
    assertThatThrownBy(c::requireCredentials)
        .isInstanceOf(ConfigException.class)
        .hasMessage(problem + ".");
    assertThat(c.credentialsProblem().orElseThrow() + c)
        .doesNotContain("tok-9f8e")
        .doesNotContain("s3cr3t");
    assertThat(c.toString()).contains("auth=unusable");
  }

  @Test
  void usableCredentialsHaveNoProblem() {
    TwilioConfig token =
        TwilioConfig.from(
            Settings.from(env("TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", TOKEN)));
    TwilioConfig both =
        TwilioConfig.from(
            Settings.from(
                env(
                    "TWILIO_ACCOUNT_SID",
                    SID,
                    "TWILIO_AUTH_TOKEN",
                    TOKEN,
                    "TWILIO_API_KEY",
                    KEY,
                    "TWILIO_API_SECRET",
                    "other")));

    assertThat(token.credentialsProblem()).isEmpty();
    assertThat(token.requireCredentials()).isSameAs(token);
    assertThat(both.credentialsProblem()).isEmpty();
    assertThat(both.credentials().username()).as("the key wins when both are set").isEqualTo(KEY);
  }

  private static void putUnlessNull(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
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
    base.put("TWILIO_BASE_URL", "http://10.0.0.5:8080");

    TwilioConfig c = TwilioConfig.from(Settings.from(base));
    assertThat(c.timeouts().read()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.limits().requestsPerSecond()).isEqualTo(2.5);
    assertThat(c.endpoints().voice().host()).as("plain http allowed").isEqualTo("10.0.0.5");
  }

  @Test
  void aBadHostSettingIsRefusedWhenTheSettingsAreRead() {
    Map<String, String> base = env("TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", TOKEN);
    base.put("TWILIO_BASE_URL", "http://10.0.0.5:8080");
    assertThatThrownBy(() -> TwilioConfig.from(Settings.from(base)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("plain http on non-loopback host 10.0.0.5");

    Map<String, String> noCredentials = env("TWILIO_REGION", "au1/../x");
    assertThatThrownBy(() -> TwilioConfig.from(Settings.from(noCredentials)))
        .as("refused even when the credentials are missing")
        .hasMessageContaining("TWILIO_REGION is 'au1/../x'");
  }

  @Test
  void everySettingHasADescription() {
    for (Setting s : Setting.values()) {
      assertThat(s.description()).as(s.name()).isNotBlank();
    }
  }
}
