package dev.byoc.sourceip.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Field selectors as the API server takes them, and the watch log they filter. */
class FieldSelectorTest {
  private static final JsonNode EVENT =
      Discovery.readTree(
          """
          {"apiVersion":"v1","kind":"Event","metadata":{"name":"e1","namespace":"telephony",
           "resourceVersion":"5"},"reason":"Created","source":{"component":"sourceip-operator"},
           "involvedObject":{"kind":"SourceIpMapping","name":"pbx","namespace":"telephony","uid":"u1"}}
          """);

  @Test
  void describesEventQueryMatchesOnlyTheEventsOfThatObject() {
    FieldSelector mine =
        FieldSelector.parse(
            "involvedObject.name=pbx,involvedObject.namespace=telephony,"
                + "involvedObject.kind=SourceIpMapping,involvedObject.uid=u1",
            ApiKinds.EVENTS);
    FieldSelector other =
        FieldSelector.parse("involvedObject.name=pbx,involvedObject.uid=u2", ApiKinds.EVENTS);

    assertThat(mine.matches(EVENT)).isTrue();
    assertThat(other.matches(EVENT)).isFalse();
  }

  @Test
  void metadataNameEqualsAndNotEqualsAndSource() {
    assertThat(FieldSelector.parse("metadata.name==e1", ApiKinds.EVENTS).matches(EVENT)).isTrue();
    assertThat(FieldSelector.parse("metadata.name!=e1", ApiKinds.EVENTS).matches(EVENT)).isFalse();
    assertThat(FieldSelector.parse("source=sourceip-operator", ApiKinds.EVENTS).matches(EVENT))
        .isTrue();
    assertThat(FieldSelector.parse("", ApiKinds.EVENTS).matches(EVENT)).isTrue();
  }

  @Test
  void aFieldTheKindDoesNotSupportIsRefusedAsTheApiServerDoes() {
    assertThatThrownBy(() -> FieldSelector.parse("spec.ipRecordSid=x", ApiKinds.NAMESPACES))
        .hasMessage("field label not supported: spec.ipRecordSid");
    assertThatThrownBy(() -> FieldSelector.parse("involvedObject.name=x", ApiKinds.NAMESPACES))
        .hasMessage("field label not supported: involvedObject.name");
  }

  @Test
  void theWatchLogAnswersTheChangesSinceAResourceVersionThatMatch() {
    WatchLog log = new WatchLog(2);
    log.add(new WatchLog.Change(5, "ADDED", EVENT));
    JsonNode other =
        Discovery.readTree(
            "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"e2\","
                + "\"namespace\":\"telephony\"}}");
    log.add(new WatchLog.Change(6, "ADDED", other));
    FieldSelector e1 = FieldSelector.parse("metadata.name=e1", ApiKinds.EVENTS);

    assertThat(log.since(4, ApiKinds.EVENTS, "telephony", e1, null).changes())
        .extracting(WatchLog.Change::resourceVersion)
        .containsExactly(5L);
    assertThat(log.since(5, ApiKinds.EVENTS, "telephony", e1, null).changes()).isEmpty();
    assertThat(log.since(5, ApiKinds.EVENTS, "telephony", e1, null).latest()).isEqualTo(6);
    assertThat(log.since(0, ApiKinds.EVENTS, "elsewhere", FieldSelector.EVERYTHING, null).changes())
        .isEmpty();

    log.add(new WatchLog.Change(7, "DELETED", other));
    assertThat(log.expired(4)).isTrue();
    assertThat(log.expired(5)).isFalse();
  }

  @Test
  void equalityLabelSelectors() {
    JsonNode labels = Discovery.readTree("{\"app\":\"pbx\",\"tier\":\"edge\"}");
    assertThat(WatchLog.labelsMatch("app=pbx,tier", labels)).isTrue();
    assertThat(WatchLog.labelsMatch("app!=pbx", labels)).isFalse();
    assertThat(WatchLog.labelsMatch("!tier", labels)).isFalse();
    assertThat(WatchLog.labelsMatch("app==pbx,zone!=x", labels)).isTrue();
  }
}
