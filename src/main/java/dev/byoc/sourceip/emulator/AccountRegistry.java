package dev.byoc.sourceip.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The accounts and API keys the emulator knows, and HTTP Basic authentication against them. */
final class AccountRegistry {
  private final Map<String, EmulatorAccount> accounts = new ConcurrentHashMap<>();
  private final Map<String, EmulatorApiKey> keys = new ConcurrentHashMap<>();
  private final List<String> order = new ArrayList<>();

  /** Adds an account, or replaces the token of a known one. */
  synchronized EmulatorAccount add(String sid, String token) {
    if (!Sids.matches("AC", sid)) {
      throw new IllegalArgumentException("account SID must match ^AC[0-9a-fA-F]{32}$: " + sid);
    }
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("auth token of " + sid + " must not be blank");
    }
    EmulatorAccount account = new EmulatorAccount(sid, token);
    if (accounts.put(sid, account) == null) {
      order.add(sid);
    }
    return account;
  }

  synchronized EmulatorApiKey addKey(String accountSid, String keySid, String secret) {
    if (!accounts.containsKey(accountSid)) {
      throw new IllegalArgumentException(
          "API key " + keySid + " names unknown account " + accountSid);
    }
    if (!Sids.matches("SK", keySid)) {
      throw new IllegalArgumentException("API key SID must match ^SK[0-9a-fA-F]{32}$: " + keySid);
    }
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("secret of API key " + keySid + " must not be blank");
    }
    EmulatorApiKey key = new EmulatorApiKey(accountSid, keySid, secret);
    keys.put(keySid, key);
    return key;
  }

  synchronized List<EmulatorAccount> accounts() {
    return order.stream().map(accounts::get).toList();
  }

  synchronized List<EmulatorApiKey> keys() {
    return List.copyOf(keys.values());
  }

  boolean isEmpty() {
    return accounts.isEmpty();
  }

  /** The account SID that an Authorization header proves, or null. */
  String authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String user = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    EmulatorAccount account = accounts.get(user);
    if (account != null) {
      return same(account.authToken(), password) ? account.sid() : null;
    }
    EmulatorApiKey key = keys.get(user);
    if (key != null && same(key.secret(), password) && accounts.containsKey(key.accountSid())) {
      return key.accountSid();
    }
    return null;
  }

  private static boolean same(String expected, String given) {
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
