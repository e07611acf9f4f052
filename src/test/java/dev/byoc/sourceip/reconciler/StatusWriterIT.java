package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.IpRecordStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A status is written whole from a stale copy: the list the server holds shrank since the copy was
 * read, which a diff of the copy (JOSDK's own status patch) turns into an op on an index that is
 * gone, never answered by the CRUD mock and refused by a real API server.
 */
@EnableKubernetesMockClient(crud = true)
class StatusWriterIT {
  static KubernetesClient client;

  @Test
  void aStatusWrittenFromAStaleCopyReplacesTheWholeStatusAtOnce() {
    IpRecord created = client.resource(ipRecord("pbx")).create();
    created.setStatus(usedBy("a", "b", "c", "d", "e"));
    IpRecord stale = client.resource(created).updateStatus();
    // meanwhile another write shrinks the list the server holds
    IpRecord newer =
        client.resources(IpRecord.class).inNamespace("telephony").withName("pbx").get();
    newer.setStatus(usedBy("a", "b"));
    client.resource(newer).updateStatus();

    IpRecordStatus next = usedBy("a", "b", "c", "d");
    assertTimeoutPreemptively(
        Duration.ofSeconds(20), () -> StatusWriter.writeWhole(client, stale, next));

    IpRecord now = client.resources(IpRecord.class).inNamespace("telephony").withName("pbx").get();
    assertThat(now.getStatus().getUsedBy()).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aReconcilesStatusPatchBecomesOneWriteAndNoUpdateWithTheSameReschedule() {
    List<IpRecordStatus> written = new ArrayList<>();
    StatusWriter<IpRecord, IpRecordStatus> writer = (context, r, next) -> written.add(next);
    IpRecord r = ipRecord("pbx");
    r.setStatus(usedBy("a"));

    UpdateControl<IpRecord> answer =
        writer.answer(null, UpdateControl.patchStatus(r).rescheduleAfter(Duration.ofSeconds(5)));

    assertThat(answer.isNoUpdate()).isTrue();
    assertThat(answer.getScheduleDelay()).contains(5000L);
    assertThat(written).containsExactly(r.getStatus());

    UpdateControl<IpRecord> untouched = writer.answer(null, UpdateControl.noUpdate());
    assertThat(untouched.isNoUpdate()).isTrue();
    assertThat(untouched.getScheduleDelay()).isEmpty();
    assertThat(written).hasSize(1);
  }

  private static IpRecord ipRecord(String name) {
    IpRecord r = new IpRecord();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("telephony").build());
    r.setSpec(new IpRecordSpec("10.0.0.1"));
    return r;
  }

  private static IpRecordStatus usedBy(String... names) {
    IpRecordStatus status = new IpRecordStatus();
    status.setUsedBy(List.of(names));
    return status;
  }
}
