package dev.byoc.sourceip.config;

import static dev.byoc.sourceip.config.Setting.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The four credential settings, kept apart from the rest because they alone may be missing or
 * malformed without stopping the operator: they are only reported ({@link #problem}). Its {@code
 * toString} never shows a secret.
 */
public record TwilioCredentials(
    String accountSid, String authToken, String apiKey, String apiSecret) {

  private static final Pattern ACCOUNT_SID = Pattern.compile("^AC[0-9a-fA-F]{32}$");
  private static final Pattern API_KEY_SID = Pattern.compile("^SK[0-9a-fA-F]{32}$");

  static TwilioCredentials from(Settings s) {
    return new TwilioCredentials(
        s.string(TWILIO_ACCOUNT_SID),
        s.string(TWILIO_AUTH_TOKEN),
        s.string(TWILIO_API_KEY),
        s.string(TWILIO_API_SECRET));
  }

  /** The same account, authenticated by an API key instead of the Auth Token. */
  public TwilioCredentials withApiKey(String keySid, String secret) {
    return new TwilioCredentials(accountSid, null, keySid, secret);
  }

  /** The Basic-auth user name: the API key when one is set, else the Account SID. */
  public String username() {
    return apiKey != null ? apiKey : accountSid;
  }

  /** The Basic-auth password: the API secret when a key is set, else the Auth Token. */
  public String password() {
    return apiKey != null ? apiSecret : authToken;
  }

  /**
   * What makes the credentials unusable, naming the variables (never a secret's value), or empty
   * when they are usable.
   */
  public Optional<String> problem() {
    if (accountSid == null && authToken == null && apiKey == null && apiSecret == null) {
      return Optional.of(
          TWILIO_ACCOUNT_SID.envName()
              + " and "
              + TWILIO_AUTH_TOKEN.envName()
              + " (or "
              + TWILIO_API_KEY.envName()
              + " with "
              + TWILIO_API_SECRET.envName()
              + ") are not set");
    }
    List<String> problems = new ArrayList<>();
    if (accountSid == null) {
      problems.add(TWILIO_ACCOUNT_SID.envName() + " is not set");
    } else if (!ACCOUNT_SID.matcher(accountSid).matches()) {
      problems.add(TWILIO_ACCOUNT_SID.envName() + " is not an Account SID (AC + 32 hex digits)");
    }
    if (apiKey != null && !API_KEY_SID.matcher(apiKey).matches()) {
      problems.add(TWILIO_API_KEY.envName() + " is not an API Key SID (SK + 32 hex digits)");
    }
    if (apiKey != null && apiSecret == null) {
      problems.add(
          TWILIO_API_KEY.envName() + " is set but " + TWILIO_API_SECRET.envName() + " is not");
    } else if (apiKey == null && apiSecret != null) {
      problems.add(
          TWILIO_API_SECRET.envName() + " is set but " + TWILIO_API_KEY.envName() + " is not");
    } else if (apiKey == null && authToken == null) {
      problems.add(
          TWILIO_AUTH_TOKEN.envName()
              + ", or "
              + TWILIO_API_KEY.envName()
              + " with "
              + TWILIO_API_SECRET.envName()
              + ", is not set");
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  @Override
  public String toString() {
    return "accountSid="
        + accountSid
        + ", auth="
        + (problem().isPresent()
            ? "unusable"
            : apiKey != null ? "apiKey " + apiKey + " + secret ****" : "authToken ****");
  }
}
