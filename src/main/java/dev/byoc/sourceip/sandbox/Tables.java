package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code meta.k8s.io/v1 Table} the API server answers when a client (kubectl get) asks for
 * {@code as=Table}: for a custom resource, NAME and then its CRD's printer columns (AGE last when
 * the CRD names none), their JSONPath evaluated on each object; for Events and Namespaces, the
 * columns kubectl shows for them on a real cluster.
 */
final class Tables {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Tables() {}

  /** A column: name, OpenAPI type and format, priority (0 shown, 1 only with -o wide). */
  record Column(String name, String type, String format, int priority, String description) {}

  /** Does this Accept header ask for a Table? */
  static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  static List<Column> columns(ApiKinds.Kind kind) {
    List<Column> columns = new ArrayList<>();
    columns.add(name());
    if (kind == ApiKinds.EVENTS) {
      columns.add(new Column("Last Seen", "string", "", 0, "Time since the event was last seen"));
      columns.add(new Column("Type", "string", "", 0, "The event's type"));
      columns.add(new Column("Reason", "string", "", 0, "The event's reason"));
      columns.add(new Column("Object", "string", "", 0, "The object it is about"));
      columns.add(new Column("Message", "string", "", 0, "A human-readable description"));
      columns.add(new Column("Count", "integer", "", 1, "How often it was seen"));
      // kubectl shows NAME only with -o wide for events: it comes last there
      columns.remove(0);
      columns.add(new Column("Name", "string", "name", 1, "The event's name"));
      return columns;
    }
    if (kind == ApiKinds.NAMESPACES) {
      columns.add(new Column("Status", "string", "", 0, "The namespace's phase"));
      columns.add(age());
      return columns;
    }
    boolean hasAge = false;
    for (CustomResourceColumnDefinition c : kind.columns()) {
      columns.add(
          new Column(
              c.getName(),
              c.getType(),
              c.getFormat() == null ? "" : c.getFormat(),
              c.getPriority() == null ? 0 : c.getPriority(),
              c.getDescription() == null ? "" : c.getDescription()));
      hasAge |= c.getName().equalsIgnoreCase("age");
    }
    if (!hasAge) {
      columns.add(age());
    }
    return columns;
  }

  private static Column name() {
    return new Column("Name", "string", "name", 0, "The object's name");
  }

  private static Column age() {
    return new Column("Age", "date", "", 0, "Time since the object was created");
  }

  /**
   * The table of {@code objects} (a list's items, or the one object a get names); {@code
   * includeObject} as the request's query says: None, Object, or Metadata (the default).
   */
  static ObjectNode table(
      ApiKinds.Kind kind,
      List<JsonNode> objects,
      String resourceVersion,
      String includeObject,
      Instant now) {
    ObjectNode table = NODES.objectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null) {
      metadata.put("resourceVersion", resourceVersion);
    }
    List<Column> columns = columns(kind);
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column c : columns) {
      definitions
          .addObject()
          .put("name", c.name())
          .put("type", c.type())
          .put("format", c.format())
          .put("description", c.description())
          .put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (JsonNode cell : cells(kind, columns, object, now)) {
        cells.add(cell);
      }
      if ("None".equals(includeObject)) {
        continue;
      }
      if ("Object".equals(includeObject)) {
        row.set("object", object);
      } else {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.path("metadata"));
      }
    }
    return table;
  }

  static List<JsonNode> cells(
      ApiKinds.Kind kind, List<Column> columns, JsonNode object, Instant now) {
    List<JsonNode> cells = new ArrayList<>();
    if (kind == ApiKinds.EVENTS) {
      JsonNode last = first(object, "lastTimestamp", "eventTime", "firstTimestamp");
      JsonNode involved = object.path("involvedObject");
      cells.add(NODES.textNode(last == null ? "<unknown>" : age(last.asText(), now)));
      cells.add(NODES.textNode(object.path("type").asText("")));
      cells.add(NODES.textNode(object.path("reason").asText("")));
      cells.add(
          NODES.textNode(
              involved.path("kind").asText("").toLowerCase()
                  + "/"
                  + involved.path("name").asText("")));
      cells.add(NODES.textNode(object.path("message").asText("")));
      cells.add(NODES.numberNode(object.path("count").asInt(1)));
      cells.add(NODES.textNode(object.path("metadata").path("name").asText()));
      return cells;
    }
    cells.add(NODES.textNode(object.path("metadata").path("name").asText()));
    if (kind == ApiKinds.NAMESPACES) {
      cells.add(NODES.textNode(object.path("status").path("phase").asText("Active")));
      cells.add(created(object, now));
      return cells;
    }
    int custom = kind.columns().size();
    for (CustomResourceColumnDefinition c : kind.columns()) {
      cells.add(cell(c.getType(), JsonPath.find(object, c.getJsonPath()), now));
    }
    if (columns.size() > custom + 1) {
      cells.add(created(object, now));
    }
    return cells;
  }

  private static JsonNode created(JsonNode object, Instant now) {
    JsonNode created = object.path("metadata").path("creationTimestamp");
    return created.isTextual() ? NODES.textNode(age(created.asText(), now)) : NODES.nullNode();
  }

  private static JsonNode first(JsonNode object, String... fields) {
    for (String f : fields) {
      JsonNode n = object.get(f);
      if (n != null && n.isTextual() && !n.asText().isEmpty()) {
        return n;
      }
    }
    return null;
  }

  /** One cell as the API server renders it: nothing found is null, a date is an age. */
  static JsonNode cell(String type, List<JsonNode> found, Instant now) {
    if (found.isEmpty() || found.get(0).isNull()) {
      return NODES.nullNode();
    }
    if (found.size() > 1) {
      return NODES.textNode(found.stream().map(Tables::text).collect(Collectors.joining(",")));
    }
    JsonNode value = found.get(0);
    return switch (type == null ? "string" : type) {
      case "date" -> value.isTextual() ? NODES.textNode(age(value.asText(), now)) : value;
      case "integer", "number", "boolean" ->
          value.isValueNode() ? value : NODES.textNode(text(value));
      default -> NODES.textNode(text(value));
    };
  }

  private static String text(JsonNode n) {
    return n.isValueNode() ? n.asText() : n.toString();
  }

  /** The age of an RFC 3339 time, as kubectl prints it (5s, 3m20s, 2d4h, ...). */
  static String age(String timestamp, Instant now) {
    try {
      return humanDuration(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }

  /** Kubernetes' {@code duration.HumanDuration}. */
  static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }

  static String json(ObjectMapper mapper, JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
