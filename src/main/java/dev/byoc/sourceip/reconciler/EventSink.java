package dev.byoc.sourceip.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Where reconcilers report what happened: Kubernetes Events in the operator ({@link
 * EventRecorder}), a list in memory in tests that call a reconciler directly.
 */
public interface EventSink {

  void normal(HasMetadata object, String reason, String message);

  void warning(HasMetadata object, String reason, String message);
}
