package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRUD mock server, and in front of it what kubectl needs from an API server that the mock
 * lacks, all built from the CRDs the sandbox installs: the discovery documents (each kind by
 * plural, singular, short name and category), the OpenAPI documents ({@link OpenApi}), Tables
 * ({@link Tables}), field selectors ({@link FieldSelector}), watches over plain HTTP answered from
 * a log of the mock's changes ({@link WatchLog}), server-side dry runs, and validation of custom
 * resources before they are stored ({@link SchemaValidation}).
 */
final class Discovery extends KubernetesCrudDispatcher {
  private static final List<String> VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a plain-HTTP watch with nothing to report stays open (more than client-go's 1 s). */
  static final Duration EMPTY_WATCH = Duration.ofMillis(1500);

  /** Each request and its answer's code, at DEBUG: what kubectl asked for. */
  private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

  private final Map<String, String> documents = new HashMap<>();
  private final ApiKinds kinds;
  private final WatchLog log = new WatchLog(20_000);
  private final SchemaValidation validation = new SchemaValidation();
  private volatile Admission admission = (object, list) -> {};

  /**
   * Told of every Secret and custom resource about to be stored (created, replaced or patched; not
   * a dry run), with a way to list what is stored already: the sandbox readies its emulator (an
   * account a Secret names, a SIP domain a mapping names) before the operator can see the object.
   */
  @FunctionalInterface
  interface Admission {
    void admit(JsonNode object, java.util.function.Function<String, List<JsonNode>> list);
  }

  void admission(Admission admission) {
    this.admission = admission;
  }

  /** The items stored under a list path, e.g. {@code /api/v1/namespaces/a/secrets}. */
  private List<JsonNode> storedAt(String path) {
    MockResponse response = super.handleGet(path);
    List<JsonNode> items = new ArrayList<>();
    if (response != null && response.code() == 200) {
      readTree(response.getBody().readUtf8()).path("items").forEach(items::add);
    }
    return items;
  }

  private final Clock clock;

  Discovery(List<CustomResourceDefinition> crds) {
    this(crds, Clock.systemUTC());
  }

  Discovery(List<CustomResourceDefinition> crds, Clock clock) {
    this.kinds = new ApiKinds(crds);
    this.clock = clock;
    serve(new KubernetesSerialization(), crds, this.documents);
    documents.putAll(OpenApi.documents(kinds));
  }

  ApiKinds kinds() {
    return kinds;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    MockResponse response = route(request);
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "{} {} [{}] -> {}",
          request.getMethod(),
          request.getPath(),
          request.getHeader("Accept"),
          response == null ? -1 : response.code());
    }
    return response;
  }

  private MockResponse route(RecordedRequest request) {
    String path = request.getPath();
    int query = path.indexOf('?');
    String document = documents.get(query < 0 ? path : path.substring(0, query));
    if (document != null && "GET".equals(request.getMethod())) {
      String accept = request.getHeader("Accept");
      if (path.startsWith("/openapi/v2")
          && accept != null
          && !accept.contains("json")
          && !accept.contains("*/*")) {
        // kubectl asks for protobuf only when it would validate on its side; it does not here
        return status(406, "NotAcceptable", "only application/json is served");
      }
      return json(200, document);
    }
    ApiPath api = ApiPath.parse(path);
    ApiKinds.Kind kind =
        api == null ? null : kinds.byPlural(api.group(), api.version(), api.plural()).orElse(null);
    if (kind == null) {
      return super.dispatch(request);
    }
    if ("GET".equals(request.getMethod())) {
      if (api.name() == null && api.isWatch()) {
        String upgrade = request.getHeader("Upgrade");
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
          return watch(api, kind, Tables.wanted(request.getHeader("Accept")));
        }
        return super.dispatch(request);
      }
      return get(request, api, kind);
    }
    if ("DELETE".equals(request.getMethod()) && api.name() != null && deleteDryRun(request, api)) {
      return super.handleGet(ApiPath.without(request.getPath(), QUERY_KEYS));
    }
    if ("POST".equals(request.getMethod())
        && kind.namespaced()
        && api.namespace() != null
        && api.name() == null) {
      MockResponse namespace = super.handleGet("/api/v1/namespaces/" + api.namespace());
      if (namespace == null || namespace.code() != 200) {
        return notFound("namespaces", api.namespace());
      }
    }
    if (api.subresource() == null
        && ("POST".equals(request.getMethod())
            || "PUT".equals(request.getMethod())
            || "PATCH".equals(request.getMethod()))) {
      return write(request, api, kind);
    }
    return super.dispatch(request);
  }

  /**
   * A create, update or patch: for a custom resource, the object it would store is pruned,
   * defaulted and validated against the CRD's schema first (for a patch: the stored object with the
   * patch applied, as the API server validates the result, not the patch), and refused with the API
   * server's 422 Invalid when it breaks the schema. Strategic merge patches of Namespaces and
   * Events (kubectl apply sends them) are taken as merge patches, which the mock knows.
   */
  private MockResponse write(RecordedRequest request, ApiPath api, ApiKinds.Kind kind) {
    String method = request.getMethod();
    String contentType = String.valueOf(request.getHeader("Content-Type"));
    boolean strategic = contentType.contains("strategic-merge-patch");
    if (!kind.custom()) {
      if (dryRun(api)) {
        return dryRunBuiltIn(request, method, strategic);
      }
      if (kind == ApiKinds.SECRETS) {
        admitSecret(request, api);
      }
      if ("PATCH".equals(method) && strategic) {
        return super.dispatch(
            rewrite(
                request,
                "PATCH",
                "application/merge-patch+json",
                Tables.json(JSON, Patches.withoutDirectives(readTree(body(request))))));
      }
      return super.dispatch(request);
    }
    JsonNode object;
    JsonNode stored = null;
    try {
      if ("PUT".equals(method)) {
        MockResponse current = super.handleGet(ApiPath.without(request.getPath(), QUERY_KEYS));
        if (current != null && current.code() == 200) {
          stored = readTree(current.getBody().readUtf8());
        }
      }
      if ("PATCH".equals(method)) {
        if (strategic) {
          return status(
              415,
              "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include:"
                  + " application/json-patch+json, application/merge-patch+json,"
                  + " application/apply-patch+yaml");
        }
        MockResponse current = super.handleGet(ApiPath.without(request.getPath(), QUERY_KEYS));
        if (current == null || current.code() != 200) {
          return super.dispatch(request);
        }
        stored = readTree(current.getBody().readUtf8());
        object = Patches.apply(stored, readTree(body(request)), contentType.contains("json-patch"));
      } else {
        object = readTree(body(request));
      }
    } catch (RuntimeException e) {
      return status(
          400, "BadRequest", "the request body is not a valid patch or object: " + e.getMessage());
    }
    SchemaValidation.Outcome outcome = validation.validate(kind, object, stored);
    String name = object.path("metadata").path("name").asText(api.name());
    if ("Strict".equals(api.query().get("fieldValidation")) && !outcome.unknownFields().isEmpty()) {
      return status(
          400, "BadRequest", SchemaValidation.strictMessage(kind, outcome.unknownFields()));
    }
    if (!outcome.valid()) {
      return json(
          422, Tables.json(JSON, SchemaValidation.invalidStatus(kind, name, outcome.causes())));
    }
    if (dryRun(api)) {
      // validated and shaped as it would be stored, and not stored
      return json("POST".equals(method) ? 201 : 200, Tables.json(JSON, outcome.object()));
    }
    try {
      admission.admit(outcome.object(), this::storedAt);
    } catch (RuntimeException e) {
      LOG.debug("{} {} not admitted: {}", kind.kind(), name, e.getMessage());
    }
    MockResponse response;
    if (outcome.object().equals(object) && !"PATCH".equals(method)) {
      response = super.dispatch(request);
    } else if ("PATCH".equals(method)) {
      // the mock applies the patch again; a merge patch from the stored object to the result
      // makes it store exactly what was validated (pruned and defaulted)
      response =
          super.dispatch(
              rewrite(
                  request,
                  "PATCH",
                  "application/merge-patch+json",
                  Tables.json(JSON, Patches.diff(stored, outcome.object()))));
    } else {
      response =
          super.dispatch(
              rewrite(request, method, contentType, Tables.json(JSON, outcome.object())));
    }
    if (response != null && !outcome.unknownFields().isEmpty()) {
      for (String f : outcome.unknownFields()) {
        response.addHeader("Warning", "299 - \"unknown field \\\"" + f + "\\\"\"");
      }
    }
    return response;
  }

  /** {@code ?dryRun=All}: the API server answers as it would, and stores nothing. */
  /** A Secret about to be written, as it will be stored, goes to the admission. */
  private void admitSecret(RecordedRequest request, ApiPath api) {
    String method = request.getMethod();
    try {
      JsonNode object;
      if ("PATCH".equals(method)) {
        MockResponse current = super.handleGet(ApiPath.without(request.getPath(), QUERY_KEYS));
        if (current == null || current.code() != 200) {
          return;
        }
        String contentType = String.valueOf(request.getHeader("Content-Type"));
        object =
            Patches.apply(
                readTree(current.getBody().readUtf8()),
                Patches.withoutDirectives(readTree(body(request))),
                contentType.contains("json-patch"));
      } else if ("POST".equals(method) || "PUT".equals(method)) {
        object = readTree(body(request));
      } else {
        return;
      }
      admission.admit(object, this::storedAt);
    } catch (RuntimeException e) {
      LOG.debug("Secret {} not admitted: {}", api.name(), e.getMessage());
    }
  }

  private static boolean dryRun(ApiPath api) {
    return "All".equals(api.query().get("dryRun"));
  }

  /** A delete's dry run: in the query, or (kubectl delete --dry-run=server) in DeleteOptions. */
  private static boolean deleteDryRun(RecordedRequest request, ApiPath api) {
    if (dryRun(api)) {
      return true;
    }
    String body = body(request);
    if (body.isBlank()) {
      return false;
    }
    try {
      for (JsonNode mode : readTree(body).path("dryRun")) {
        if ("All".equals(mode.asText())) {
          return true;
        }
      }
    } catch (UncheckedIOException e) {
      return false;
    }
    return false;
  }

  private MockResponse dryRunBuiltIn(RecordedRequest request, String method, boolean strategic) {
    JsonNode body = readTree(body(request));
    if (!"PATCH".equals(method)) {
      return json("POST".equals(method) ? 201 : 200, Tables.json(JSON, body));
    }
    MockResponse current = super.handleGet(ApiPath.without(request.getPath(), QUERY_KEYS));
    if (current == null || current.code() != 200) {
      return current;
    }
    String contentType = String.valueOf(request.getHeader("Content-Type"));
    JsonNode patch = strategic ? Patches.withoutDirectives(body) : body;
    return json(
        200,
        Tables.json(
            JSON,
            Patches.apply(
                readTree(current.getBody().readUtf8()),
                patch,
                contentType.contains("json-patch"))));
  }

  private static final String[] QUERY_KEYS = {
    "fieldManager", "fieldValidation", "dryRun", "force", "pretty"
  };

  private static String body(RecordedRequest request) {
    return request.getBody() == null
        ? ""
        : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static RecordedRequest rewrite(
      RecordedRequest request, String method, String contentType, String body) {
    return new RecordedRequest(
        request.getHttpVersion(),
        io.fabric8.mockwebserver.dsl.HttpMethod.valueOf(method),
        request.getPath(),
        request
            .getHeaders()
            .newBuilder()
            .set("Content-Type", contentType)
            .set(
                "Content-Length",
                Integer.toString(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length))
            .build(),
        new Buffer(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** A get or list: field selectors applied here (the mock knows none), then a Table if asked. */
  private MockResponse get(RecordedRequest request, ApiPath api, ApiKinds.Kind kind) {
    FieldSelector fields;
    try {
      fields = FieldSelector.parse(api.query().get("fieldSelector"), kind);
    } catch (IllegalArgumentException e) {
      return status(400, "BadRequest", e.getMessage());
    }
    MockResponse response =
        super.dispatch(copy(request, ApiPath.without(request.getPath(), "fieldSelector")));
    boolean table = Tables.wanted(request.getHeader("Accept"));
    if (response == null || response.code() != 200 || api.name() != null && !table) {
      return response;
    }
    JsonNode body = readTree(response.getBody().readUtf8());
    List<JsonNode> objects = new ArrayList<>();
    String resourceVersion = null;
    if (api.name() == null) {
      ObjectNode list = (ObjectNode) body;
      ArrayNode kept = JSON.createArrayNode();
      for (JsonNode item : list.path("items")) {
        if (fields.matches(item)) {
          kept.add(item);
          objects.add(item);
        }
      }
      list.set("items", kept);
      list.put("kind", kind.kind() + "List");
      list.put("apiVersion", kind.apiVersion());
      resourceVersion = list.path("metadata").path("resourceVersion").asText(null);
    } else {
      objects.add(body);
      resourceVersion = body.path("metadata").path("resourceVersion").asText(null);
    }
    if (table) {
      body =
          Tables.table(
              kind, objects, resourceVersion, api.query().get("includeObject"), clock.instant());
    }
    return json(200, Tables.json(JSON, body));
  }

  /**
   * A watch over plain HTTP, answered as a long poll: the changes since the resource version the
   * client names, at once if there are any, or an empty stream after {@link #EMPTY_WATCH}; the
   * client (client-go's reflector) then watches again from where it got to.
   */
  private MockResponse watch(ApiPath api, ApiKinds.Kind kind, boolean table) {
    FieldSelector fields;
    try {
      fields = FieldSelector.parse(api.query().get("fieldSelector"), kind);
    } catch (IllegalArgumentException e) {
      return status(400, "BadRequest", e.getMessage());
    }
    String labels = api.query().get("labelSelector");
    String since = api.query().getOrDefault("resourceVersion", "");
    StringBuilder stream = new StringBuilder();
    long latest = -1;
    if (since.isEmpty() || since.equals("0")) {
      // "start at any": every current object as ADDED first, as the API server does
      String list = ApiPath.without(listPath(api), "watch", "resourceVersion");
      MockResponse current = super.handleGet(list);
      if (current != null && current.code() == 200) {
        for (JsonNode item : readTree(current.getBody().readUtf8()).path("items")) {
          if (fields.matches(item)
              && WatchLog.labelsMatch(labels, item.path("metadata").path("labels"))) {
            stream.append(event("ADDED", shown(kind, item, table, stream.length() == 0, api)));
          }
        }
      }
    } else {
      long from;
      try {
        from = Long.parseLong(since);
      } catch (NumberFormatException e) {
        return status(400, "BadRequest", "invalid resourceVersion " + since);
      }
      if (log.expired(from)) {
        return status(410, "Expired", "too old resource version: " + since);
      }
      WatchLog.Slice slice = log.since(from, kind, api.namespace(), fields, labels);
      for (WatchLog.Change c : slice.changes()) {
        stream.append(event(c.type(), shown(kind, c.object(), table, stream.length() == 0, api)));
      }
      latest = slice.latest();
    }
    boolean quiet = stream.length() == 0;
    if (quiet) {
      // the mock sends an empty body at once, whatever the delay: send a bookmark (or a blank)
      if (latest >= 0 && "true".equals(api.query().get("allowWatchBookmarks"))) {
        ObjectNode bookmark = JSON.createObjectNode();
        bookmark.put("kind", kind.kind());
        bookmark.put("apiVersion", kind.apiVersion());
        bookmark.putObject("metadata").put("resourceVersion", Long.toString(latest));
        stream.append(event("BOOKMARK", bookmark));
      } else {
        stream.append('\n');
      }
    }
    MockResponse response = new MockResponse().setResponseCode(200);
    response.addHeader("Content-Type", "application/json");
    response.setBody(stream.toString());
    if (quiet) {
      long timeout = Long.parseLong(api.query().getOrDefault("timeoutSeconds", "0"));
      Duration wait = EMPTY_WATCH;
      if (timeout > 0 && Duration.ofSeconds(timeout).compareTo(wait) < 0) {
        wait = Duration.ofSeconds(timeout);
      }
      response.setBodyDelay(wait);
    }
    return response;
  }

  /**
   * A watched object as the client asked for it: itself, or (kubectl get -w) a one-row Table, the
   * first of a stream with the column definitions.
   */
  private JsonNode shown(
      ApiKinds.Kind kind, JsonNode object, boolean table, boolean first, ApiPath api) {
    if (!table) {
      return object;
    }
    ObjectNode t =
        Tables.table(
            kind,
            List.of(object),
            object.path("metadata").path("resourceVersion").asText(null),
            api.query().get("includeObject"),
            clock.instant());
    if (!first) {
      t.putArray("columnDefinitions");
    }
    return t;
  }

  private static String listPath(ApiPath api) {
    StringBuilder p =
        new StringBuilder(api.group().isEmpty() ? "/api/" : "/apis/" + api.group() + "/");
    p.append(api.version());
    if (api.namespace() != null) {
      p.append("/namespaces/").append(api.namespace());
    }
    p.append('/').append(api.plural());
    return p.toString();
  }

  private static String event(String type, JsonNode object) {
    ObjectNode event = JSON.createObjectNode();
    event.put("type", type);
    event.set("object", object);
    return Tables.json(JSON, event) + "\n";
  }

  /** Every change the CRUD mock makes passes here (under its write lock): kept for watches. */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newValue) {
    String oldValue = oldAttributes == null ? null : map.get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newValue);
    if (Objects.equals(oldValue, newValue)) {
      return;
    }
    if (newValue != null) {
      JsonNode object = readTree(newValue);
      long rv = object.path("metadata").path("resourceVersion").asLong(requestResourceVersion());
      log.add(new WatchLog.Change(rv, oldValue == null ? "ADDED" : "MODIFIED", object));
    } else if (oldValue != null) {
      ObjectNode object = (ObjectNode) readTree(oldValue);
      long rv = requestResourceVersion();
      if (object.path("metadata").isObject()) {
        ((ObjectNode) object.get("metadata")).put("resourceVersion", Long.toString(rv));
      }
      log.add(new WatchLog.Change(rv, "DELETED", object));
    }
  }

  static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RecordedRequest copy(RecordedRequest request, String path) {
    if (path.equals(request.getPath())) {
      return request;
    }
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        path,
        request.getHeaders(),
        new Buffer(request.getBody() == null ? new byte[0] : request.getBody().getBytes()));
  }

  static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .addHeader("Content-Type", "application/json")
        .setBody(body);
  }

  /** The API server's 404 for a missing object: {@code namespaces "x" not found}. */
  static MockResponse notFound(String resource, String name) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", resource + " \"" + name + "\" not found");
    status.put("reason", "NotFound");
    status.putObject("details").put("name", name).put("kind", resource);
    status.put("code", 404);
    return json(404, Tables.json(JSON, status));
  }

  static MockResponse status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return json(code, Tables.json(JSON, status));
  }

  private static void serve(
      KubernetesSerialization json,
      List<CustomResourceDefinition> crds,
      Map<String, String> documents) {
    // group/version -> its resources, in the order the CRDs came
    Map<String, List<APIResource>> byGroupVersion = new LinkedHashMap<>();
    Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
    for (CustomResourceDefinition crd : crds) {
      String group = crd.getSpec().getGroup();
      CustomResourceDefinitionNames names = crd.getSpec().getNames();
      boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        if (!Boolean.TRUE.equals(version.getServed())) {
          continue;
        }
        List<String> versions = versionsByGroup.computeIfAbsent(group, g -> new ArrayList<>());
        if (!versions.contains(version.getName())) {
          versions.add(version.getName());
        }
        List<APIResource> resources =
            byGroupVersion.computeIfAbsent(group + "/" + version.getName(), k -> new ArrayList<>());
        resources.add(
            resource(names.getPlural(), names.getSingular(), names.getKind(), namespaced)
                .toBuilder()
                .withShortNames(names.getShortNames())
                .withCategories(names.getCategories())
                .build());
        if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
          resources.add(resource(names.getPlural() + "/status", "", names.getKind(), namespaced));
        }
      }
    }
    List<APIGroup> groups = new ArrayList<>();
    versionsByGroup.forEach(
        (group, versions) -> {
          APIGroupBuilder builder = new APIGroupBuilder().withName(group);
          for (String version : versions) {
            builder.addToVersions(
                new GroupVersionForDiscoveryBuilder()
                    .withGroupVersion(group + "/" + version)
                    .withVersion(version)
                    .build());
          }
          String preferred = versions.get(0);
          groups.add(
              builder
                  .withNewPreferredVersion()
                  .withGroupVersion(group + "/" + preferred)
                  .withVersion(preferred)
                  .endPreferredVersion()
                  .build());
        });
    documents.put("/api", json.asJson(new APIVersionsBuilder().withVersions("v1").build()));
    documents.put("/apis", json.asJson(new APIGroupListBuilder().withGroups(groups).build()));
    byGroupVersion.forEach(
        (groupVersion, resources) ->
            documents.put(
                "/apis/" + groupVersion,
                json.asJson(
                    new APIResourceListBuilder()
                        .withGroupVersion(groupVersion)
                        .withResources(resources)
                        .build())));
    documents.put(
        "/api/v1",
        json.asJson(
            new APIResourceListBuilder()
                .withGroupVersion("v1")
                .addToResources(
                    resource("namespaces", "namespace", "Namespace", false).toBuilder()
                        .withShortNames("ns")
                        .build(),
                    resource("events", "event", "Event", true).toBuilder()
                        .withShortNames("ev")
                        .build(),
                    resource("secrets", "secret", "Secret", true))
                .build()));
  }

  private static APIResource resource(
      String name, String singular, String kind, boolean namespaced) {
    return new APIResourceBuilder()
        .withName(name)
        .withSingularName(singular)
        .withKind(kind)
        .withNamespaced(namespaced)
        .withVerbs(VERBS)
        .build();
  }
}
