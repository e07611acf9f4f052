package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.ClusterTwilioAccount;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Repeated Events are aggregated into one with a count, as client-go's recorder does. */
@EnableKubernetesMockClient(crud = true)
class EventRecorderIT {
  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  void repeatsBumpTheCountAndDifferentMessagesAreSeparateEvents() throws InterruptedException {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace("events").build());
    r.setSpec(new SourceIpMappingSpec("IL" + "1".repeat(32), "SD" + "1".repeat(32)));
    SourceIpMapping created = client.resource(r).create();
    EventRecorder recorder = new EventRecorder(client);

    recorder.warning(created, "TwilioUnavailable", "503 from Twilio");
    recorder.warning(created, "TwilioUnavailable", "503 from Twilio");
    recorder.warning(created, "TwilioUnavailable", "503 from Twilio");
    recorder.normal(created, "Created", "Created Twilio mapping IB1");

    // RBAC lets the operator create and patch Events, not read them: a repeat is one PATCH
    List<String> eventRequests = new ArrayList<>();
    for (RecordedRequest q = server.takeRequest(1, TimeUnit.SECONDS);
        q != null;
        q = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
      if (q.getPath().startsWith("/api/v1/namespaces/events/events")) {
        eventRequests.add(q.getMethod());
      }
    }
    assertThat(eventRequests).containsExactly("POST", "PATCH", "PATCH", "POST");

    List<Event> events = client.v1().events().inNamespace("events").list().getItems();
    events.sort(Comparator.comparing(Event::getReason));
    assertThat(events).extracting(Event::getReason).containsExactly("Created", "TwilioUnavailable");
    Event warning = events.get(1);
    assertThat(warning.getCount()).isEqualTo(3);
    assertThat(warning.getType()).isEqualTo("Warning");
    assertThat(warning.getInvolvedObject().getKind()).isEqualTo("SourceIpMapping");
    assertThat(warning.getInvolvedObject().getUid()).isEqualTo(created.getMetadata().getUid());
    assertThat(warning.getSource().getComponent()).isEqualTo(EventRecorder.COMPONENT);
    assertThat(events.get(0).getCount()).isEqualTo(1);
  }

  @Test
  void aClusterScopedObjectsEventsGoToTheOperatorsNamespace() {
    ClusterTwilioAccount account = new ClusterTwilioAccount();
    account.setMetadata(new ObjectMetaBuilder().withName("shared").withUid("u-1").build());
    // no metadata.namespace: a cluster-scoped object has none

    new EventRecorder(client, null, "sourceip-system")
        .warning(account, "CredentialsInvalid", "Secret sourceip-system/shared not found");

    Event event = client.v1().events().inNamespace("sourceip-system").list().getItems().get(0);
    assertThat(event.getReason()).isEqualTo("CredentialsInvalid");
    assertThat(event.getInvolvedObject().getKind()).isEqualTo("ClusterTwilioAccount");
    assertThat(event.getInvolvedObject().getName()).isEqualTo("shared");
    assertThat(event.getInvolvedObject().getNamespace()).isNull();
  }

  @Test
  void theLongestObjectNameStillGivesAValidEventNameAndAHugeMessageIsCut() {
    // 253 characters, the most Kubernetes allows, with a '-' and a '.' where the cut falls
    String name = "a".repeat(234) + "-.b" + "c".repeat(16);
    assertThat(name).hasSize(253);
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("long").build());
    r.setSpec(new SourceIpMappingSpec("IL" + "1".repeat(32), "SD" + "1".repeat(32)));
    SourceIpMapping created = client.resource(r).create();

    new EventRecorder(client).warning(created, "InvalidSpec", "é".repeat(100_000));

    Event event = client.v1().events().inNamespace("long").list().getItems().get(0);
    assertThat(event.getMetadata().getName())
        .hasSizeLessThanOrEqualTo(EventRecorder.MAX_NAME)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
        .startsWith("a".repeat(234) + ".");
    assertThat(event.getInvolvedObject().getName()).isEqualTo(name);
    assertThat(Messages.utf8Length(event.getMessage()))
        .isLessThanOrEqualTo(Messages.MAX_EVENT_BYTES);
    assertThat(event.getMessage()).startsWith("éé").contains("more characters)");
  }
}
