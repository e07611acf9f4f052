package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.emulator.ScriptedFault;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bad-input table of docs/bad-input.md at operator level, a test per row: the operator keeps
 * reconciling valid resources, the bad one gets a clear condition and an Event, and the requests it
 * costs at Twilio stay within what the retry rules allow.
 */
@EnableKubernetesMockClient(crud = true)
class BadInputIT {
  static final String MAPPINGS = "/v1/SourceIpMappings";

  static KubernetesClient client;

  OperatorHarness h;

  @BeforeEach
  void setUp() {
    h = new OperatorHarness(client);
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  /**
   * Twilio (or a proxy before it) processes the create but spoils the answer, then spoils the list
   * that should find it: the resource reports TwilioUnavailable, then adopts the one mapping that
   * was created. The create is never repeated before a list has looked.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "malformed-json|Twilio sent an unreadable 200 response (",
        "html|Twilio answered 502 to GET /v1/SourceIpMappings: <html>",
        "empty-body|Twilio sent an unreadable 200 response (no body)",
        "huge-body|body larger than 16777216 bytes",
        "endless-body|No answer from Twilio for GET /v1/SourceIpMappings"
      })
  void aSpoiledAnswerIsTwilioUnavailableThenReadyWithOneMapping(String fault, String says) {
    h.operatorTwilio(
            b ->
                b.retries(0, Duration.ofMillis(20), Duration.ofSeconds(1))
                    .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .start();
    String domain = h.newDomain();
    h.apply(h.resource("before", h.newIpRecord(), domain));
    h.awaitReady("before");
    long listsBefore = h.count("GET", MAPPINGS);
    h.emulator
        .faults()
        .script(
            ScriptedFault.of(fault).forMethod("POST").forPath(MAPPINGS),
            ScriptedFault.of(fault).forMethod("GET").forPath(MAPPINGS));
    String ip = h.newIpRecord();

    h.apply(h.resource("spoiled", ip, domain));

    SourceIpMapping failing =
        h.awaitCondition("spoiled", Conditions.SYNCED, "False", Reasons.TWILIO_UNAVAILABLE);
    assertThat(message(failing, Conditions.SYNCED))
        .startsWith("Twilio unavailable, retrying: ")
        .contains(says);
    assertThat(condition(failing, Conditions.READY).getReason()).isEqualTo(Reasons.CREATING);
    h.apply(h.resource("during", h.newIpRecord(), domain));
    h.awaitReady("during");
    SourceIpMapping ready = h.awaitReady("spoiled");

    assertThat(h.emulator.sourceIpMappings(OperatorHarness.ACCOUNT))
        .filteredOn(m -> m.ipRecordSid().equals(ip))
        .singleElement()
        .satisfies(m -> assertThat(m.sid()).isEqualTo(ready.getStatus().getSid()));
    assertThat(h.creates()).as("one create each, the spoiled one never repeated").isEqualTo(3);
    assertThat(h.count("GET", MAPPINGS) - listsBefore)
        .as("the spoiled list, then the one that found the mapping")
        .isLessThanOrEqualTo(2);
    assertThat(eventsOf("spoiled", Reasons.TWILIO_UNAVAILABLE))
        .anySatisfy(e -> assertThat(e.getMessage()).contains(says));
  }

  // ---- helpers -------------------------------------------------------------------------------

  List<Event> eventsOf(String name, String reason) {
    return h.events(name).stream().filter(e -> reason.equals(e.getReason())).toList();
  }

  static Condition condition(SourceIpMapping r, String type) {
    return Conditions.find(r.getStatus().getConditions(), type);
  }

  static String message(SourceIpMapping r, String type) {
    return condition(r, type).getMessage();
  }
}
