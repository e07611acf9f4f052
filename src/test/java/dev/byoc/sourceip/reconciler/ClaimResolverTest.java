package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimResolverTest {
  static final String IP = "IL" + "1".repeat(32);
  static final String SD = "SD" + "1".repeat(32);
  static final String IB = "IB" + "1".repeat(32);

  static SourceIpMapping r(String name, String created, String statusSid) {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("ns")
            .withName(name)
            .withCreationTimestamp(created)
            .build());
    r.setSpec(new SourceIpMappingSpec(IP, SD));
    if (statusSid != null) {
      SourceIpMappingStatus s = new SourceIpMappingStatus();
      s.setSid(statusSid);
      r.setStatus(s);
    }
    return r;
  }

  @Test
  void theOldestWinsWhenNobodyHoldsTheMappingYet() {
    var older = r("b", "2026-01-01T00:00:00Z", null);
    var newer = r("a", "2026-01-02T00:00:00Z", null);
    assertThat(ClaimResolver.owner(List.of(newer, older), null)).contains(older);
    assertThat(ClaimResolver.owner(List.of(newer, older), IB)).contains(older);
  }

  @Test
  void theHolderOfTwiliosMappingKeepsItEvenIfYounger() {
    var older = r("b", "2026-01-01T00:00:00Z", null);
    var holder = r("a", "2026-01-02T00:00:00Z", IB);
    assertThat(ClaimResolver.owner(List.of(older, holder), IB)).contains(holder);
  }

  @Test
  void tiesAreBrokenByName() {
    var x = r("x", "2026-01-01T00:00:00Z", null);
    var y = r("y", "2026-01-01T00:00:00Z", null);
    assertThat(ClaimResolver.owner(List.of(y, x), null)).contains(x);
  }
}
