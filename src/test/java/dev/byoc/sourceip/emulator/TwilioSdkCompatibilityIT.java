package dev.byoc.sourceip.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.twilio.base.Page;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.sip.Domain;
import com.twilio.rest.voice.v1.IpRecord;
import com.twilio.rest.voice.v1.SourceIpMapping;
import dev.byoc.sourceip.KnownSecrets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Twilio's official Java helper library (11.0.0) against the standalone emulator process: if the
 * SDK can create, read, page, update and delete, and parses the errors, the wire is Twilio's.
 */
class TwilioSdkCompatibilityIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  static final String KEY = KnownSecrets.API_KEY_SID;
  static final String KEY_SECRET = KnownSecrets.API_SECRET;

  static EmulatorProcess emulator;
  static TwilioRestClient client;
  static TwilioRestClient keyClient;
  static String baseUrl;

  @BeforeAll
  static void start() throws Exception {
    emulator =
        EmulatorProcess.start(
            "--port",
            "0",
            "--account",
            ACCOUNT + ":" + TOKEN,
            "--api-key",
            ACCOUNT + ":" + KEY + ":" + KEY_SECRET);
    baseUrl = EmulatorProcess.value(emulator.banner(30_000), "TWILIO_BASE_URL");
    client = clientFor(ACCOUNT, TOKEN);
    keyClient = clientFor(KEY, KEY_SECRET);
  }

  static TwilioRestClient clientFor(String user, String password) {
    return new TwilioRestClient.Builder(user, password)
        .accountSid(ACCOUNT)
        .httpClient(new LocalHttpClient(baseUrl))
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void ipRecordsAndMappingsFullLifecycleWithPaging() {
    Domain domain = Domain.creator("sdk-main.sip.twilio.com").setFriendlyName("SDK").create(client);
    Domain other = Domain.creator("sdk-other.sip.twilio.com").create(client);
    assertThat(domain.getSid()).startsWith("SD");
    assertThat(domain.getDateCreated()).isNotNull();

    List<String> ipSids = new ArrayList<>();
    List<String> mappingSids = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      IpRecord record =
          IpRecord.creator("10.20." + (i / 200) + "." + (i % 200 + 1))
              .setFriendlyName("pbx-" + i)
              .setCidrPrefixLength(32)
              .create(client);
      assertThat(record.getSid()).startsWith("IL");
      assertThat(record.getAccountSid()).isEqualTo(ACCOUNT);
      assertThat(record.getDateCreated()).isNotNull();
      ipSids.add(record.getSid());
      SourceIpMapping mapping =
          SourceIpMapping.creator(record.getSid(), domain.getSid()).create(client);
      assertThat(mapping.getIpRecordSid()).isEqualTo(record.getSid());
      mappingSids.add(mapping.getSid());
    }

    // list with paging: 120 records, pages of 50 -> every record exactly once
    List<String> seenIps = new ArrayList<>();
    IpRecord.reader().setPageSize(50L).read(client).forEach(r -> seenIps.add(r.getSid()));
    assertThat(seenIps)
        .hasSize(120)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ipSids);

    List<String> seenMappings = new ArrayList<>();
    int pages = 0;
    var reader = SourceIpMapping.reader().setPageSize(50L);
    Page<SourceIpMapping> page = reader.firstPage(client);
    while (true) {
      pages++;
      page.getRecords().forEach(m -> seenMappings.add(m.getSid()));
      if (!page.hasNextPage()) {
        break;
      }
      page = reader.nextPage(page, client);
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seenMappings)
        .hasSize(120)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(mappingSids);

    // fetch and update
    String ip = ipSids.get(7);
    assertThat(IpRecord.fetcher(ip).fetch(client).getFriendlyName()).isEqualTo("pbx-7");
    assertThat(IpRecord.updater(ip).setFriendlyName("renamed").update(client).getFriendlyName())
        .isEqualTo("renamed");
    String mapping = mappingSids.get(7);
    assertThat(SourceIpMapping.fetcher(mapping).fetch(client).getSipDomainSid())
        .isEqualTo(domain.getSid());
    SourceIpMapping moved = SourceIpMapping.updater(mapping, other.getSid()).update(client);
    assertThat(moved.getSipDomainSid()).isEqualTo(other.getSid());
    assertThat(moved.getUrl().toString()).isEqualTo(baseUrl + "/v1/SourceIpMappings/" + mapping);

    // delete
    assertThat(SourceIpMapping.deleter(mapping).delete(client)).isTrue();
    assertThat(IpRecord.deleter(ip).delete(client)).isTrue();
    assertThatThrownBy(() -> SourceIpMapping.fetcher(mapping).fetch(client))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(20404);
              assertThat(e.getStatusCode()).isEqualTo(404);
              assertThat(e.getMessage()).contains(mapping);
            });
    assertThatThrownBy(() -> IpRecord.fetcher(ip).fetch(client))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(20404));
  }

  @Test
  void sipDomainsFetchListUpdateDelete() {
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      created.add(Domain.creator("sdk-list-" + i + ".sip.twilio.com").create(client).getSid());
    }
    String sid = created.iterator().next();
    Domain fetched = Domain.fetcher(sid).fetch(client);
    assertThat(fetched.getDomainName()).startsWith("sdk-list-");
    assertThat(fetched.getApiVersion()).isEqualTo("2010-04-01");
    assertThat(fetched.getDateUpdated()).isNotNull();
    assertThat(fetched.getSubresourceUris()).containsKey("ip_access_control_list_mappings");

    List<String> seen = new ArrayList<>();
    Domain.reader().setPageSize(3L).read(client).forEach(d -> seen.add(d.getSid()));
    assertThat(seen).doesNotHaveDuplicates().containsAll(created);

    assertThat(Domain.updater(sid).setFriendlyName("Renamed").update(client).getFriendlyName())
        .isEqualTo("Renamed");
    assertThat(Domain.deleter(sid).delete(client)).isTrue();
    assertThatThrownBy(() -> Domain.fetcher(sid).fetch(client))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(20404));
  }

  @Test
  void apiKeyClientWorks() {
    IpRecord record = IpRecord.creator("172.16.0.1").create(keyClient);
    assertThat(IpRecord.fetcher(record.getSid()).fetch(keyClient).getIpAddress())
        .isEqualTo("172.16.0.1");
    assertThat(IpRecord.deleter(record.getSid()).delete(keyClient)).isTrue();
  }

  @Test
  void sdkParsesValidationErrors() {
    assertThatThrownBy(
            () ->
                SourceIpMapping.creator("IL" + "0".repeat(32), "SD" + "0".repeat(32))
                    .create(client))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(20001);
              assertThat(e.getStatusCode()).isEqualTo(400);
              assertThat(e.getMessage()).contains("IpRecordSid");
              assertThat(e.getMoreInfo()).isEqualTo("https://www.twilio.com/docs/errors/20001");
            });
    assertThatThrownBy(() -> IpRecord.creator("not-an-ip").create(client))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(20001);
              assertThat(e.getMessage()).contains("IpAddress");
            });
  }

  @Test
  void sdkParsesAuthenticationErrors() {
    TwilioRestClient wrong = clientFor(ACCOUNT, KnownSecrets.WRONG_AUTH_TOKEN);
    assertThatThrownBy(() -> IpRecord.reader().read(wrong).iterator().hasNext())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(20003);
              assertThat(e.getStatusCode()).isEqualTo(401);
              assertThat(e.getMessage()).isEqualTo("Authenticate");
            });
  }
}
