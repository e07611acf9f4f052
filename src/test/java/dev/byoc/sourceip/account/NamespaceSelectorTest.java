package dev.byoc.sourceip.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A namespaceSelector matches namespace labels with the API server's semantics. */
class NamespaceSelectorTest {
  static LabelSelector expression(String key, String operator, String... values) {
    return new LabelSelectorBuilder()
        .withMatchExpressions(new LabelSelectorRequirement(key, operator, List.of(values)))
        .build();
  }

  @Test
  void noSelectorAdmitsNothingAndAnEmptyOneAdmitsEverything() {
    assertThat(NamespaceSelector.admits(null, Map.of("a", "b"))).isFalse();
    assertThat(NamespaceSelector.admits(new LabelSelector(), Map.of())).isTrue();
  }

  @Test
  void matchLabelsNeedsEveryLabelWithItsValue() {
    LabelSelector s =
        new LabelSelectorBuilder().withMatchLabels(Map.of("team", "voice", "env", "prod")).build();

    assertThat(NamespaceSelector.admits(s, Map.of("team", "voice", "env", "prod", "x", "y")))
        .isTrue();
    assertThat(NamespaceSelector.admits(s, Map.of("team", "voice"))).isFalse();
    assertThat(NamespaceSelector.admits(s, Map.of("team", "voice", "env", "dev"))).isFalse();
  }

  @Test
  void expressionsFollowInNotInExistsAndDoesNotExist() {
    assertThat(NamespaceSelector.admits(expression("team", "In", "a", "b"), Map.of("team", "b")))
        .isTrue();
    assertThat(NamespaceSelector.admits(expression("team", "In", "a"), Map.of())).isFalse();
    assertThat(NamespaceSelector.admits(expression("team", "NotIn", "a"), Map.of())).isTrue();
    assertThat(NamespaceSelector.admits(expression("team", "NotIn", "a"), Map.of("team", "a")))
        .isFalse();
    assertThat(NamespaceSelector.admits(expression("team", "Exists"), Map.of("team", ""))).isTrue();
    assertThat(NamespaceSelector.admits(expression("team", "DoesNotExist"), Map.of("team", "x")))
        .isFalse();
  }

  @Test
  void anUnknownOperatorAdmitsNothing() {
    assertThat(NamespaceSelector.admits(expression("team", "Like", "a"), Map.of("team", "a")))
        .isFalse();
  }

  @Test
  void theDescriptionSaysWhatTheSelectorAsks() {
    assertThat(NamespaceSelector.describe(expression("team", "In", "a"))).isEqualTo("team In [a]");
    assertThat(NamespaceSelector.describe(new LabelSelector())).contains("every namespace");
    assertThat(NamespaceSelector.describe(null)).contains("admits no namespace");
  }
}
