package dev.byoc.sourceip;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The credentials the test suites use, few and fixed, so that the scan at the end of the build
 * ({@code secretscan.SecretScan}) can look for each of them in every log and report.
 *
 * <p>Every secret holds "SENTINEL" and characters that URL encoding changes ({@code +} and {@code
 * /}), so that its raw, URL-encoded and base64 forms all differ and each is looked for.
 */
public final class KnownSecrets {
  /** The account of most tests; a SID, not a secret (but the Basic-auth user). */
  public static final String ACCOUNT_SID = "AC" + "0a5ec2e7".repeat(4);

  /** A second account, for tests of isolation between accounts. */
  public static final String OTHER_ACCOUNT_SID = "AC" + "0b5ec2e7".repeat(4);

  /** The API key of {@link #ACCOUNT_SID}; a SID, not a secret (but the Basic-auth user). */
  public static final String API_KEY_SID = "SK" + "0c5ec2e7".repeat(4);

  public static final String AUTH_TOKEN = "SENTINEL+auth/token+3f9a1c7e5b2d4f60";
  public static final String OTHER_AUTH_TOKEN = "SENTINEL+other/token+8d2b6f0a4c1e9735";
  public static final String API_SECRET = "SENTINEL+api/secret+e1c3a5b7d9f02468";

  /** The token of {@link #ACCOUNT_SID} after a rotation, in tests of rotation without restart. */
  public static final String ROTATED_AUTH_TOKEN = "SENTINEL+rotated/token+9e8d7c6b5a4f3e2d";

  /** A token the emulator does not accept: wrong credentials are still credentials. */
  public static final String WRONG_AUTH_TOKEN = "SENTINEL+wrong/token+7a6b5c4d3e2f1a0b";

  /** API keys of ACCOUNT_SID, one per replica in the leader-election tests, and their secrets. */
  public static final List<String> REPLICA_KEY_SIDS =
      List.of(
          "SK" + "1d5ec2e7".repeat(4), "SK" + "2d5ec2e7".repeat(4), "SK" + "3d5ec2e7".repeat(4));

  public static final List<String> REPLICA_SECRETS =
      List.of(
          "SENTINEL+replica/one+4b1a9c8d7e6f5041",
          "SENTINEL+replica/two+5c2b0d9e8f7a6152",
          "SENTINEL+replica/three+6d3c1e0f9a8b7263");

  /** The bearer token of the kubeconfigs the tests write for operator processes. */
  public static final String KUBERNETES_TOKEN = "SENTINEL+kube/token+5d4c3b2a19f8e7d6";

  private KnownSecrets() {}

  /** Every secret by its name (the name, never the value, goes into a scan report). */
  public static Map<String, String> secrets() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("AUTH_TOKEN", AUTH_TOKEN);
    all.put("OTHER_AUTH_TOKEN", OTHER_AUTH_TOKEN);
    all.put("API_SECRET", API_SECRET);
    all.put("WRONG_AUTH_TOKEN", WRONG_AUTH_TOKEN);
    all.put("ROTATED_AUTH_TOKEN", ROTATED_AUTH_TOKEN);
    all.put("KUBERNETES_TOKEN", KUBERNETES_TOKEN);
    for (int i = 0; i < REPLICA_SECRETS.size(); i++) {
      all.put("REPLICA_SECRET_" + (i + 1), REPLICA_SECRETS.get(i));
    }
    return all;
  }

  /** The Basic-auth users the secrets are sent with, for their {@code user:secret} forms. */
  public static List<String> users() {
    List<String> users =
        new java.util.ArrayList<>(List.of(ACCOUNT_SID, OTHER_ACCOUNT_SID, API_KEY_SID));
    users.addAll(REPLICA_KEY_SIDS);
    return List.copyOf(users);
  }
}
