package dev.byoc.sourceip.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, an optional JSON body and extra headers; {@code spoiled} names
 * a fault that mangles the body on the wire (null for a faithful answer).
 */
record Reply(int status, JsonNode body, Map<String, String> headers, FaultKind spoiled) {

  static Reply json(int status, JsonNode body) {
    return new Reply(status, body, Map.of(), null);
  }

  static Reply noContent() {
    return new Reply(204, null, Map.of(), null);
  }

  Reply withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Reply(status, body, Map.copyOf(copy), spoiled);
  }

  /** The same answer, mangled on the wire by {@code fault}. */
  Reply spoiledBy(FaultKind fault) {
    return new Reply(fault == FaultKind.HTML ? 502 : status, body, headers, fault);
  }
}
