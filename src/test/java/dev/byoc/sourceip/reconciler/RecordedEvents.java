package dev.byoc.sourceip.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The Events a reconciler reported, kept in memory by tests that call it directly. */
final class RecordedEvents implements EventSink {
  record Recorded(String object, String type, String reason, String message) {}

  final List<Recorded> all = new CopyOnWriteArrayList<>();

  @Override
  public void normal(HasMetadata object, String reason, String message) {
    all.add(new Recorded(object.getMetadata().getName(), "Normal", reason, message));
  }

  @Override
  public void warning(HasMetadata object, String reason, String message) {
    all.add(new Recorded(object.getMetadata().getName(), "Warning", reason, message));
  }

  /** The reasons reported, in order. */
  List<String> reasons() {
    return all.stream().map(Recorded::reason).toList();
  }

  void clear() {
    all.clear();
  }
}
