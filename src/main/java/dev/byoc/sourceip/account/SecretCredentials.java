package dev.byoc.sourceip.account;

import dev.byoc.sourceip.api.v1alpha1.CredentialsSecretRef;
import dev.byoc.sourceip.config.TwilioCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads an account's credentials from its Secret by the keys its spec names; what is missing or
 * malformed is said by key name, never by value.
 */
public final class SecretCredentials {
  private static final Pattern ACCOUNT_SID = Pattern.compile("^AC[0-9a-fA-F]{32}$");
  private static final Pattern API_KEY_SID = Pattern.compile("^SK[0-9a-fA-F]{32}$");

  private SecretCredentials() {}

  /** The credentials, or a problem naming the Secret and its keys. */
  public sealed interface Read permits Usable, Unusable {}

  public record Usable(TwilioCredentials credentials) implements Read {}

  public record Unusable(String problem) implements Read {}

  public static Read read(Secret secret, CredentialsSecretRef ref) {
    String where =
        "Secret " + secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    String accountSid = value(secret, ref.effectiveAccountSidKey());
    String authToken = value(secret, ref.effectiveAuthTokenKey());
    String apiKey = value(secret, ref.effectiveApiKeyKey());
    String apiSecret = value(secret, ref.effectiveApiSecretKey());
    List<String> problems = new ArrayList<>();
    if (accountSid == null) {
      problems.add("key " + ref.effectiveAccountSidKey() + " is missing or empty");
    } else if (!ACCOUNT_SID.matcher(accountSid).matches()) {
      problems.add("key " + ref.effectiveAccountSidKey() + " is not an Account SID (AC + 32 hex)");
    }
    if (apiKey != null && !API_KEY_SID.matcher(apiKey).matches()) {
      problems.add("key " + ref.effectiveApiKeyKey() + " is not an API Key SID (SK + 32 hex)");
    }
    if (apiKey != null && apiSecret == null) {
      problems.add(
          "key "
              + ref.effectiveApiKeyKey()
              + " is set but "
              + ref.effectiveApiSecretKey()
              + " is missing");
    } else if (apiKey == null && authToken == null) {
      problems.add(
          "neither key "
              + ref.effectiveAuthTokenKey()
              + " nor keys "
              + ref.effectiveApiKeyKey()
              + " and "
              + ref.effectiveApiSecretKey()
              + " are set");
    }
    if (!problems.isEmpty()) {
      return new Unusable(where + ": " + String.join("; ", problems));
    }
    return new Usable(
        apiKey != null
            ? new TwilioCredentials(accountSid, null, apiKey, apiSecret)
            : new TwilioCredentials(accountSid, authToken, null, null));
  }

  /** A key's value: from data (base64), else from stringData (a server that did not fold it). */
  private static String value(Secret secret, String key) {
    String text = null;
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        text =
            new String(
                Base64.getDecoder().decode(secret.getData().get(key).trim()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
    } else if (secret.getStringData() != null) {
      text = secret.getStringData().get(key);
    }
    return text == null || text.isBlank() ? null : text.trim();
  }
}
