package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Converging N new resources costs exactly N creates and list pages, no per-resource GET. */
@EnableKubernetesMockClient(crud = true)
class ConvergeAtScaleIT {
  static final int N = 1000;
  static KubernetesClient client;

  @Test
  void aThousandResourcesConvergeWithExactlyAThousandCreates() {
    try (OperatorHarness h = new OperatorHarness(client)) {
      String domain = h.newDomain();
      List<String> ips = new ArrayList<>();
      for (int i = 0; i < N; i++) {
        ips.add(h.newIpRecord());
      }
      h.start();
      for (int i = 0; i < N; i++) {
        h.apply(h.resource("m-" + i, ips.get(i), domain));
      }

      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> readyCount(h) == N);

      assertThat(h.emulator.counters().count("POST", "/v1/SourceIpMappings")).isEqualTo(N);
      assertThat(h.emulator.counters().count("GET", "/v1/SourceIpMappings/{Sid}")).isZero();
      assertThat(h.emulator.counters().count("GET", "/v1/SourceIpMappings")).isBetween(1L, 2L);
      assertThat(h.emulator.counters().total())
          .isEqualTo(N + h.emulator.counters().count("GET", "/v1/SourceIpMappings"));
      assertThat(h.twilioMappings()).hasSize(N);
    }
  }

  private static long readyCount(OperatorHarness h) {
    return h.mappings().inNamespace(h.ns).list().getItems().stream()
        .map(SourceIpMapping::getStatus)
        .filter(s -> s != null && Conditions.isTrue(s.getConditions(), Conditions.READY))
        .count();
  }
}
