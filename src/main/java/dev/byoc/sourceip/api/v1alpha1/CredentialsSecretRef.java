package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * The Secret holding an account's credentials, and the keys to read in it: an Account SID with
 * either its Auth Token or an API key and secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialsSecretRef {
  /** Only Secrets with this label are read (and cached) by the operator. */
  public static final String LABEL = SourceIpMapping.GROUP + "/twilio-credentials";

  @Required
  @Size(min = 1, max = 253)
  @JsonPropertyDescription(
      "metadata.name of the Secret: in the TwilioAccount's namespace, or for a"
          + " ClusterTwilioAccount in the operator's namespace. It must carry the label"
          + " voice.byoc.dev/twilio-credentials: \"true\" (the operator reads no other Secret).")
  private String name;

  @JsonPropertyDescription("Key of the Account SID (AC...) in the Secret; default accountSid.")
  private String accountSidKey;

  @JsonPropertyDescription(
      "Key of the Auth Token in the Secret; default authToken. Used when the API key is absent.")
  private String authTokenKey;

  @JsonPropertyDescription(
      "Key of an API key SID (SK...) in the Secret; default apiKey. When present, the key and its"
          + " secret authenticate instead of the Auth Token.")
  private String apiKeyKey;

  @JsonPropertyDescription("Key of the API key's secret in the Secret; default apiSecret.")
  private String apiSecretKey;

  public CredentialsSecretRef() {}

  public CredentialsSecretRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getAccountSidKey() {
    return accountSidKey;
  }

  public void setAccountSidKey(String accountSidKey) {
    this.accountSidKey = accountSidKey;
  }

  public String getAuthTokenKey() {
    return authTokenKey;
  }

  public void setAuthTokenKey(String authTokenKey) {
    this.authTokenKey = authTokenKey;
  }

  public String getApiKeyKey() {
    return apiKeyKey;
  }

  public void setApiKeyKey(String apiKeyKey) {
    this.apiKeyKey = apiKeyKey;
  }

  public String getApiSecretKey() {
    return apiSecretKey;
  }

  public void setApiSecretKey(String apiSecretKey) {
    this.apiSecretKey = apiSecretKey;
  }

  @JsonIgnore
  public String effectiveAccountSidKey() {
    return accountSidKey == null ? "accountSid" : accountSidKey;
  }

  @JsonIgnore
  public String effectiveAuthTokenKey() {
    return authTokenKey == null ? "authToken" : authTokenKey;
  }

  @JsonIgnore
  public String effectiveApiKeyKey() {
    return apiKeyKey == null ? "apiKey" : apiKeyKey;
  }

  @JsonIgnore
  public String effectiveApiSecretKey() {
    return apiSecretKey == null ? "apiSecret" : apiSecretKey;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CredentialsSecretRef r
        && Objects.equals(name, r.name)
        && Objects.equals(accountSidKey, r.accountSidKey)
        && Objects.equals(authTokenKey, r.authTokenKey)
        && Objects.equals(apiKeyKey, r.apiKeyKey)
        && Objects.equals(apiSecretKey, r.apiSecretKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, accountSidKey, authTokenKey, apiKeyKey, apiSecretKey);
  }
}
