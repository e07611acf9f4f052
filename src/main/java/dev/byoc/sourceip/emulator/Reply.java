package dev.byoc.sourceip.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a handler answers: a status, an optional JSON body and extra headers. */
record Reply(int status, JsonNode body, Map<String, String> headers) {

  static Reply json(int status, JsonNode body) {
    return new Reply(status, body, Map.of());
  }

  static Reply noContent() {
    return new Reply(204, null, Map.of());
  }

  Reply withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Reply(status, body, Map.copyOf(copy));
  }
}
