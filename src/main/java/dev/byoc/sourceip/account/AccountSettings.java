package dev.byoc.sourceip.account;

import dev.byoc.sourceip.config.TwilioCredentials;
import java.util.Objects;

/**
 * What an account object asks of its connection. Credentials of the same account can change in
 * place (rotation); anything else needs a new connection, with its own snapshot and limiter.
 *
 * @param credentialsVersion the Secret's resourceVersion the credentials were read at
 * @param maxConcurrentRequests null: the operator's setting
 * @param requestsPerSecond null: the operator's setting
 */
public record AccountSettings(
    TwilioCredentials credentials,
    String credentialsVersion,
    String region,
    String edge,
    Integer maxConcurrentRequests,
    Integer requestsPerSecond) {
  public AccountSettings {
    Objects.requireNonNull(credentials);
  }

  public String accountSid() {
    return credentials.accountSid();
  }

  /**
   * Whether a connection made for {@code other} serves these settings once given their credentials.
   */
  boolean sameConnection(AccountSettings other) {
    return other != null
        && accountSid().equals(other.accountSid())
        && Objects.equals(region, other.region)
        && Objects.equals(edge, other.edge)
        && Objects.equals(maxConcurrentRequests, other.maxConcurrentRequests)
        && Objects.equals(requestsPerSecond, other.requestsPerSecond);
  }
}
