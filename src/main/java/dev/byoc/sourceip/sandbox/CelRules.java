package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CRD schema's {@code x-kubernetes-validations} rules, evaluated with CEL-Java as the API
 * server evaluates them: at each node that carries rules and is present, {@code self} is that node;
 * a rule that names {@code oldSelf} (a transition rule) runs only on an update whose stored object
 * has the node too. A rule that does not compile here (a Kubernetes-only function such as {@code
 * isURL} or {@code quantity}) is skipped; the operator checks its spec itself.
 */
final class CelRules {
  private final Cel cel =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .build();
  private final Map<String, Optional<CelRuntime.Program>> programs = new HashMap<>();

  /** The rules {@code object} breaks, worded as the API server words them. */
  List<SchemaValidation.Cause> check(JsonNode schema, JsonNode object, JsonNode old) {
    List<SchemaValidation.Cause> causes = new ArrayList<>();
    walk(schema, object, old, "", causes);
    return causes;
  }

  private void walk(
      JsonNode schema,
      JsonNode node,
      JsonNode old,
      String path,
      List<SchemaValidation.Cause> causes) {
    if (schema == null || node == null || node.isMissingNode() || node.isNull()) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      evaluate(rule, node, old, path, causes);
    }
    if (node.isObject()) {
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.get("additionalProperties");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        JsonNode child =
            properties.has(f.getKey())
                ? properties.get(f.getKey())
                : additional != null && additional.isObject() ? additional : null;
        if (child == null || path.isEmpty() && f.getKey().equals("metadata")) {
          continue;
        }
        JsonNode oldChild = old == null ? null : old.get(f.getKey());
        walk(
            child,
            f.getValue(),
            oldChild,
            path.isEmpty() ? f.getKey() : path + "." + f.getKey(),
            causes);
      }
    } else if (node.isArray() && schema.has("items")) {
      for (int i = 0; i < node.size(); i++) {
        // items of a plain list are not correlated with the stored object's
        walk(schema.get("items"), node.get(i), null, path + "[" + i + "]", causes);
      }
    }
  }

  private void evaluate(
      JsonNode rule,
      JsonNode node,
      JsonNode old,
      String path,
      List<SchemaValidation.Cause> causes) {
    String expression = rule.path("rule").asText("");
    boolean transition = expression.contains("oldSelf");
    if (expression.isEmpty() || transition && (old == null || old.isNull())) {
      return;
    }
    Optional<CelRuntime.Program> program = program(expression);
    if (program.isEmpty()) {
      return;
    }
    Map<String, Object> vars = new HashMap<>();
    vars.put("self", value(node));
    if (transition) {
      vars.put("oldSelf", value(old));
    }
    String field = path;
    if (rule.hasNonNull("fieldPath")) {
      String extra = rule.get("fieldPath").asText();
      field = path + (extra.startsWith(".") || path.isEmpty() ? extra : "." + extra);
      if (field.startsWith(".")) {
        field = field.substring(1);
      }
    }
    String reason = rule.path("reason").asText("FieldValueInvalid");
    Object result;
    try {
      result = program.get().eval(vars);
    } catch (CelEvaluationException e) {
      causes.add(
          new SchemaValidation.Cause(
              reason,
              field,
              "Invalid value: " + shown(node) + ": rule evaluation error: " + e.getMessage()));
      return;
    }
    if (Boolean.TRUE.equals(result)) {
      return;
    }
    String message =
        rule.hasNonNull("message") ? rule.get("message").asText() : "failed rule: " + expression;
    causes.add(
        new SchemaValidation.Cause(
            reason, field, "Invalid value: " + shown(node) + ": " + message));
  }

  private synchronized Optional<CelRuntime.Program> program(String expression) {
    return programs.computeIfAbsent(
        expression,
        e -> {
          try {
            return Optional.of(cel.createProgram(cel.compile(e).getAst()));
          } catch (CelValidationException | CelEvaluationException | RuntimeException x) {
            return Optional.empty();
          }
        });
  }

  private static String shown(JsonNode node) {
    return node.isObject()
        ? "\"object\""
        : node.isArray() ? "\"array\"" : SchemaValidation.show(node);
  }

  /** A JSON value as CEL-Java takes it: maps, lists, Long, Double, String, Boolean. */
  static Object value(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return dev.cel.common.values.NullValue.NULL_VALUE;
    } else if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(f -> map.put(f.getKey(), value(f.getValue())));
      return map;
    } else if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(n -> list.add(value(n)));
      return list;
    } else if (node.isIntegralNumber()) {
      return node.asLong();
    } else if (node.isNumber()) {
      return node.asDouble();
    } else if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }
}
