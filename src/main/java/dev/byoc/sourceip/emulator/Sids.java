package dev.byoc.sourceip.emulator;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Makes and checks Twilio-style SIDs: a two-letter prefix and 32 hex digits. */
final class Sids {
  private static final SecureRandom SECRETS = new SecureRandom();

  private Sids() {}

  /** A fresh SID with the given prefix and 32 lowercase hex digits. */
  static String next(String prefix) {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }

  /** A fresh 32-hex-digit secret (auth token), from a secure random source. */
  static String secret() {
    byte[] bytes = new byte[16];
    SECRETS.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  static Pattern pattern(String prefix) {
    return Pattern.compile("^" + prefix + "[0-9a-fA-F]{32}$");
  }

  static boolean matches(String prefix, String value) {
    return value != null
        && value.length() == 34
        && value.startsWith(prefix)
        && pattern(prefix).matcher(value).matches();
  }
}
