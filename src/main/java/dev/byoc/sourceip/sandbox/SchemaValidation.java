package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the API server does to a custom resource before it stores it, following the CRD's structural
 * openAPIV3Schema: nulls dropped where the schema does not allow them, unknown fields pruned (or
 * refused under {@code fieldValidation=Strict}), defaults filled in, then the object validated
 * (types, patterns, enums, required fields, bounds, lengths, item counts) with networknt's
 * JSON-schema validator and each failure reported the way the API server words it. CEL rules
 * ({@code x-kubernetes-validations}) are not evaluated: no CEL library is at hand.
 */
final class SchemaValidation {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  /** One failure, as the API server's StatusCause: reason, field path, message. */
  record Cause(String reason, String field, String message) {
    String text() {
      return field + ": " + message;
    }
  }

  /** The object as it would be stored, the fields pruned from it, and what made it invalid. */
  record Outcome(JsonNode object, List<String> unknownFields, List<Cause> causes) {
    boolean valid() {
      return causes.isEmpty();
    }
  }

  private final Map<String, Schema> schemas = new LinkedHashMap<>();
  private final CelRules cel = new CelRules();
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

  /** A create: {@link #validate(ApiKinds.Kind, JsonNode, JsonNode)} with no stored object. */
  Outcome validate(ApiKinds.Kind kind, JsonNode input) {
    return validate(kind, input, null);
  }

  /**
   * The object as it would be stored and what makes it invalid; {@code stored} is the object it
   * replaces (an update or patch), for the CEL rules that compare with {@code oldSelf}.
   */
  Outcome validate(ApiKinds.Kind kind, JsonNode input, JsonNode stored) {
    if (kind.schema() == null) {
      return new Outcome(input, List.of(), List.of());
    }
    JsonNode object = input.deepCopy();
    List<String> unknown = new ArrayList<>();
    structural(kind.schema(), object, "", true, unknown);
    List<Cause> causes = new ArrayList<>();
    for (Error e : schema(kind).validate(object)) {
      causes.add(cause(e));
    }
    causes = new ArrayList<>(dedupe(causes));
    if (causes.isEmpty()) {
      // as the API server: CEL rules run on an object whose schema checks passed
      causes.addAll(cel.check(kind.schema(), object, stored));
    }
    return new Outcome(object, List.copyOf(unknown), List.copyOf(causes));
  }

  /** Once and for all; a field of the wrong type reports only that (as the API server does). */
  private static List<Cause> dedupe(List<Cause> causes) {
    Set<String> mistyped =
        causes.stream()
            .filter(c -> c.reason().equals("FieldValueTypeInvalid"))
            .map(Cause::field)
            .collect(Collectors.toSet());
    return causes.stream()
        .distinct()
        .filter(c -> c.reason().equals("FieldValueTypeInvalid") || !mistyped.contains(c.field()))
        .toList();
  }

  private synchronized Schema schema(ApiKinds.Kind kind) {
    return schemas.computeIfAbsent(
        kind.apiVersion() + "/" + kind.kind(),
        k -> {
          ObjectNode schema = jsonSchema(kind.schema());
          // the API server checks metadata itself; apiVersion and kind select the schema
          if (schema.path("properties").isObject()) {
            ROOT_FIELDS.forEach(((ObjectNode) schema.get("properties"))::remove);
          }
          return registry.getSchema(schema);
        });
  }

  /**
   * The CRD's OpenAPI v3 schema as draft-4 JSON schema: {@code nullable} becomes a null type,
   * int-or-string drops its type, and the Kubernetes extensions and annotations go.
   */
  static ObjectNode jsonSchema(JsonNode openApi) {
    ObjectNode out = JSON.createObjectNode();
    boolean nullable = openApi.path("nullable").asBoolean(false);
    boolean intOrString = openApi.path("x-kubernetes-int-or-string").asBoolean(false);
    for (Iterator<Map.Entry<String, JsonNode>> it = openApi.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = f.getKey();
      JsonNode value = f.getValue();
      switch (key) {
        case "properties" -> {
          ObjectNode props = out.putObject("properties");
          value.properties().forEach(p -> props.set(p.getKey(), jsonSchema(p.getValue())));
        }
        case "items", "not" -> out.set(key, value.isObject() ? jsonSchema(value) : value);
        case "additionalProperties" -> out.set(key, value.isObject() ? jsonSchema(value) : value);
        case "allOf", "anyOf", "oneOf" -> {
          ArrayNode all = out.putArray(key);
          value.forEach(v -> all.add(jsonSchema(v)));
        }
        case "type" -> {
          if (!intOrString) {
            if (nullable) {
              out.putArray("type").add(value.asText()).add("null");
            } else {
              out.set("type", value);
            }
          }
        }
        case "required",
            "pattern",
            "enum",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "uniqueItems",
            "multipleOf",
            "minProperties",
            "maxProperties" ->
            out.set(key, value);
        default -> {
          // description, default, format, nullable, example, x-kubernetes-*: not assertions here
        }
      }
    }
    if (nullable && out.has("enum")) {
      ((ArrayNode) out.get("enum")).addNull();
    }
    return out;
  }

  /**
   * Drops nulls the schema does not allow, prunes fields it does not declare (recording their
   * paths), and fills in defaults, in place, as the API server does for a structural schema.
   */
  static void structural(
      JsonNode schema, JsonNode node, String path, boolean root, List<String> unknown) {
    if (node == null || schema == null) {
      return;
    }
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.get("additionalProperties");
      boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
      for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String key = f.getKey();
        String child = path.isEmpty() ? key : path + "." + key;
        if (root && ROOT_FIELDS.contains(key)) {
          continue;
        }
        JsonNode childSchema =
            properties.has(key)
                ? properties.get(key)
                : additional != null && additional.isObject() ? additional : null;
        if (childSchema == null) {
          if (!preserve && !(additional != null && additional.asBoolean(false))) {
            unknown.add(child);
            it.remove();
          }
          continue;
        }
        if (f.getValue().isNull() && !childSchema.path("nullable").asBoolean(false)) {
          it.remove();
          continue;
        }
        structural(childSchema, f.getValue(), child, false, unknown);
      }
      properties
          .properties()
          .forEach(
              p -> {
                JsonNode defaultValue = p.getValue().get("default");
                if (!object.has(p.getKey()) && defaultValue != null) {
                  object.set(p.getKey(), defaultValue.deepCopy());
                }
              });
    } else if (node.isArray() && schema.has("items")) {
      for (int i = 0; i < node.size(); i++) {
        structural(schema.get("items"), node.get(i), path + "[" + i + "]", false, unknown);
      }
    }
  }

  /** A validator failure, worded as Kubernetes' apiextensions validation words it. */
  static Cause cause(Error e) {
    String field = field(e.getInstanceLocation());
    JsonNode value = e.getInstanceNode();
    JsonNode rule = e.getSchemaNode();
    String where = field.isEmpty() ? "body" : field + " in body";
    return switch (e.getKeyword()) {
      case "required" -> {
        String missing = e.getProperty();
        yield new Cause(
            "FieldValueRequired",
            field.isEmpty() ? missing : field + "." + missing,
            "Required value");
      }
      case "pattern" -> invalid(field, value, where + " should match '" + rule.asText() + "'");
      case "enum" ->
          new Cause(
              "FieldValueNotSupported",
              field,
              "Unsupported value: "
                  + show(value)
                  + ": supported values: "
                  + streamOf(rule).map(SchemaValidation::show).collect(Collectors.joining(", ")));
      case "type" ->
          new Cause(
              "FieldValueTypeInvalid",
              field,
              "Invalid value: \""
                  + typeOf(value)
                  + "\": "
                  + where
                  + " must be of type "
                  + rule.asText()
                  + ": \""
                  + typeOf(value)
                  + "\"");
      case "minimum" ->
          invalid(field, value, where + " should be greater than or equal to " + number(rule));
      case "maximum" ->
          invalid(field, value, where + " should be less than or equal to " + number(rule));
      case "exclusiveMinimum" ->
          invalid(field, value, where + " should be greater than " + bound(e, "minimum"));
      case "exclusiveMaximum" ->
          invalid(field, value, where + " should be less than " + bound(e, "maximum"));
      case "minLength" ->
          invalid(field, value, where + " should be at least " + number(rule) + " chars long");
      case "maxLength" ->
          new Cause(
              "FieldValueTooLong",
              field,
              "Too long: may not be more than " + number(rule) + " bytes");
      case "minItems" ->
          invalid(field, value, where + " should have at least " + number(rule) + " items");
      case "maxItems" ->
          new Cause(
              "FieldValueTooMany",
              field,
              "Too many: " + value.size() + ": must have at most " + number(rule) + " items");
      default -> invalid(field, value, e.getMessage());
    };
  }

  /** A bound as Go's %v prints a float64: 5, not 5.0. */
  static String number(JsonNode n) {
    if (n != null && n.isNumber()) {
      double d = n.asDouble();
      if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
        return Long.toString((long) d);
      }
    }
    return n == null ? "" : n.asText();
  }

  private static String bound(Error e, String keyword) {
    JsonNode parent = e.getSchemaNode();
    return parent == null ? "the bound" : parent.asText();
  }

  private static Cause invalid(String field, JsonNode value, String detail) {
    return new Cause("FieldValueInvalid", field, "Invalid value: " + show(value) + ": " + detail);
  }

  private static java.util.stream.Stream<JsonNode> streamOf(JsonNode array) {
    List<JsonNode> all = new ArrayList<>();
    if (array != null) {
      array.forEach(all::add);
    }
    return all.stream();
  }

  /** A value as Go's %v/%q shows it in these messages. */
  static String show(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return JSON.valueToTree(value.asText()).toString();
    }
    if (value.isNumber()) {
      return number(value);
    }
    if (value.isValueNode()) {
      return value.asText();
    }
    return "\"" + typeOf(value) + "\"";
  }

  private static String typeOf(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    } else if (value.isTextual()) {
      return "string";
    } else if (value.isIntegralNumber()) {
      return "integer";
    } else if (value.isNumber()) {
      return "number";
    } else if (value.isBoolean()) {
      return "boolean";
    } else if (value.isArray()) {
      return "array";
    }
    return "object";
  }

  /** {@code spec.items[0].name} from the validator's instance location. */
  static String field(NodePath path) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      if (element instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(element);
      }
    }
    return out.toString();
  }

  /** The 422 Status the API server answers for an invalid object. */
  static ObjectNode invalidStatus(ApiKinds.Kind kind, String name, List<Cause> causes) {
    String list =
        causes.size() == 1
            ? causes.get(0).text()
            : causes.stream().map(Cause::text).collect(Collectors.joining(", ", "[", "]"));
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put(
        "message",
        kind.qualifiedKind() + " \"" + (name == null ? "" : name) + "\" is invalid: " + list);
    status.put("reason", "Invalid");
    ObjectNode details = status.putObject("details");
    if (name != null) {
      details.put("name", name);
    }
    details.put("group", kind.group());
    details.put("kind", kind.kind());
    ArrayNode items = details.putArray("causes");
    for (Cause c : causes) {
      items
          .addObject()
          .put("reason", c.reason())
          .put("message", c.message())
          .put("field", c.field());
    }
    status.put("code", 422);
    return status;
  }

  /** The 400 the API server answers under fieldValidation=Strict for fields the schema lacks. */
  static String strictMessage(ApiKinds.Kind kind, List<String> unknown) {
    String fields =
        unknown.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", "));
    return kind.kind()
        + " in version \""
        + kind.version()
        + "\" cannot be handled as a "
        + kind.kind()
        + ": strict decoding error: "
        + fields;
  }
}
