package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Iterator;
import java.util.Map;

/** JSON merge patches (RFC 7386) and JSON patches (RFC 6902, by zjsonpatch) applied to objects. */
final class Patches {
  private Patches() {}

  /** {@code target} with {@code patch} applied; {@code jsonPatch} for RFC 6902, else a merge. */
  static JsonNode apply(JsonNode target, JsonNode patch, boolean jsonPatch) {
    return jsonPatch ? JsonPatch.apply(patch, target) : merge(target, patch);
  }

  /** RFC 7386: objects merge key by key, null removes, anything else replaces. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getValue().isNull()) {
        result.remove(f.getKey());
      } else {
        result.set(f.getKey(), merge(result.get(f.getKey()), f.getValue()));
      }
    }
    return result;
  }

  /** The merge patch that turns {@code from} into {@code to}. */
  static JsonNode diff(JsonNode from, JsonNode to) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = from.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!to.has(f.getKey())) {
        patch.putNull(f.getKey());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = to.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      JsonNode before = from.get(f.getKey());
      if (before == null || !before.equals(f.getValue())) {
        patch.set(
            f.getKey(),
            before != null && before.isObject() && f.getValue().isObject()
                ? diff(before, f.getValue())
                : f.getValue().deepCopy());
      }
    }
    return patch;
  }

  /**
   * A strategic merge patch without its directives ({@code $patch}, {@code $retainKeys}, {@code
   * $setElementOrder/...}, {@code $deleteFromPrimitiveList/...}): for the simple objects the
   * sandbox serves (Namespaces, Events) what remains is a merge patch.
   */
  static JsonNode withoutDirectives(JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    patch
        .properties()
        .forEach(
            f -> {
              if (!f.getKey().startsWith("$")) {
                result.set(f.getKey(), withoutDirectives(f.getValue()));
              }
            });
    return result;
  }
}
