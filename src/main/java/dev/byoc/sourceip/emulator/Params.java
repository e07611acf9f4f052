package dev.byoc.sourceip.emulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Form-encoded parameters (a POST body or a query string); the first value of a name wins. */
final class Params {
  private final Map<String, String> values;

  private Params(Map<String, String> values) {
    this.values = values;
  }

  static Params parse(String encoded) {
    Map<String, String> values = new LinkedHashMap<>();
    if (encoded != null && !encoded.isEmpty()) {
      for (String pair : encoded.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        values.putIfAbsent(name, value);
      }
    }
    return new Params(values);
  }

  /** Parameters given in code (seeding helpers); null values are left out. */
  static Params of(String... namesAndValues) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] != null) {
        values.put(namesAndValues[i], namesAndValues[i + 1]);
      }
    }
    return new Params(values);
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw TwilioError.badRequest("Malformed form encoding: " + e.getMessage());
    }
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String required(String name) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw TwilioError.missingParameter(name);
    }
    return value;
  }
}
