package dev.byoc.sourceip.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.CredentialsSecretRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An account's credentials are read from its Secret by key; problems name keys, never values. */
class SecretCredentialsTest {
  static final String SID = "AC" + "1".repeat(32);
  static final String KEY = "SK" + "2".repeat(32);

  static Secret secret(Map<String, String> values) {
    Map<String, String> data = new HashMap<>();
    values.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName("twilio")
        .withNamespace("team")
        .endMetadata()
        .withData(data)
        .build();
  }

  @Test
  void anAccountSidAndAuthTokenAreRead() {
    var read =
        SecretCredentials.read(
            secret(Map.of("accountSid", SID, "authToken", "tok")), new CredentialsSecretRef("x"));

    assertThat(read)
        .isInstanceOfSatisfying(
            SecretCredentials.Usable.class,
            u -> {
              assertThat(u.credentials().accountSid()).isEqualTo(SID);
              assertThat(u.credentials().password()).isEqualTo("tok");
            });
  }

  @Test
  void anApiKeyAuthenticatesInsteadOfTheTokenUnderConfiguredKeyNames() {
    CredentialsSecretRef ref = new CredentialsSecretRef("x");
    ref.setAccountSidKey("sid");
    ref.setApiKeyKey("key");
    ref.setApiSecretKey("secret");

    var read = SecretCredentials.read(secret(Map.of("sid", SID, "key", KEY, "secret", "s3")), ref);

    assertThat(read)
        .isInstanceOfSatisfying(
            SecretCredentials.Usable.class,
            u -> {
              assertThat(u.credentials().username()).isEqualTo(KEY);
              assertThat(u.credentials().password()).isEqualTo("s3");
            });
  }

  @Test
  void stringDataIsReadWhereAServerDidNotFoldItIntoData() {
    Secret s = secret(Map.of());
    s.setData(null);
    s.setStringData(Map.of("accountSid", SID, "authToken", "tok"));

    assertThat(SecretCredentials.read(s, new CredentialsSecretRef("x")))
        .isInstanceOf(SecretCredentials.Usable.class);
  }

  @Test
  void whatIsMissingOrMalformedIsNamedByKeyNeverByValue() {
    var read =
        SecretCredentials.read(
            secret(Map.of("accountSid", "not-a-sid-secretish", "apiKey", KEY)),
            new CredentialsSecretRef("x"));

    assertThat(read)
        .isInstanceOfSatisfying(
            SecretCredentials.Unusable.class,
            u ->
                assertThat(u.problem())
                    .contains("Secret team/twilio")
                    .contains("key accountSid is not an Account SID")
                    .contains("key apiKey is set but apiSecret is missing")
                    .doesNotContain("not-a-sid-secretish"));
  }

  @Test
  void neitherTokenNorKeyIsUnusable() {
    assertThat(
            SecretCredentials.read(
                secret(Map.of("accountSid", SID)), new CredentialsSecretRef("x")))
        .isInstanceOfSatisfying(
            SecretCredentials.Unusable.class,
            u -> assertThat(u.problem()).contains("neither key authToken"));
  }
}
