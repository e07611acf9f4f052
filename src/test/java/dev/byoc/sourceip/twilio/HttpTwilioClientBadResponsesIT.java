package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.emulator.ScriptedFault;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers Twilio (or a proxy before it) may send that are not Twilio's JSON: the client never
 * crashes, never hangs, never repeats a create, and says what it got.
 */
class HttpTwilioClientBadResponsesIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;

  @RegisterExtension static final EmulatorExtension EMULATOR = EmulatorExtension.withKnownAccount();

  static TwilioEmulator emulator;
  TwilioClient client;
  String ipRecord;
  String domain;

  @BeforeAll
  static void start() {
    emulator = EMULATOR.emulator();
  }

  @BeforeEach
  void fresh() {
    emulator.reset();
    emulator.faults().clearScript();
    emulator.counters().reset();
    client =
        new HttpTwilioClient(
            TwilioConfig.builder(ACCOUNT, TOKEN, emulator.baseUrl())
                .retries(2, Duration.ofMillis(5), Duration.ofMillis(50))
                .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .build());
    ipRecord = emulator.createIpRecord(ACCOUNT, "203.0.113.40", 32, null);
    domain = emulator.createSipDomain(ACCOUNT, "bad-" + System.nanoTime() + ".sip.twilio.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"malformed-json", "empty-body", "huge-body"})
  void anUnreadableAnswerToAReadIsAnErrorThatIsNotRepeatedAtOnce(String fault) {
    emulator.faults().script(ScriptedFault.of(fault).forMethod("GET"));

    assertThatThrownBy(client::listSourceIpMappings)
        .isInstanceOfSatisfying(
            TwilioTransportException.class,
            e -> {
              assertThat(e.getMessage()).contains("unreadable 200 response");
              assertThat(e.errorClass()).isEqualTo(ErrorClass.RECOVERABLE);
            });
    assertThat(emulator.counters().count("GET", "/v1/SourceIpMappings")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"malformed-json", "empty-body", "huge-body", "html"})
  void anUnreadableAnswerToACreateIsAnUnknownOutcomeAndNeverRepeated(String fault) {
    emulator.faults().script(ScriptedFault.of(fault).forMethod("POST"));

    assertThatThrownBy(() -> client.createSourceIpMapping(ipRecord, domain))
        .isInstanceOf(TwilioOutcomeUnknownException.class);

    assertThat(emulator.counters().count("POST", "/v1/SourceIpMappings")).isEqualTo(1);
    assertThat(client.listSourceIpMappings()).hasSize(1); // it was created: look, then adopt
  }

  @ParameterizedTest
  @ValueSource(strings = {"html"})
  void aProxysHtmlPageIsAServerErrorWithAShortExcerpt(String fault) {
    emulator.faults().script(ScriptedFault.of(fault).forMethod("GET"));

    assertThat(client.listSourceIpMappings()).isEmpty(); // 502 on a read: retried, then fine
    assertThat(emulator.counters().count("GET", "/v1/SourceIpMappings", 502)).isEqualTo(1);

    emulator
        .faults()
        .script(
            ScriptedFault.of(fault).forMethod("GET"),
            ScriptedFault.of(fault).forMethod("GET"),
            ScriptedFault.of(fault).forMethod("GET"));
    assertThatThrownBy(client::listSourceIpMappings)
        .isInstanceOfSatisfying(
            TwilioApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.code()).isEmpty();
              assertThat(e.twilioMessage()).contains("502 Bad Gateway").hasSizeLessThan(210);
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "GET"})
  void aHugeTwilioErrorMessageIsKeptToItsStartAndNotRetried(String method) {
    emulator.faults().script(ScriptedFault.of("huge-error").forMethod(method));

    assertThatThrownBy(
            () -> {
              if (method.equals("POST")) {
                client.createSourceIpMapping(ipRecord, domain);
              } else {
                client.listSourceIpMappings();
              }
            })
        .isInstanceOfSatisfying(
            TwilioApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).contains(20001);
              assertThat(e.errorClass()).isEqualTo(ErrorClass.TERMINAL);
              assertThat(e.twilioMessage())
                  .startsWith("Invalid parameter (emulated huge error): lorem ipsum")
                  .endsWith(" more characters)")
                  .hasSizeLessThan(ErrorResponses.MAX_TWILIO_MESSAGE + 40);
            });
    assertThat(emulator.counters().count(method, "/v1/SourceIpMappings")).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"endless-body"})
  void aBodyThatNeverEndsIsCutOffByTheCallTimeout(String fault) {
    emulator.faults().script(ScriptedFault.of(fault).forMethod("GET"));
    long start = System.nanoTime();

    assertThat(client.listSourceIpMappings()).isEmpty(); // the timed-out read is repeated

    assertThat(emulator.counters().count("GET", "/v1/SourceIpMappings")).isEqualTo(2);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
  }
}
