package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code fieldSelector} as the API server takes it: {@code a=b,c!=d} ({@code ==} too), over the
 * fields it supports: {@code metadata.name} and {@code metadata.namespace} for every kind, and for
 * Events also {@code involvedObject.*}, {@code reason}, {@code type}, {@code source} and {@code
 * reportingComponent}; for Namespaces {@code status.phase}.
 */
record FieldSelector(List<Requirement> requirements) {
  private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");
  private static final Set<String> EVENT_FIELDS =
      Set.of(
          "involvedObject.kind",
          "involvedObject.namespace",
          "involvedObject.name",
          "involvedObject.uid",
          "involvedObject.apiVersion",
          "involvedObject.resourceVersion",
          "involvedObject.fieldPath",
          "reason",
          "reportingComponent",
          "source",
          "type");

  record Requirement(String field, String value, boolean equal) {}

  static final FieldSelector EVERYTHING = new FieldSelector(List.of());

  /**
   * Parses {@code selector} for {@code kind}; throws IllegalArgumentException with the API server's
   * message for a field the kind does not support.
   */
  static FieldSelector parse(String selector, ApiKinds.Kind kind) {
    if (selector == null || selector.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String term : selector.split(",")) {
      if (term.isBlank()) {
        continue;
      }
      boolean equal;
      String[] sides;
      if (term.contains("!=")) {
        equal = false;
        sides = term.split("!=", 2);
      } else if (term.contains("==")) {
        equal = true;
        sides = term.split("==", 2);
      } else if (term.contains("=")) {
        equal = true;
        sides = term.split("=", 2);
      } else {
        throw new IllegalArgumentException("invalid selector: '" + selector + "'");
      }
      String field = sides[0].trim();
      if (!supported(field, kind)) {
        throw new IllegalArgumentException("field label not supported: " + field);
      }
      requirements.add(new Requirement(field, sides[1].trim(), equal));
    }
    return new FieldSelector(List.copyOf(requirements));
  }

  private static boolean supported(String field, ApiKinds.Kind kind) {
    if (COMMON.contains(field)) {
      return true;
    }
    if (kind == ApiKinds.EVENTS) {
      return EVENT_FIELDS.contains(field);
    }
    return kind == ApiKinds.NAMESPACES && field.equals("status.phase");
  }

  boolean isEmpty() {
    return requirements.isEmpty();
  }

  boolean matches(JsonNode object) {
    for (Requirement r : requirements) {
      boolean equal = value(object, r.field()).equals(r.value());
      if (equal != r.equal()) {
        return false;
      }
    }
    return true;
  }

  /** The field's value as the API server's field set gives it ("" when absent). */
  private static String value(JsonNode object, String field) {
    if (field.equals("source")) {
      return object.path("source").path("component").asText("");
    }
    JsonNode node = object;
    for (String part : field.split("\\.")) {
      node = node.path(part);
    }
    return node.isValueNode() ? node.asText() : "";
  }
}
