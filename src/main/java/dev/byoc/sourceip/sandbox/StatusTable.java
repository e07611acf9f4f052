package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoc.sourceip.reconciler.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The sandbox's live view: for each kind the operator serves (every CRD the embedded API installs)
 * a block of rows, one per resource however it was applied, with the CRD's printer columns (as
 * {@code kubectl get -A} shows them, less AGE, which would redraw the table every second) and a
 * MESSAGE; and whether the whole set is done (every one Ready) or failed for good (one reports
 * {@code Stalled=True}; a mapping that waits for its IpRecord is not stalled, it converges by
 * itself).
 */
public final class StatusTable {
  private static final int MESSAGE_WIDTH = 70;
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private StatusTable() {}

  public enum State {
    PENDING,
    READY,
    FAILED
  }

  public static State state(List<? extends HasMetadata> all) {
    if (all.isEmpty()) {
      return State.PENDING;
    }
    boolean allReady = true;
    for (HasMetadata r : all) {
      JsonNode object = tree(r);
      if (isTrue(current(object, Conditions.STALLED))) {
        return State.FAILED;
      }
      allReady &= isTrue(current(object, Conditions.READY));
    }
    return allReady ? State.READY : State.PENDING;
  }

  /** Whether this resource reports Ready=True for its current generation. */
  public static boolean isReady(HasMetadata resource) {
    return isTrue(current(tree(resource), Conditions.READY));
  }

  /** The failures that stop the sandbox, one line each. */
  public static List<String> failures(List<? extends HasMetadata> all) {
    List<String> lines = new ArrayList<>();
    for (HasMetadata r : all) {
      JsonNode stalled = current(tree(r), Conditions.STALLED);
      if (isTrue(stalled)) {
        lines.add(
            r.getKind()
                + " "
                + name(r)
                + ": "
                + stalled.path("reason").asText()
                + ": "
                + stalled.path("message").asText());
      }
    }
    return lines;
  }

  /** One block per kind that has resources, in the order the CRDs are installed. */
  public static String render(List<? extends HasMetadata> all) {
    StringBuilder out = new StringBuilder();
    List<ApiKinds.Kind> kinds = new ArrayList<>(EmbeddedKubernetes.kinds().custom());
    for (HasMetadata r : all) {
      boolean known =
          kinds.stream()
              .anyMatch(
                  k -> k.kind().equals(r.getKind()) && k.apiVersion().equals(r.getApiVersion()));
      if (!known) {
        // a kind without CRD columns (not expected): shown with READY and SYNCED only
        kinds.add(
            new ApiKinds.Kind(
                "", r.getApiVersion(), "", "", r.getKind(), true, List.of(), null, null));
      }
    }
    for (ApiKinds.Kind kind : kinds) {
      List<JsonNode> objects =
          all.stream()
              .filter(r -> kind.kind().equals(r.getKind()))
              .filter(r -> kind.apiVersion().equals(r.getApiVersion()))
              .map(StatusTable::tree)
              .sorted(Comparator.comparing(StatusTable::name))
              .toList();
      if (objects.isEmpty()) {
        continue;
      }
      if (out.length() > 0) {
        out.append('\n');
      }
      block(out, kind, objects);
    }
    return out.toString();
  }

  private static void block(StringBuilder out, ApiKinds.Kind kind, List<JsonNode> objects) {
    List<CustomResourceColumnDefinition> columns =
        kind.columns().stream()
            .filter(c -> c.getPriority() == null || c.getPriority() == 0)
            .filter(c -> !"date".equals(c.getType()))
            .toList();
    if (columns.isEmpty()) {
      columns = List.of(column("READY", Conditions.READY), column("SYNCED", Conditions.SYNCED));
    }
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[columns.size() + 2];
    header[0] = kind.kind().toUpperCase();
    for (int i = 0; i < columns.size(); i++) {
      header[i + 1] = columns.get(i).getName().toUpperCase();
    }
    header[header.length - 1] = "MESSAGE";
    rows.add(header);
    Instant now = Instant.now();
    for (JsonNode object : objects) {
      String[] row = new String[header.length];
      row[0] = name(object);
      for (int i = 0; i < columns.size(); i++) {
        CustomResourceColumnDefinition c = columns.get(i);
        JsonNode cell = Tables.cell(c.getType(), JsonPath.find(object, c.getJsonPath()), now);
        row[i + 1] = cell.isNull() || cell.asText().isEmpty() ? "-" : cell.asText();
      }
      row[row.length - 1] =
          message(current(object, Conditions.READY), current(object, Conditions.SYNCED));
      rows.add(row);
    }
    int[] widths = new int[header.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        out.append(
            i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
      }
      out.append('\n');
    }
  }

  private static CustomResourceColumnDefinition column(String name, String type) {
    CustomResourceColumnDefinition c = new CustomResourceColumnDefinition();
    c.setName(name);
    c.setType("string");
    c.setJsonPath(".status.conditions[?(@.type==\"" + type + "\")].status");
    return c;
  }

  private static String message(JsonNode ready, JsonNode synced) {
    JsonNode shown =
        ready != null && !"True".equals(ready.path("status").asText())
            ? ready
            : synced != null && !"True".equals(synced.path("status").asText()) ? synced : ready;
    if (shown == null) {
      return "waiting for the operator";
    }
    String detail = shown.path("message").asText("");
    String text = shown.path("reason").asText("") + (detail.isEmpty() ? "" : ": " + detail);
    return text.length() > MESSAGE_WIDTH ? text.substring(0, MESSAGE_WIDTH - 3) + "..." : text;
  }

  private static boolean isTrue(JsonNode c) {
    return c != null && "True".equals(c.path("status").asText());
  }

  /** The condition, if it describes the resource's current generation. */
  private static JsonNode current(JsonNode object, String type) {
    for (JsonNode c : object.path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        JsonNode generation = object.path("metadata").path("generation");
        JsonNode observed = c.path("observedGeneration");
        boolean same =
            generation.isMissingNode() && observed.isMissingNode()
                || Objects.equals(generation.asText(null), observed.asText(null));
        return same ? c : null;
      }
    }
    return null;
  }

  private static JsonNode tree(HasMetadata r) {
    return SERIALIZATION.convertValue(r, JsonNode.class);
  }

  private static String name(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return ns == null ? r.getMetadata().getName() : ns + "/" + r.getMetadata().getName();
  }

  private static String name(JsonNode object) {
    JsonNode ns = object.path("metadata").path("namespace");
    String name = object.path("metadata").path("name").asText();
    return ns.isTextual() ? ns.asText() + "/" + name : name;
  }
}
