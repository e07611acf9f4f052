package dev.byoc.sourceip.sandbox;

import dev.byoc.sourceip.api.v1alpha1.ConditionedStatus;
import dev.byoc.sourceip.reconciler.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The sandbox's live view: one row per IpRecord and SourceIpMapping, and whether the whole set is
 * done (every one Ready) or failed for good (one reports {@code Stalled=True}; a mapping that waits
 * for its IpRecord is not stalled, it converges by itself).
 */
public final class StatusTable {
  private static final int MESSAGE_WIDTH = 70;

  private StatusTable() {}

  public enum State {
    PENDING,
    READY,
    FAILED
  }

  public static State state(List<? extends CustomResource<?, ? extends ConditionedStatus>> all) {
    if (all.isEmpty()) {
      return State.PENDING;
    }
    boolean allReady = true;
    for (CustomResource<?, ? extends ConditionedStatus> r : all) {
      if (isTrue(current(r, Conditions.STALLED))) {
        return State.FAILED;
      }
      allReady &= isTrue(current(r, Conditions.READY));
    }
    return allReady ? State.READY : State.PENDING;
  }

  /** The failures that stop the sandbox, one line each. */
  public static List<String> failures(
      List<? extends CustomResource<?, ? extends ConditionedStatus>> all) {
    List<String> lines = new ArrayList<>();
    for (CustomResource<?, ? extends ConditionedStatus> r : sorted(all)) {
      Condition stalled = current(r, Conditions.STALLED);
      if (isTrue(stalled)) {
        lines.add(
            r.getKind() + " " + name(r) + ": " + stalled.getReason() + ": " + stalled.getMessage());
      }
    }
    return lines;
  }

  public static String render(List<? extends CustomResource<?, ? extends ConditionedStatus>> all) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"NAME", "KIND", "SID", "READY", "SYNCED", "MESSAGE"});
    for (CustomResource<?, ? extends ConditionedStatus> r : sorted(all)) {
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

  private static boolean isTrue(Condition c) {
    return c != null && "True".equals(c.getStatus());
  }

  /** The condition, if it describes the resource's current generation. */
  private static Condition current(CustomResource<?, ? extends ConditionedStatus> r, String type) {
    if (r.getStatus() == null) {
      return null;
    }
    Condition c = Conditions.find(r.getStatus().getConditions(), type);
    if (c == null || !Objects.equals(r.getMetadata().getGeneration(), c.getObservedGeneration())) {
      return null;
    }
    return c;
  }

  private static String name(CustomResource<?, ?> r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  /** By name, an IpRecord before the mapping of the same name (the order they converge in). */
  private static List<CustomResource<?, ? extends ConditionedStatus>> sorted(
      List<? extends CustomResource<?, ? extends ConditionedStatus>> all) {
    List<CustomResource<?, ? extends ConditionedStatus>> rows = new ArrayList<>(all);
    rows.sort(
        Comparator.comparing((CustomResource<?, ?> r) -> name(r))
            .thenComparing(r -> !"IpRecord".equals(r.getKind())));
    return rows;
  }
}
