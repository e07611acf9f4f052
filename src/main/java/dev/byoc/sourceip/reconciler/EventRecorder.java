package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kubernetes Events for what happened at Twilio, aggregated the way client-go's recorder
 * does: a repeat of the same object, type, reason and message bumps {@code count} on the existing
 * Event instead of creating another. Recording never fails a reconcile.
 */
public final class EventRecorder implements EventSink {
  public static final String COMPONENT = "sourceip-operator";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_REMEMBERED = 4096;

  /** Kubernetes names (an Event's too) are DNS subdomains of at most 253 characters. */
  static final int MAX_NAME = 253;

  private static final int SUFFIX = 17; // "." and 16 hex digits

  private final KubernetesClient client;
  private final OperatorMetrics metrics;
  private final Map<String, Recorded> recent =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
          return size() > MAX_REMEMBERED;
        }
      };

  private final String clusterNamespace;

  /** Without metrics (tests, the benchmark's floor controller). */
  public EventRecorder(KubernetesClient client) {
    this(client, null);
  }

  /** Counting every Event recorded, by kind, type and reason, in {@code metrics}. */
  public EventRecorder(KubernetesClient client, OperatorMetrics metrics) {
    this(client, metrics, null);
  }

  /**
   * With the Events of cluster-scoped objects (which have no namespace of their own) recorded in
   * {@code clusterNamespace}, the operator's: kubectl describe finds them there, and the operator's
   * RBAC already grants Events in its own namespace.
   */
  public EventRecorder(KubernetesClient client, OperatorMetrics metrics, String clusterNamespace) {
    this.client = client;
    this.metrics = metrics;
    this.clusterNamespace = clusterNamespace;
  }

  @Override
  public void normal(HasMetadata object, String reason, String message) {
    record(object, "Normal", reason, message);
  }

  @Override
  public void warning(HasMetadata object, String reason, String message) {
    record(object, "Warning", reason, message);
  }

  private void record(HasMetadata object, String type, String reason, String message) {
    String text = Messages.abbreviate(message, Messages.MAX_EVENT_BYTES);
    String own = object.getMetadata().getNamespace();
    String namespace = own == null ? clusterNamespace : own;
    String key = object.getMetadata().getUid() + "\n" + type + "\n" + reason + "\n" + text;
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Recorded previous;
    synchronized (recent) {
      previous = recent.get(key);
    }
    try {
      if (previous != null) {
        int count = previous.count + 1;
        // a merge patch needs no read first: the operator may create and patch Events, not get
        // them. Patching through resource(nameOnly) sends only the PATCH; withName(..).patch(..)
        // would
        // GET the Event first (fabric8 7.5), which RBAC refuses and costs a request per repeat.
        Event nameOnly =
            new EventBuilder()
                .withNewMetadata()
                .withName(previous.name)
                .withNamespace(namespace)
                .endMetadata()
                .build();
        client
            .v1()
            .events()
            .inNamespace(namespace)
            .resource(nameOnly)
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
        remember(key, new Recorded(previous.name, count));
        counted(object, type, reason);
        return;
      }
      String name =
          namePrefix(object.getMetadata().getName())
              + "."
              + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
      Event event =
          new EventBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(namespace)
              .endMetadata()
              .withInvolvedObject(
                  new ObjectReferenceBuilder()
                      .withApiVersion(object.getApiVersion())
                      .withKind(object.getKind())
                      .withName(object.getMetadata().getName())
                      .withNamespace(own)
                      .withUid(object.getMetadata().getUid())
                      .withResourceVersion(object.getMetadata().getResourceVersion())
                      .build())
              .withType(type)
              .withReason(reason)
              .withMessage(text)
              .withCount(1)
              .withFirstTimestamp(now)
              .withLastTimestamp(now)
              .withReportingComponent(COMPONENT)
              .withNewSource()
              .withComponent(COMPONENT)
              .endSource()
              .build();
      client.v1().events().inNamespace(namespace).resource(event).create();
      remember(key, new Recorded(name, 1));
      counted(object, type, reason);
    } catch (KubernetesClientException e) {
      synchronized (recent) {
        recent.remove(key);
      }
      LOG.warn(
          "Could not record event {} for {}/{}: {}",
          reason,
          namespace,
          object.getMetadata().getName(),
          e.getMessage());
    }
  }

  /**
   * The object's name, cut so that the Event's name stays within {@link #MAX_NAME} and a valid DNS
   * subdomain (no '-' or '.' before the '.' that follows).
   */
  static String namePrefix(String objectName) {
    if (objectName.length() + SUFFIX <= MAX_NAME) {
      return objectName;
    }
    String cut = objectName.substring(0, MAX_NAME - SUFFIX);
    int end = cut.length();
    while (end > 1 && (cut.charAt(end - 1) == '-' || cut.charAt(end - 1) == '.')) {
      end--;
    }
    return cut.substring(0, end);
  }

  private void counted(HasMetadata object, String type, String reason) {
    if (metrics != null) {
      metrics.eventEmitted(object.getKind(), type, reason);
    }
  }

  private void remember(String key, Recorded recorded) {
    synchronized (recent) {
      recent.put(key, recorded);
    }
  }

  private record Recorded(String name, int count) {}
}
