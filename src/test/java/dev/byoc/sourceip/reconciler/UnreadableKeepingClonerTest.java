package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class UnreadableKeepingClonerTest {
  static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Test
  void aCloneKeepsWhatTheSpecCouldNotReadWhereAPlainJsonCloneLosesIt() {
    SourceIpMapping original =
        JSON.unmarshal(
            "{\"apiVersion\":\"voice.byoc.dev/v1alpha1\",\"kind\":\"SourceIpMapping\","
                + "\"metadata\":{\"name\":\"x\"},\"spec\":{\"deletionPolicy\":\"orphan\"}}",
            SourceIpMapping.class);

    SourceIpMapping plain = JSON.clone(original);
    SourceIpMapping kept = new UnreadableKeepingCloner(JSON).clone(original);

    assertThat(plain.getSpec().getUnreadable()).isEmpty();
    assertThat(kept.getSpec().getUnreadable()).containsOnlyKeys("deletionPolicy");
    assertThat(kept.getSpec()).isEqualTo(original.getSpec()).isNotSameAs(original.getSpec());
    assertThat(SpecValidator.problems(kept)).isEqualTo(SpecValidator.problems(original));
  }

  @Test
  void anIpRecordsCloneKeepsWhatItsSpecCouldNotRead() {
    IpRecord original =
        JSON.unmarshal(
            "{\"apiVersion\":\"voice.byoc.dev/v1alpha1\",\"kind\":\"IpRecord\","
                + "\"metadata\":{\"name\":\"x\"},"
                + "\"spec\":{\"ipAddress\":\"10.0.0.1\",\"cidrPrefixLength\":\"24\"}}",
            IpRecord.class);

    IpRecord kept = new UnreadableKeepingCloner(JSON).clone(original);

    assertThat(JSON.clone(original).getSpec().getUnreadable()).isEmpty();
    assertThat(kept.getSpec().getUnreadable()).containsOnlyKeys("cidrPrefixLength");
    assertThat(kept.getSpec()).isEqualTo(original.getSpec()).isNotSameAs(original.getSpec());
    assertThat(IpRecordSpecValidator.problems(kept))
        .isEqualTo(IpRecordSpecValidator.problems(original))
        .isNotEmpty();
  }

  @Test
  void otherKindsAreClonedAsJosdkWould() {
    var map = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build();

    assertThat(new UnreadableKeepingCloner(JSON).clone(map)).isEqualTo(map).isNotSameAs(map);
  }
}
