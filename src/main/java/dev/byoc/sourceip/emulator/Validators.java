package dev.byoc.sourceip.emulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Parameter checks shared by the HTTP handlers and the in-process seeding helpers. */
final class Validators {
  static final int MAX_FRIENDLY_NAME = 255;
  private static final Pattern DOMAIN_NAME =
      Pattern.compile("^[A-Za-z0-9-]+\\.sip\\.twilio\\.com$");

  private Validators() {}

  static String sid(String name, String prefix, String value) {
    if (!Sids.matches(prefix, value)) {
      throw TwilioError.invalidParameter(
          name, "'" + value + "' does not match ^" + prefix + "[0-9a-fA-F]{32}$");
    }
    return value;
  }

  /** IPv4 in dotted decimal, four octets 0..255 without leading zeros. */
  static String ipv4(String name, String value) {
    if (Ipv4Block.address(value) == null) {
      throw TwilioError.invalidParameter(
          name, "'" + value + "' is not an IPv4 address in dotted decimal notation");
    }
    return value;
  }

  /** 1..32: Twilio documents IPv4 only, where 32 is the whole address and 0 would be all. */
  static int cidrPrefixLength(String name, String value) {
    int length;
    try {
      length = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw TwilioError.invalidParameter(name, "'" + value + "' is not an integer");
    }
    if (length < 1 || length > 32) {
      throw TwilioError.invalidParameter(name, length + " is outside 1..32");
    }
    return length;
  }

  static String friendlyName(String name, String value) {
    if (value.length() > MAX_FRIENDLY_NAME) {
      throw TwilioError.invalidParameter(
          name, "longer than " + MAX_FRIENDLY_NAME + " characters (" + value.length() + ")");
    }
    return value;
  }

  static String domainName(String name, String value) {
    if (!DOMAIN_NAME.matcher(value).matches() || value.length() > 255) {
      throw TwilioError.invalidParameter(
          name, "'" + value + "' must be letters, digits and '-' followed by '.sip.twilio.com'");
    }
    return value;
  }

  static String httpMethod(String name, String value) {
    String upper = value.toUpperCase(Locale.ROOT);
    if (!upper.equals("GET") && !upper.equals("POST")) {
      throw TwilioError.invalidParameter(name, "'" + value + "' must be GET or POST");
    }
    return upper;
  }

  /** An absolute http(s) URL, or null for an empty value (clears the field). */
  static String url(String name, String value) {
    if (value.isEmpty()) {
      return null;
    }
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (uri.getHost() != null
          && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        return value;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw TwilioError.invalidParameter(name, "'" + value + "' is not an absolute http(s) URL");
  }

  static boolean bool(String name, String value) {
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw TwilioError.invalidParameter(name, "'" + value + "' must be true or false");
  }
}
