package dev.byoc.sourceip.emulator;

import static dev.byoc.sourceip.emulator.SpecValidator.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.testing.EmulatorExtension;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The duplicate ledger, the processed-request hook and fault counts that the chaos suite uses. */
class EmulatorDuplicatesTest {
  static final String ACCOUNT = "AC" + "e".repeat(32);
  static final String TOKEN = "duplicates-token";
  static final String MAPPINGS = "/v1/SourceIpMappings";

  @RegisterExtension
  static final EmulatorExtension EMULATOR = EmulatorExtension.create().account(ACCOUNT, TOKEN);

  static TwilioEmulator emulator;
  static Wire wire;
  String ipRecord;
  String domain;

  @BeforeAll
  static void start() {
    emulator = EMULATOR.emulator();
    wire = new Wire(emulator.baseUrl(), ACCOUNT, TOKEN);
  }

  @AfterAll
  static void stop() {
    wire.close();
  }

  @BeforeEach
  void clean() {
    emulator.reset();
    emulator.allowDuplicateMappings(false);
    emulator.onProcessed(null);
    emulator.faults().update(FaultSettings.none());
    emulator.faults().clearScript();
    emulator.counters().reset();
    ipRecord = emulator.createIpRecord(ACCOUNT, "10.1.0.1", 32, "dup");
    domain = emulator.createSipDomain(ACCOUNT, "dup.sip.twilio.com");
  }

  @Test
  void aSecondMappingIsRefusedByDefaultAndTheAttemptRecorded() throws IOException {
    String first = sid(wire.post(MAPPINGS, "IpRecordSid", ipRecord, "SipDomainSid", domain));
    error(wire.post(MAPPINGS, "IpRecordSid", ipRecord, "SipDomainSid", domain), 400, 20001);

    assertThat(emulator.mappingCount(ACCOUNT)).isEqualTo(1);
    assertThat(emulator.duplicateMappings())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.ipRecordSid()).isEqualTo(ipRecord);
              assertThat(d.existingSid()).isEqualTo(first);
              assertThat(d.existed()).isFalse();
            });
  }

  @Test
  void allowedDuplicatesExistAndAreRecordedUntilReset() throws IOException {
    emulator.allowDuplicateMappings(true);
    String first = sid(wire.post(MAPPINGS, "IpRecordSid", ipRecord, "SipDomainSid", domain));
    String second = sid(wire.post(MAPPINGS, "IpRecordSid", ipRecord, "SipDomainSid", domain));

    assertThat(emulator.mappingCount(ACCOUNT)).isEqualTo(2);
    assertThat(emulator.duplicateMappings())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.existingSid()).isEqualTo(first);
              assertThat(d.createdSid()).isEqualTo(second);
              assertThat(d.existed()).isTrue();
            });
    // the IP record stays in use until both are gone
    assertThat(wire.delete(MAPPINGS + "/" + first).status()).isEqualTo(204);
    assertThat(wire.delete("/v1/IpRecords/" + ipRecord).status()).isEqualTo(400);
    assertThat(wire.delete(MAPPINGS + "/" + second).status()).isEqualTo(204);
    assertThat(wire.delete("/v1/IpRecords/" + ipRecord).status()).isEqualTo(204);

    emulator.reset();
    assertThat(emulator.duplicateMappings()).isEmpty();
  }

  @Test
  void theListenerSeesAWriteBeforeItsAnswerAndFaultsAreCounted() throws IOException {
    List<ProcessedRequest> seen = new CopyOnWriteArrayList<>();
    emulator.onProcessed(
        request -> {
          seen.add(request);
          // the write is already visible while the answer waits
          assertThat(emulator.mappingCount(ACCOUNT)).isEqualTo(1);
        });
    emulator.faults().script(ScriptedFault.of("503"), ScriptedFault.of("reset-after"));

    error(wire.post(MAPPINGS, "IpRecordSid", ipRecord, "SipDomainSid", domain), 503, 20503);
    assertThat(emulator.mappingCount(ACCOUNT)).isZero();
    assertThat(seen).isEmpty(); // a 503 fault is answered without processing

    assertThatThrownBy(() -> wire.post(MAPPINGS, "IpRecordSid", ipRecord, "SipDomainSid", domain))
        .isInstanceOf(IOException.class); // reset after processing: no answer
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).sameAs(new ProcessedRequest("POST", MAPPINGS, ACCOUNT, 201, ACCOUNT, 0)))
        .as("%s", seen.get(0))
        .isTrue();
    assertThat(emulator.counters().faults())
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("503", 1L, "reset-after", 1L)));
  }

  private static String sid(Wire.Answer answer) {
    assertThat(answer.status()).isEqualTo(201);
    return answer.json().get("sid").asText();
  }
}
