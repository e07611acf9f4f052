package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessagesTest {

  @ParameterizedTest
  @ValueSource(strings = {"x", "é", "€", "😀"})
  void aLongMessageIsCutToTheByteLimitOnACharacterBoundary(String unit) {
    String text = "start " + unit.repeat(100_000);

    String cut = Messages.abbreviate(text, Messages.MAX_EVENT_BYTES);

    assertThat(Messages.utf8Length(cut)).isLessThanOrEqualTo(Messages.MAX_EVENT_BYTES);
    assertThat(cut).startsWith("start " + unit).endsWith(" more characters)");
    String kept = cut.substring(0, cut.indexOf('…'));
    int omitted = text.codePointCount(0, text.length()) - kept.codePointCount(0, kept.length());
    assertThat(cut).endsWith("… (" + omitted + " more characters)");
    assertThat(kept.codePoints().skip(6)).allMatch(c -> c == unit.codePointAt(0));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1023, 1024})
  void whatFitsIsKeptWhole(int length) {
    String text = "a".repeat(length);

    assertThat(Messages.abbreviate(text, 1024)).isSameAs(text);
  }

  @ParameterizedTest
  @ValueSource(ints = {342, 400, 512})
  void multiByteTextJustOverTheLimitIsCut(int euros) {
    String text = "€".repeat(euros); // 3 bytes each: 1026 bytes and more

    assertThat(Messages.utf8Length(Messages.abbreviate(text, 1024))).isLessThanOrEqualTo(1024);
  }
}
