package dev.byoc.sourceip.reconciler;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * Writes every status the reconcilers write, whole, in one op: JOSDK's own status patch is a JSON
 * diff against the resource as the informer's cache held it, and a diff of a stale copy may replace
 * or remove a list index that is gone already (a shrinking {@code usedBy}, fewer conditions), which
 * a real API server answers 422 and fabric8's CRUD mock, which the sandbox embeds, never answers
 * (the request hangs, is retried, and the resource waits for minutes). Tests that call a reconciler
 * directly keep what it writes in memory instead.
 */
@FunctionalInterface
interface StatusWriter<R extends CustomResource<?, S>, S> {

  void write(Context<R> context, R resource, S next);

  /**
   * A reconcile's answer with its status written here: a status patch becomes this write and no
   * update for JOSDK, rescheduled as the answer was; any other answer is returned as it is.
   */
  default UpdateControl<R> answer(Context<R> context, UpdateControl<R> control) {
    if (!control.isPatchStatus()) {
      return control;
    }
    R resource = control.getResource().orElseThrow();
    write(context, resource, resource.getStatus());
    UpdateControl<R> written = UpdateControl.noUpdate();
    control.getScheduleDelay().ifPresent(written::rescheduleAfter);
    return written;
  }

  /**
   * One JSON patch op that sets the whole status ({@code add} replaces a member that exists). Not a
   * diff (above), and not a merge patch either: the mock merges lists instead of replacing them, so
   * a condition would never change there.
   */
  static <R extends CustomResource<?, S>, S> StatusWriter<R, S> kubernetes() {
    return (context, resource, next) -> writeWhole(context.getClient(), resource, next);
  }

  /** Sets {@code resource}'s status to {@code next} at the API server, in one op. */
  static <R extends CustomResource<?, S>, S> void writeWhole(
      KubernetesClient client, R resource, S next) {
    String value = client.getKubernetesSerialization().asJson(next);
    client
        .resource(resource)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + value + "}]");
  }
}
