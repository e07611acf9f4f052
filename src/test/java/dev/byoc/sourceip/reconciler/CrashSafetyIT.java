package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.twilio.SourceIpMappingsClient;
import dev.byoc.sourceip.twilio.TwilioClient;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The operator dies between Twilio's create and the status write; its successor adopts. */
@EnableKubernetesMockClient(crud = true)
class CrashSafetyIT {
  static KubernetesClient client;

  @Test
  void killedBetweenCreateAndStatusWriteThenRestartedLeavesExactlyOneMapping() throws Exception {
    try (OperatorHarness h = new OperatorHarness(client)) {
      CountDownLatch created = new CountDownLatch(1);
      h.decorateClient(
              real ->
                  TwilioClient.of(
                      real.accountSid(), new DiesAfterFirstCreate(real, created), real, real))
          .start();
      String ip = h.newIpRecord();
      h.apply(h.resource("crash", ip, h.newDomain()));
      assertThat(created.await(60, TimeUnit.SECONDS)).isTrue();
      h.stop();
      assertThat(h.get("crash").getStatus() == null || h.get("crash").getStatus().getSid() == null)
          .as("the status write never happened")
          .isTrue();

      h.decorateClient(c -> c).start();

      String sid = h.awaitReady("crash").getStatus().getSid();
      assertThat(h.twilioMappings())
          .singleElement()
          .satisfies(m -> assertThat(m.sid()).isEqualTo(sid));
      assertThat(h.emulator.counters().count("POST", "/v1/SourceIpMappings", 201)).isEqualTo(1);
    }
  }

  @Test
  void deletedAfterAMoveWhoseNewMappingWasNeverRecordedLeavesNothingAtTwilio() {
    try (OperatorHarness h = new OperatorHarness(client)) {
      h.start();
      String domain = h.newDomain();
      String oldIp = h.newIpRecord();
      h.apply(h.resource("moved", oldIp, domain));
      String oldSid = h.awaitReady("moved").getStatus().getSid();
      h.stop();

      // what a predecessor that died mid-move leaves: the spec names the new IP record, Twilio
      // holds its mapping (created) and no longer the old one (retired), status still says old
      String newIp = h.newIpRecord();
      h.edit(
          "moved",
          r -> {
            r.getSpec().setIpRecordSid(newIp);
            return r;
          });
      String unrecorded = h.emulator.createSourceIpMapping(OperatorHarness.ACCOUNT, newIp, domain);
      h.emulator.deleteSourceIpMapping(OperatorHarness.ACCOUNT, oldSid);
      assertThat(h.get("moved").getStatus().getIpRecordSid()).isEqualTo(oldIp);
      h.kubernetes.resources(SourceIpMapping.class).inNamespace(h.ns).withName("moved").delete();

      h.start();

      h.awaitGone("moved");
      assertThat(h.twilioMappings()).as("the unrecorded mapping %s", unrecorded).isEmpty();
    }
  }

  /** Mappings of a process that "dies" right after Twilio created the first mapping. */
  private static final class DiesAfterFirstCreate implements SourceIpMappingsClient {
    private final SourceIpMappingsClient real;
    private final CountDownLatch created;
    private volatile boolean dead;

    DiesAfterFirstCreate(SourceIpMappingsClient real, CountDownLatch created) {
      this.real = real;
      this.created = created;
    }

    private void alive() {
      if (dead) {
        throw new IllegalStateException("simulated crash: this operator is dead");
      }
    }

    @Override
    public TwilioMapping createSourceIpMapping(String ipRecordSid, String sipDomainSid) {
      alive();
      real.createSourceIpMapping(ipRecordSid, sipDomainSid);
      dead = true;
      created.countDown();
      throw new IllegalStateException("simulated crash after the create");
    }

    @Override
    public List<TwilioMapping> listSourceIpMappings() {
      alive();
      return real.listSourceIpMappings();
    }

    @Override
    public TwilioMapping updateSourceIpMapping(String sid, String sipDomainSid) {
      alive();
      return real.updateSourceIpMapping(sid, sipDomainSid);
    }

    @Override
    public void deleteSourceIpMapping(String sid) {
      alive();
      real.deleteSourceIpMapping(sid);
    }
  }
}
