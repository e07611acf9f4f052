package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI documents the API server publishes, built from the CRDs: {@code /openapi/v3} (the
 * index), one document per group/version ({@code /openapi/v3/apis/GROUP/VERSION}, and {@code
 * /openapi/v3/api/v1} for Namespaces and Events) and {@code /openapi/v2} in JSON. {@code kubectl
 * explain} reads the schemas; {@code kubectl apply} finds in each PATCH operation that the server
 * takes {@code fieldValidation}, so it leaves validation to the server (which {@link
 * SchemaValidation} does) instead of downloading the protobuf OpenAPI v2 document.
 */
final class OpenApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  static final String LIST_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

  private OpenApi() {}

  /** Path (without query) to document, for every document this API serves. */
  static Map<String, String> documents(ApiKinds kinds) {
    Map<String, List<ApiKinds.Kind>> byGroupVersion = new LinkedHashMap<>();
    for (ApiKinds.Kind k : kinds.all()) {
      String gv = k.group().isEmpty() ? "api/" + k.version() : "apis/" + k.apiVersion();
      byGroupVersion.computeIfAbsent(gv, x -> new java.util.ArrayList<>()).add(k);
    }
    Map<String, String> documents = new LinkedHashMap<>();
    ObjectNode index = JSON.createObjectNode();
    ObjectNode paths = index.putObject("paths");
    for (Map.Entry<String, List<ApiKinds.Kind>> e : byGroupVersion.entrySet()) {
      String body = Tables.json(JSON, v3(e.getValue()));
      documents.put("/openapi/v3/" + e.getKey(), body);
      paths
          .putObject(e.getKey())
          .put("serverRelativeURL", "/openapi/v3/" + e.getKey() + "?hash=" + hash(body));
    }
    documents.put("/openapi/v3", Tables.json(JSON, index));
    documents.put("/openapi/v2", Tables.json(JSON, v2(kinds.all())));
    return documents;
  }

  private static String hash(String body) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-512").digest(body.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code voice.byoc.dev} v1alpha1 SourceIpMapping: {@code
   * dev.byoc.voice.v1alpha1.SourceIpMapping}.
   */
  static String schemaName(ApiKinds.Kind k) {
    if (k.group().isEmpty()) {
      return "io.k8s.api.core." + k.version() + "." + k.kind();
    }
    List<String> parts = new java.util.ArrayList<>(List.of(k.group().split("\\.")));
    java.util.Collections.reverse(parts);
    return String.join(".", parts) + "." + k.version() + "." + k.kind();
  }

  private static ObjectNode v3(List<ApiKinds.Kind> kinds) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info")
        .put("title", "Kubernetes (sourceip-operator sandbox)")
        .put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    for (ApiKinds.Kind k : kinds) {
      String ref = "#/components/schemas/" + schemaName(k);
      schemas.set(schemaName(k), schema(k, "#/components/schemas/"));
      schemas.set(schemaName(k) + "List", list(k, ref, "#/components/schemas/"));
      String collection = collectionPath(k);
      ObjectNode list = paths.putObject(collection);
      list.set("get", operation(k, "list", ref + "List", false));
      list.set("post", operation(k, "post", ref, true));
      ObjectNode item = paths.putObject(collection + "/{name}");
      item.set("get", operation(k, "get", ref, false));
      item.set("put", operation(k, "put", ref, true));
      item.set("patch", operation(k, "patch", ref, true));
      item.set("delete", operation(k, "delete", null, false));
    }
    schemas.set(OBJECT_META, objectMeta());
    schemas.set(LIST_META, listMeta());
    return doc;
  }

  private static ObjectNode v2(List<ApiKinds.Kind> kinds) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("swagger", "2.0");
    doc.putObject("info")
        .put("title", "Kubernetes (sourceip-operator sandbox)")
        .put("version", "v1.32.0");
    doc.putObject("paths");
    ObjectNode definitions = doc.putObject("definitions");
    for (ApiKinds.Kind k : kinds) {
      definitions.set(schemaName(k), schema(k, "#/definitions/"));
      definitions.set(
          schemaName(k) + "List", list(k, "#/definitions/" + schemaName(k), "#/definitions/"));
    }
    definitions.set(OBJECT_META, objectMeta());
    definitions.set(LIST_META, listMeta());
    return doc;
  }

  static String collectionPath(ApiKinds.Kind k) {
    String base = k.group().isEmpty() ? "/api/" + k.version() : "/apis/" + k.apiVersion();
    return base + (k.namespaced() ? "/namespaces/{namespace}/" : "/") + k.plural();
  }

  private static ObjectNode operation(ApiKinds.Kind k, String action, String ref, boolean writes) {
    ObjectNode op = JSON.createObjectNode();
    op.put("description", action + " " + k.kind());
    op.put("operationId", action + k.kind());
    op.put("x-kubernetes-action", action);
    ObjectNode gvk = op.putObject("x-kubernetes-group-version-kind");
    gvk.put("group", k.group()).put("version", k.version()).put("kind", k.kind());
    ArrayNode parameters = op.putArray("parameters");
    if (k.namespaced()) {
      parameters.add(parameter("namespace", "path", true));
    }
    if (!action.equals("list") && !action.equals("post")) {
      parameters.add(parameter("name", "path", true));
    }
    if (writes) {
      parameters.add(parameter("dryRun", "query", false));
      parameters.add(parameter("fieldManager", "query", false));
      parameters.add(parameter("fieldValidation", "query", false));
    }
    if (action.equals("list")) {
      parameters.add(parameter("fieldSelector", "query", false));
      parameters.add(parameter("labelSelector", "query", false));
      parameters.add(parameter("resourceVersion", "query", false));
      parameters.add(parameter("watch", "query", false));
    }
    ObjectNode ok = op.putObject("responses").putObject("200");
    ok.put("description", "OK");
    if (ref != null) {
      ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", ref);
    }
    return op;
  }

  private static ObjectNode parameter(String name, String in, boolean required) {
    ObjectNode p = JSON.createObjectNode();
    p.put("name", name);
    p.put("in", in);
    if (required) {
      p.put("required", true);
    }
    p.putObject("schema").put("type", "string").put("uniqueItems", true);
    return p;
  }

  /** The kind's schema: its CRD's openAPIV3Schema with apiVersion, kind and metadata filled in. */
  private static ObjectNode schema(ApiKinds.Kind k, String refBase) {
    ObjectNode schema = k.schema() != null ? k.schema().deepCopy() : builtIn(k);
    if (!schema.has("type")) {
      schema.put("type", "object");
    }
    if (!schema.has("description")) {
      schema.put("description", k.kind() + " (" + k.apiVersion() + ")");
    }
    ObjectNode properties =
        schema.has("properties")
            ? (ObjectNode) schema.get("properties")
            : schema.putObject("properties");
    ObjectNode fresh = JSON.createObjectNode();
    fresh.set(
        "apiVersion",
        JSON.createObjectNode()
            .put("type", "string")
            .put(
                "description",
                "APIVersion defines the versioned schema of this representation of an object."));
    fresh.set(
        "kind",
        JSON.createObjectNode()
            .put("type", "string")
            .put(
                "description",
                "Kind is a string value representing the REST resource this object represents."));
    ObjectNode metadata = JSON.createObjectNode();
    metadata.putArray("allOf").addObject().put("$ref", refBase + OBJECT_META);
    metadata.put(
        "description",
        "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
    fresh.set("metadata", metadata);
    properties
        .properties()
        .forEach(
            f -> {
              if (!fresh.has(f.getKey())) {
                fresh.set(f.getKey(), f.getValue());
              }
            });
    schema.set("properties", fresh);
    ArrayNode gvk = schema.putArray("x-kubernetes-group-version-kind");
    gvk.addObject().put("group", k.group()).put("kind", k.kind()).put("version", k.version());
    return schema;
  }

  private static ObjectNode list(ApiKinds.Kind k, String itemRef, String refBase) {
    ObjectNode list = JSON.createObjectNode();
    list.put("type", "object");
    list.put("description", k.kind() + "List is a list of " + k.kind());
    list.putArray("required").add("items");
    ObjectNode properties = list.putObject("properties");
    properties.putObject("apiVersion").put("type", "string");
    properties.putObject("kind").put("type", "string");
    properties.putObject("items").put("type", "array").putObject("items").put("$ref", itemRef);
    properties.putObject("metadata").putArray("allOf").addObject().put("$ref", refBase + LIST_META);
    list.putArray("x-kubernetes-group-version-kind")
        .addObject()
        .put("group", k.group())
        .put("kind", k.kind() + "List")
        .put("version", k.version());
    return list;
  }

  /** Enough of Namespace, Event and Secret for explain and validation on the client side. */
  private static ObjectNode builtIn(ApiKinds.Kind k) {
    ObjectNode schema = JSON.createObjectNode();
    schema.put("type", "object");
    ObjectNode p = schema.putObject("properties");
    if (k == ApiKinds.SECRETS) {
      schema.put("description", "Secret holds secret data of a certain type.");
      for (String f : List.of("data", "stringData")) {
        p.putObject(f)
            .put("type", "object")
            .putObject("additionalProperties")
            .put("type", "string");
      }
      p.putObject("type").put("type", "string");
      p.putObject("immutable").put("type", "boolean");
    } else if (k == ApiKinds.NAMESPACES) {
      schema.put("description", "Namespace provides a scope for Names.");
      p.putObject("spec").put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
      p.putObject("status").put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
    } else {
      schema.put("description", "Event is a report of an event somewhere in the cluster.");
      for (String f :
          List.of(
              "action", "message", "reason", "type", "reportingComponent", "reportingInstance")) {
        p.putObject(f).put("type", "string");
      }
      p.putObject("count").put("type", "integer").put("format", "int32");
      for (String f : List.of("firstTimestamp", "lastTimestamp", "eventTime")) {
        p.putObject(f).put("type", "string").put("format", "date-time");
      }
      for (String f : List.of("involvedObject", "related", "source", "series")) {
        p.putObject(f).put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
      }
    }
    return schema;
  }

  private static ObjectNode objectMeta() {
    ObjectNode meta = JSON.createObjectNode();
    meta.put("type", "object");
    meta.put(
        "description",
        "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.");
    ObjectNode p = meta.putObject("properties");
    for (String f :
        List.of("name", "generateName", "namespace", "uid", "resourceVersion", "selfLink")) {
      p.putObject(f).put("type", "string");
    }
    p.putObject("generation").put("type", "integer").put("format", "int64");
    for (String f : List.of("creationTimestamp", "deletionTimestamp")) {
      p.putObject(f).put("type", "string").put("format", "date-time");
    }
    p.putObject("deletionGracePeriodSeconds").put("type", "integer").put("format", "int64");
    for (String f : List.of("labels", "annotations")) {
      p.putObject(f).put("type", "object").putObject("additionalProperties").put("type", "string");
    }
    p.putObject("finalizers").put("type", "array").putObject("items").put("type", "string");
    for (String f : List.of("ownerReferences", "managedFields")) {
      p.putObject(f)
          .put("type", "array")
          .putObject("items")
          .put("type", "object")
          .put("x-kubernetes-preserve-unknown-fields", true);
    }
    return meta;
  }

  private static ObjectNode listMeta() {
    ObjectNode meta = JSON.createObjectNode();
    meta.put("type", "object");
    ObjectNode p = meta.putObject("properties");
    for (String f : List.of("continue", "resourceVersion", "selfLink")) {
      p.putObject(f).put("type", "string");
    }
    p.putObject("remainingItemCount").put("type", "integer").put("format", "int64");
    return meta;
  }

  static JsonNode parse(String json) {
    return Discovery.readTree(json);
  }
}
