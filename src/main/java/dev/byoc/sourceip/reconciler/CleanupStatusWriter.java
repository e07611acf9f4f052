package dev.byoc.sourceip.reconciler;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Writes a status from cleanup, which JOSDK gives no way to return one from. Tests that call a
 * reconciler directly keep what it writes in memory instead.
 */
@FunctionalInterface
interface CleanupStatusWriter<R extends CustomResource<?, S>, S> {

  void write(Context<R> context, R resource, S next);

  /**
   * One JSON patch op that sets the whole status ({@code add} replaces a member that exists). Not a
   * diff: a diff computed against a stale copy may remove a list index that is gone already (a
   * shrinking {@code usedBy}), which a real API server answers 422 and fabric8's CRUD mock, which
   * the sandbox embeds, never answers. Not a merge patch either: the mock merges lists instead of
   * replacing them, so a condition would never change there.
   */
  static <R extends CustomResource<?, S>, S> CleanupStatusWriter<R, S> kubernetes() {
    return (context, resource, next) -> {
      var client = context.getClient();
      String value = client.getKubernetesSerialization().asJson(next);
      client
          .resource(resource)
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"add\",\"path\":\"/status\",\"value\":" + value + "}]");
    };
  }
}
