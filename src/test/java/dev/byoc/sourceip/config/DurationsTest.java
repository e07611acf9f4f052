package dev.byoc.sourceip.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void singleUnitValuesAsBefore() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse(" 90s ")).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void goStyleCompoundValues() {
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("2m30s")).isEqualTo(Duration.ofSeconds(150));
    assertThat(Durations.parse("1h0m0s")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("1s500ms")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void goStyleFractionsAndSmallUnits() {
    assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("0.5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("1500us")).isEqualTo(Duration.ofMillis(1).plusNanos(500_000));
    assertThat(Durations.parse("10ns")).isEqualTo(Duration.ofNanos(10));
    assertThat(Durations.parse(".5s")).isEqualTo(Duration.ofMillis(500));
  }

  @ParameterizedTest(name = "rejects ''{0}''")
  @ValueSource(strings = {"-5s", "-1h30m"})
  void rejectsNegative(String value) {
    assertThatThrownBy(() -> Durations.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a duration like 90s, 5m or 1h30m, got '" + value + "'");
  }

  @ParameterizedTest(name = "rejects ''{0}''")
  @ValueSource(strings = {"90", "1h30", "0"})
  void rejectsMissingUnit(String value) {
    assertThatThrownBy(() -> Durations.parse(value))
        .hasMessage("expected a duration like 90s, 5m or 1h30m, got '" + value + "'");
  }

  @ParameterizedTest(name = "rejects ''{0}''")
  @ValueSource(strings = {"", " ", "soon", "5 m", "5M", "PT5M", "1d", "h", "1h 30m", "1..5h"})
  void rejectsAnythingElse(String value) {
    assertThatThrownBy(() -> Durations.parse(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a duration like 90s, 5m or 1h30m");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> Durations.parse(null))
        .hasMessage("expected a duration like 90s, 5m or 1h30m, got ''");
  }

  @Test
  void rejectsZero() {
    assertThatThrownBy(() -> Durations.parse("0s"))
        .hasMessage("expected a positive duration like 90s, 5m or 1h30m, got '0s'");
    assertThatThrownBy(() -> Durations.parse("0h0m")).hasMessageContaining("positive");
  }

  @Test
  void rejectsWhatDoesNotFitADuration() {
    assertThatThrownBy(() -> Durations.parse("9999999999h"))
        .hasMessageContaining("at most 2562047h");
    assertThat(Durations.parse("2562047h")).isEqualTo(Duration.ofHours(2562047));
  }

  @Test
  void abbreviatesALongValueInTheMessage() {
    String value = "x".repeat(10_000);
    assertThatThrownBy(() -> Durations.parse(value)).hasMessageEndingWith("...'");
  }
}
