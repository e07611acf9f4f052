package dev.byoc.sourceip.sandbox;

import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.reconciler.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** The sandbox's live view: one row per resource, and whether the whole set is done. */
public final class StatusTable {
  /** Reasons that will not resolve by waiting: the sandbox reports them and stops. */
  static final Set<String> TERMINAL = Reasons.STALLING;

  private static final int MESSAGE_WIDTH = 70;

  private StatusTable() {}

  public enum State {
    PENDING,
    READY,
    FAILED
  }

  public static State state(List<SourceIpMapping> resources) {
    if (resources.isEmpty()) {
      return State.PENDING;
    }
    boolean allReady = true;
    for (SourceIpMapping r : resources) {
      Condition ready = current(r, Conditions.READY);
      if (ready == null || !"True".equals(ready.getStatus())) {
        allReady = false;
        if (ready != null && TERMINAL.contains(ready.getReason())) {
          return State.FAILED;
        }
      }
    }
    return allReady ? State.READY : State.PENDING;
  }

  /** The failures that stop the sandbox, one line each. */
  public static List<String> failures(List<SourceIpMapping> resources) {
    List<String> lines = new ArrayList<>();
    for (SourceIpMapping r : sorted(resources)) {
      Condition ready = current(r, Conditions.READY);
      if (ready != null
          && !"True".equals(ready.getStatus())
          && TERMINAL.contains(ready.getReason())) {
        lines.add(name(r) + ": " + ready.getReason() + ": " + ready.getMessage());
      }
    }
    return lines;
  }

  public static String render(List<SourceIpMapping> resources) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAME", "KIND", "SID", "READY", "SYNCED", "MESSAGE"});
    for (SourceIpMapping r : sorted(resources)) {
      Condition ready = current(r, Conditions.READY);
      Condition synced = current(r, Conditions.SYNCED);
      rows.add(
          new String[] {
            name(r),
            r.getKind(),
            r.getStatus() == null || r.getStatus().getSid() == null ? "-" : r.getStatus().getSid(),
            ready == null ? "-" : ready.getStatus(),
            synced == null ? "-" : synced.getStatus(),
            message(ready, synced)
          });
    }
    int[] widths = new int[6];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        out.append(
            i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static String message(Condition ready, Condition synced) {
    Condition shown =
        ready != null && !"True".equals(ready.getStatus())
            ? ready
            : synced != null && !"True".equals(synced.getStatus()) ? synced : ready;
    if (shown == null) {
      return "waiting for the operator";
    }
    String text =
        shown.getReason()
            + (shown.getMessage() == null || shown.getMessage().isEmpty()
                ? ""
                : ": " + shown.getMessage());
    return text.length() > MESSAGE_WIDTH ? text.substring(0, MESSAGE_WIDTH - 3) + "..." : text;
  }

  /** The condition, if it describes the resource's current generation. */
  private static Condition current(SourceIpMapping r, String type) {
    if (r.getStatus() == null) {
      return null;
    }
    Condition c = Conditions.find(r.getStatus().getConditions(), type);
    if (c == null || !r.getMetadata().getGeneration().equals(c.getObservedGeneration())) {
      return null;
    }
    return c;
  }

  private static String name(SourceIpMapping r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  private static List<SourceIpMapping> sorted(List<SourceIpMapping> resources) {
    return resources.stream().sorted(Comparator.comparing(StatusTable::name)).toList();
  }
}
