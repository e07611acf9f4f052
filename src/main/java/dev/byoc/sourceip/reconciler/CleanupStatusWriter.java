package dev.byoc.sourceip.reconciler;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Writes a status from cleanup, which JOSDK gives no way to return one from. Tests that call a
 * reconciler directly keep what it writes in memory instead.
 */
@FunctionalInterface
interface CleanupStatusWriter<R extends CustomResource<?, S>, S> {

  void write(Context<R> context, R resource, S next);

  /**
   * A JSON patch of what changed, as JOSDK patches status. A merge patch of the whole status would
   * do on a real API server, but fabric8's mock server merges the conditions list instead of
   * replacing it, so the condition never changed there and every cleanup patched again, in a loop.
   */
  static <R extends CustomResource<?, S>, S> CleanupStatusWriter<R, S> kubernetes() {
    return (context, resource, next) ->
        context
            .getClient()
            .resource(resource)
            .editStatus(
                r -> {
                  r.setStatus(next);
                  return r;
                });
  }
}
