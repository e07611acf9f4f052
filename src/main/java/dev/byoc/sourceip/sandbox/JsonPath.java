package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of Kubernetes JSONPath that printer columns use: {@code .a.b}, {@code [0]}, {@code [*]}
 * and the filter {@code [?(@.field=="value")]} (also {@code !=}), optionally in braces.
 */
final class JsonPath {
  private JsonPath() {}

  /** Every value the path reaches, in document order; empty when it reaches none. */
  static List<JsonNode> find(JsonNode root, String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1).trim();
    }
    if (p.startsWith("$")) {
      p = p.substring(1);
    }
    List<JsonNode> current = new ArrayList<>();
    if (root != null) {
      current.add(root);
    }
    int i = 0;
    while (i < p.length() && !current.isEmpty()) {
      char c = p.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
          end++;
        }
        String field = p.substring(i + 1, end);
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode n : current) {
          if (field.isEmpty()) {
            next.add(n);
          } else if (n.isObject() && n.has(field)) {
            next.add(n.get(field));
          }
        }
        current = next;
        i = end;
      } else if (c == '[') {
        int end = closing(p, i);
        String inside = p.substring(i + 1, end).trim();
        current = bracket(current, inside);
        i = end + 1;
      } else {
        throw new IllegalArgumentException("unsupported JSONPath " + path + " at " + i);
      }
    }
    return current.stream().filter(n -> !n.isMissingNode()).toList();
  }

  private static int closing(String p, int open) {
    boolean quoted = false;
    int depth = 0;
    for (int i = open; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '"' || c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '[') {
        depth++;
      } else if (!quoted && c == ']' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unclosed [ in JSONPath " + p);
  }

  private static List<JsonNode> bracket(List<JsonNode> current, String inside) {
    List<JsonNode> next = new ArrayList<>();
    if (inside.equals("*")) {
      for (JsonNode n : current) {
        n.elements().forEachRemaining(next::add);
      }
    } else if (inside.startsWith("?(") && inside.endsWith(")")) {
      String filter = inside.substring(2, inside.length() - 1).trim();
      boolean negated = filter.contains("!=");
      String[] sides = filter.split(negated ? "!=" : "==", 2);
      if (sides.length != 2 || !sides[0].trim().startsWith("@")) {
        throw new IllegalArgumentException("unsupported JSONPath filter " + inside);
      }
      String field = sides[0].trim().substring(1);
      String value = unquote(sides[1].trim());
      for (JsonNode n : current) {
        for (JsonNode element : n.isArray() ? iterable(n) : List.of(n)) {
          List<JsonNode> found = find(element, field);
          boolean equal = !found.isEmpty() && found.get(0).asText().equals(value);
          if (equal != negated) {
            next.add(element);
          }
        }
      }
    } else if (inside.startsWith("'") || inside.startsWith("\"")) {
      String field = unquote(inside);
      for (JsonNode n : current) {
        if (n.has(field)) {
          next.add(n.get(field));
        }
      }
    } else {
      int index = Integer.parseInt(inside);
      for (JsonNode n : current) {
        if (n.isArray()) {
          int at = index < 0 ? n.size() + index : index;
          if (at >= 0 && at < n.size()) {
            next.add(n.get(at));
          }
        }
      }
    }
    return next;
  }

  private static List<JsonNode> iterable(JsonNode array) {
    List<JsonNode> elements = new ArrayList<>();
    array.elements().forEachRemaining(elements::add);
    return elements;
  }

  private static String unquote(String s) {
    if (s.length() >= 2
        && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
