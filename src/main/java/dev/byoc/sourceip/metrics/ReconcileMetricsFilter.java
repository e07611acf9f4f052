package dev.byoc.sourceip.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps JOSDK's reconcile series bounded and small: the retry count label (one series per retry
 * number, without end under unlimited retries) becomes {@code retry="true|false"}, and its timers
 * use the operator's ten latency buckets instead of a 70-bucket percentile histogram.
 */
final class ReconcileMetricsFilter implements MeterFilter {
  private static final String JOSDK = "operator.sdk.";
  private static final String RETRY_NUMBER = "reconciliations.retries.number";

  @Override
  public Meter.Id map(Meter.Id id) {
    String number = id.getTag(RETRY_NUMBER);
    if (!id.getName().startsWith(JOSDK) || number == null) {
      return id;
    }
    List<Tag> tags = new ArrayList<>();
    id.getTagsAsIterable().forEach(t -> tags.add(t));
    tags.removeIf(t -> t.getKey().equals(RETRY_NUMBER));
    tags.add(Tag.of("retry", Boolean.toString(!number.equals("0"))));
    return id.replaceTags(tags);
  }

  @Override
  public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
    if (!id.getName().startsWith(JOSDK) || id.getType() != Meter.Type.TIMER) {
      return config;
    }
    double[] slos =
        Arrays.stream(OperatorMetrics.BUCKETS).mapToDouble(d -> (double) d.toNanos()).toArray();
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(false)
        .serviceLevelObjectives(slos)
        .build()
        .merge(config);
  }
}
