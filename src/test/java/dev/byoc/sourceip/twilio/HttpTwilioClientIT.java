package dev.byoc.sourceip.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client against the emulator over real HTTP: every endpoint, its errors, paging, isolation.
 */
class HttpTwilioClientIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  static final String OTHER = KnownSecrets.OTHER_ACCOUNT_SID;
  static final String OTHER_TOKEN = KnownSecrets.OTHER_AUTH_TOKEN;
  static final String KEY = "SK" + "33333333333333333333333333333333";
  static final String KEY_SECRET = KnownSecrets.API_SECRET;

  @RegisterExtension
  static final EmulatorExtension EMULATOR =
      EmulatorExtension.withKnownAccount()
          .account(OTHER, OTHER_TOKEN)
          .apiKey(ACCOUNT, KEY, KEY_SECRET);

  static TwilioEmulator emulator;
  HttpTwilioClient client;
  String ipRecord;
  String domain;

  @BeforeAll
  static void startEmulator() {
    emulator = EMULATOR.emulator();
  }

  static TwilioConfig.Builder config(String account, String token) {
    return TwilioConfig.builder(account, token, emulator.baseUrl())
        .retries(3, Duration.ofMillis(10), Duration.ofSeconds(3));
  }

  @BeforeEach
  void freshState() {
    emulator.reset();
    emulator.faults().clearScript();
    emulator.counters().reset();
    client = new HttpTwilioClient(config(ACCOUNT, TOKEN).build());
    ipRecord = emulator.createIpRecord(ACCOUNT, "203.0.113.10", 32, "pbx");
    domain = emulator.createSipDomain(ACCOUNT, "acme-" + System.nanoTime() + ".sip.twilio.com");
  }

  @Test
  void sourceIpMappingLifecycleCostsOneRequestPerOperation() {
    TwilioMapping created = client.createSourceIpMapping(ipRecord, domain);
    assertThat(created.sid()).matches("^IB[0-9a-f]{32}$");
    assertThat(created.ipRecordSid()).isEqualTo(ipRecord);
    assertThat(created.sipDomainSid()).isEqualTo(domain);
    assertThat(created.dateCreated()).isNotNull();
    assertThat(created.url())
        .isEqualTo(emulator.baseUrl() + "/v1/SourceIpMappings/" + created.sid());

    assertThat(client.fetchSourceIpMapping(created.sid())).isEqualTo(created);
    assertThat(client.listSourceIpMappings()).containsExactly(created);

    String otherDomain =
        emulator.createSipDomain(ACCOUNT, "other-" + System.nanoTime() + ".sip.twilio.com");
    TwilioMapping updated = client.updateSourceIpMapping(created.sid(), otherDomain);
    assertThat(updated.sid()).isEqualTo(created.sid());
    assertThat(updated.sipDomainSid()).isEqualTo(otherDomain);

    client.deleteSourceIpMapping(created.sid());
    assertThatThrownBy(() -> client.fetchSourceIpMapping(created.sid()))
        .isInstanceOfSatisfying(TwilioApiException.class, e -> assertThat(e.isNotFound()).isTrue());

    var c = emulator.counters();
    assertThat(c.count("POST", "/v1/SourceIpMappings")).isEqualTo(1);
    assertThat(c.count("GET", "/v1/SourceIpMappings/{Sid}")).isEqualTo(2);
    assertThat(c.count("GET", "/v1/SourceIpMappings")).isEqualTo(1);
    assertThat(c.count("POST", "/v1/SourceIpMappings/{Sid}")).isEqualTo(1);
    assertThat(c.count("DELETE", "/v1/SourceIpMappings/{Sid}")).isEqualTo(1);
    assertThat(c.total()).isEqualTo(6);
  }

  @Test
  void ipRecordLifecycle() {
    TwilioIpRecord created = client.createIpRecord("198.51.100.0", "carrier-a", 24);
    assertThat(created.sid()).startsWith("IL");
    assertThat(created.accountSid()).isEqualTo(ACCOUNT);
    assertThat(created.ipAddress()).isEqualTo("198.51.100.0");
    assertThat(created.cidrPrefixLength()).isEqualTo(24);
    assertThat(created.friendlyName()).isEqualTo("carrier-a");

    TwilioIpRecord defaults = client.createIpRecord("198.51.100.7", null, null);
    assertThat(defaults.cidrPrefixLength()).isEqualTo(32);

    assertThat(client.fetchIpRecord(created.sid())).isEqualTo(created);
    assertThat(client.listIpRecords())
        .extracting(TwilioIpRecord::sid)
        .contains(created.sid(), defaults.sid(), ipRecord);
    assertThat(client.updateIpRecord(created.sid(), "carrier-b").friendlyName())
        .isEqualTo("carrier-b");
    client.deleteIpRecord(created.sid());
    assertThatThrownBy(() -> client.deleteIpRecord(created.sid()))
        .isInstanceOfSatisfying(
            TwilioApiException.class,
            e -> {
              assertThat(e.isNotFound()).isTrue();
              assertThat(e.code()).contains(TwilioApiException.CODE_NOT_FOUND);
              assertThat(e.errorClass()).isEqualTo(ErrorClass.TERMINAL);
            });
    assertThat(emulator.counters().total()).isEqualTo(7);
  }

  @Test
  void sipDomainsFetchAndList() {
    SipDomain fetched = client.fetchSipDomain(domain);
    assertThat(fetched.sid()).isEqualTo(domain);
    assertThat(fetched.accountSid()).isEqualTo(ACCOUNT);
    assertThat(fetched.domainName()).endsWith(".sip.twilio.com");
    assertThat(fetched.dateCreated()).isNotNull();
    assertThat(client.listSipDomains()).extracting(SipDomain::sid).containsExactly(domain);
    assertThat(
            emulator.counters().count("GET", "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json"))
        .isEqualTo(1);
  }

  @Test
  void validationErrorsAreTerminalAndCarryTwiliosBody() {
    assertThatThrownBy(() -> client.createSourceIpMapping("ILnot-a-sid", domain))
        .isInstanceOfSatisfying(
            TwilioApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.code()).isPresent();
              assertThat(e.twilioMessage()).contains("IpRecordSid");
              assertThat(e.moreInfo()).startsWith("https://www.twilio.com/docs/errors/");
              assertThat(e.errorClass()).isEqualTo(ErrorClass.TERMINAL);
            });
    String missing = "IL" + "9".repeat(32);
    assertThatThrownBy(() -> client.createSourceIpMapping(missing, domain))
        .isInstanceOfSatisfying(
            TwilioApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    client.createSourceIpMapping(ipRecord, domain);
    assertThatThrownBy(() -> client.createSourceIpMapping(ipRecord, domain))
        .isInstanceOfSatisfying(
            TwilioApiException.class, e -> assertThat(e.isClientError()).isTrue());
    assertThatThrownBy(() -> client.createIpRecord("300.1.2.3", null, null))
        .isInstanceOfSatisfying(
            TwilioApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> client.createIpRecord("10.1.2.3", null, 33))
        .isInstanceOfSatisfying(
            TwilioApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    // a 4xx is never retried: one request per failed call above, plus the one successful create
    assertThat(emulator.counters().total()).isEqualTo(6);
  }

  @Test
  void wrongCredentialsAreACredentialsError() {
    HttpTwilioClient wrong =
        new HttpTwilioClient(config(ACCOUNT, KnownSecrets.WRONG_AUTH_TOKEN).build());

    assertThatThrownBy(wrong::listSourceIpMappings)
        .isInstanceOfSatisfying(
            TwilioApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.code()).contains(TwilioApiException.CODE_AUTHENTICATE);
              assertThat(e.errorClass()).isEqualTo(ErrorClass.CREDENTIALS);
            });
    assertThat(emulator.counters().count("GET", "/v1/SourceIpMappings", 401)).isEqualTo(1);
  }

  @Test
  void apiKeyAuthenticatesForItsAccount() {
    HttpTwilioClient keyed =
        new HttpTwilioClient(config(ACCOUNT, TOKEN).apiKey(KEY, KEY_SECRET).build());

    TwilioMapping m = keyed.createSourceIpMapping(ipRecord, domain);
    assertThat(client.fetchSourceIpMapping(m.sid())).isEqualTo(m);
    assertThat(keyed.listSipDomains()).extracting(SipDomain::sid).containsExactly(domain);
  }

  @Test
  void accountsSeeOnlyTheirOwnResources() {
    TwilioMapping mine = client.createSourceIpMapping(ipRecord, domain);
    HttpTwilioClient other = new HttpTwilioClient(config(OTHER, OTHER_TOKEN).build());

    assertThat(other.listSourceIpMappings()).isEmpty();
    assertThat(other.listIpRecords()).isEmpty();
    assertThat(other.listSipDomains()).isEmpty();
    for (Runnable r :
        List.<Runnable>of(
            () -> other.fetchSourceIpMapping(mine.sid()),
            () -> other.deleteSourceIpMapping(mine.sid()),
            () -> other.fetchIpRecord(ipRecord),
            () -> other.fetchSipDomain(domain))) {
      assertThatThrownBy(r::run)
          .isInstanceOfSatisfying(
              TwilioApiException.class, e -> assertThat(e.isNotFound()).isTrue());
    }
    assertThat(client.fetchSourceIpMapping(mine.sid())).isEqualTo(mine);
  }

  @Test
  void listsFollowEveryPageAtPageSize1000() {
    for (int i = 0; i < 2100; i++) {
      emulator.createIpRecord(ACCOUNT, "10.%d.%d.1".formatted(i / 256, i % 256), 32, null);
    }
    emulator.counters().reset();

    List<TwilioIpRecord> all = client.listIpRecords();

    assertThat(all).hasSize(2101);
    Set<String> sids = all.stream().map(TwilioIpRecord::sid).collect(Collectors.toSet());
    assertThat(sids).hasSize(2101);
    assertThat(emulator.counters().count("GET", "/v1/IpRecords", 200)).isEqualTo(3);
    assertThat(emulator.counters().total()).isEqualTo(3);
  }

  @Test
  void mappingsPageToo() {
    HttpTwilioClient small = new HttpTwilioClient(config(ACCOUNT, TOKEN).paging(7, 100).build());
    for (int i = 0; i < 20; i++) {
      String ip = emulator.createIpRecord(ACCOUNT, "192.0.2." + (i + 1), 32, null);
      small.createSourceIpMapping(ip, domain);
    }
    emulator.counters().reset();

    assertThat(small.listSourceIpMappings())
        .hasSize(20)
        .extracting(TwilioMapping::sid)
        .doesNotHaveDuplicates();
    assertThat(emulator.counters().count("GET", "/v1/SourceIpMappings")).isEqualTo(3);
  }

  @Test
  void aServerThatNeverEndsIsCutOff() {
    for (int i = 0; i < 30; i++) {
      emulator.createIpRecord(ACCOUNT, "10.9.9." + (i + 1), 32, null);
    }
    HttpTwilioClient bounded = new HttpTwilioClient(config(ACCOUNT, TOKEN).paging(5, 3).build());

    assertThatThrownBy(bounded::listIpRecords)
        .isInstanceOf(TwilioTransportException.class)
        .hasMessageContaining("after 3 pages");
  }
}
