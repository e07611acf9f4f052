package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.account.AccountUnavailableException;
import dev.byoc.sourceip.account.TwilioAccounts;
import dev.byoc.sourceip.api.v1alpha1.ConditionedStatus;
import dev.byoc.sourceip.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts one kind's resources for the gauges: by Ready reason, and the Twilio objects their status
 * names, by account.
 */
final class ResourceCensus {
  private ResourceCensus() {}

  static OperatorMetrics.Census of(
      Collection<? extends CustomResource<?, ? extends ConditionedStatus>> resources,
      TwilioAccounts accounts) {
    Map<String, Long> byReason = new TreeMap<>();
    Map<String, Long> managed = new TreeMap<>();
    for (CustomResource<?, ? extends ConditionedStatus> r : resources) {
      ConditionedStatus status = r.getStatus();
      Condition ready =
          status == null ? null : Conditions.find(status.getConditions(), Conditions.READY);
      String reason = ready == null || ready.getReason() == null ? "Unknown" : ready.getReason();
      byReason.merge(reason, 1L, Long::sum);
      if (status != null && status.getSid() != null) {
        try {
          managed.merge(
              status.getAccountSid() != null
                  ? status.getAccountSid()
                  : accounts.forNamespace(r.getMetadata().getNamespace()).accountSid(),
              1L,
              Long::sum);
        } catch (AccountUnavailableException e) {
          // no usable account: nothing it names is managed by this operator now
        }
      }
    }
    return new OperatorMetrics.Census(byReason, managed);
  }
}
