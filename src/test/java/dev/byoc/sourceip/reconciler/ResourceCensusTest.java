package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountSnapshot;
import dev.byoc.sourceip.account.MissingCredentials;
import dev.byoc.sourceip.account.SingleAccount;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.metrics.OperatorMetrics;
import dev.byoc.sourceip.twilio.FakeTwilioClient;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceCensusTest {
  private final FakeTwilioClient twilio = new FakeTwilioClient();
  private final SingleAccount account =
      new SingleAccount(
          new Account(twilio.accountSid(), twilio, new AccountSnapshot(twilio, Clock.systemUTC())));

  @Test
  void countsResourcesByReadyReasonAndTheMappingsTheyNameByAccount() {
    List<SourceIpMapping> resources =
        List.of(
            resource("a", "IBa", Reasons.AVAILABLE),
            resource("b", "IBb", Reasons.AVAILABLE),
            resource("c", null, Reasons.CONFLICT),
            resource("d", null, null));

    OperatorMetrics.Census census = ResourceCensus.of(resources, account);

    assertThat(census.byReason())
        .isEqualTo(Map.of(Reasons.AVAILABLE, 2L, Reasons.CONFLICT, 1L, "Unknown", 1L));
    assertThat(census.managedByAccount()).isEqualTo(Map.of(twilio.accountSid(), 2L));
  }

  @Test
  void withoutUsableCredentialsNoMappingCountsAsManaged() {
    OperatorMetrics.Census census =
        ResourceCensus.of(
            List.of(resource("a", "IBa", Reasons.CREDENTIALS_INVALID)),
            new MissingCredentials("no credentials"));

    assertThat(census.byReason()).isEqualTo(Map.of(Reasons.CREDENTIALS_INVALID, 1L));
    assertThat(census.managedByAccount()).isEmpty();
  }

  private static SourceIpMapping resource(String name, String sid, String readyReason) {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("telephony").build());
    if (readyReason != null) {
      SourceIpMappingStatus status = new SourceIpMappingStatus();
      status.setSid(sid);
      status.setConditions(
          List.of(
              new ConditionBuilder()
                  .withType(Conditions.READY)
                  .withStatus(Reasons.AVAILABLE.equals(readyReason) ? "True" : "False")
                  .withReason(readyReason)
                  .build()));
      r.setStatus(status);
    }
    return r;
  }
}
