package dev.byoc.sourceip.emulator;

import static dev.byoc.sourceip.emulator.SpecValidator.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every documented operation over real HTTP, each exchange checked against Twilio's own spec. */
class EmulatorSpecConformanceIT {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  static final String OTHER = KnownSecrets.OTHER_ACCOUNT_SID;
  static final String OTHER_TOKEN = KnownSecrets.OTHER_AUTH_TOKEN;
  static final String KEY = KnownSecrets.API_KEY_SID;
  static final String KEY_SECRET = KnownSecrets.API_SECRET;
  static final String DOMAINS = "/2010-04-01/Accounts/" + ACCOUNT + "/SIP/Domains";

  @RegisterExtension
  static final EmulatorExtension EMULATOR =
      EmulatorExtension.withKnownAccount()
          .account(OTHER, OTHER_TOKEN)
          .apiKey(ACCOUNT, KEY, KEY_SECRET);

  static TwilioEmulator emulator;
  static Wire wire;
  static SpecValidator spec;

  @BeforeAll
  static void start() {
    emulator = EMULATOR.emulator();
    wire = new Wire(emulator.baseUrl(), ACCOUNT, TOKEN);
    spec = new SpecValidator();
  }

  @AfterAll
  static void stop() {
    wire.close();
  }

  @BeforeEach
  void clean() {
    emulator.reset();
  }

  // --- IP records ---

  @Test
  void ipRecordCreateFetchListUpdateDelete() throws IOException {
    JsonNode created =
        spec.success(
                wire.post(
                    "/v1/IpRecords",
                    "IpAddress",
                    "203.0.113.7",
                    "CidrPrefixLength",
                    "30",
                    "FriendlyName",
                    "pbx-1"),
                201)
            .json();
    String sid = created.get("sid").asText();
    assertThat(sid).matches("^IL[0-9a-f]{32}$");
    assertThat(created.get("account_sid").asText()).isEqualTo(ACCOUNT);
    assertThat(created.get("ip_address").asText()).isEqualTo("203.0.113.7");
    assertThat(created.get("cidr_prefix_length").asInt()).isEqualTo(30);
    assertThat(created.get("friendly_name").asText()).isEqualTo("pbx-1");
    assertThat(created.get("date_created").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(created.get("url").asText()).isEqualTo(emulator.baseUrl() + "/v1/IpRecords/" + sid);

    JsonNode defaulted =
        spec.success(wire.post("/v1/IpRecords", "IpAddress", "198.51.100.1"), 201).json();
    assertThat(defaulted.get("cidr_prefix_length").asInt()).isEqualTo(32);

    assertThat(spec.success(wire.get("/v1/IpRecords/" + sid), 200).json()).isEqualTo(created);

    JsonNode updated =
        spec.success(wire.post("/v1/IpRecords/" + sid, "FriendlyName", "renamed"), 200).json();
    assertThat(updated.get("friendly_name").asText()).isEqualTo("renamed");
    assertThat(updated.get("ip_address").asText()).isEqualTo("203.0.113.7");

    JsonNode list = spec.success(wire.get("/v1/IpRecords"), 200).json();
    assertThat(list.get("ip_records")).hasSize(2);
    assertThat(list.get("meta").get("key").asText()).isEqualTo("ip_records");
    assertThat(list.get("meta").get("page_size").asInt()).isEqualTo(50);
    assertThat(list.get("meta").get("next_page_url").isNull()).isTrue();
    assertThat(list.get("meta").get("previous_page_url").isNull()).isTrue();

    spec.success(wire.delete("/v1/IpRecords/" + sid), 204);
    error(wire.get("/v1/IpRecords/" + sid), 404, 20404);
    assertThat(emulator.ipRecordCount(ACCOUNT)).isEqualTo(1);
  }

  // --- source IP mappings ---

  @Test
  void mappingCreateFetchListUpdateDelete() throws IOException {
    String ip = emulator.createIpRecord(ACCOUNT, "10.0.0.1", 32, "pbx");
    String domainA =
        spec.success(wire.post(DOMAINS + ".json", "DomainName", "a-side.sip.twilio.com"), 201)
            .json()
            .get("sid")
            .asText();
    String domainB = emulator.createSipDomain(ACCOUNT, "b-side.sip.twilio.com");

    JsonNode created =
        spec.success(
                wire.post("/v1/SourceIpMappings", "IpRecordSid", ip, "SipDomainSid", domainA), 201)
            .json();
    String sid = created.get("sid").asText();
    assertThat(sid).matches("^IB[0-9a-f]{32}$");
    assertThat(created.get("ip_record_sid").asText()).isEqualTo(ip);
    assertThat(created.get("sip_domain_sid").asText()).isEqualTo(domainA);
    assertThat(created.get("url").asText())
        .isEqualTo(emulator.baseUrl() + "/v1/SourceIpMappings/" + sid);

    assertThat(spec.success(wire.get("/v1/SourceIpMappings/" + sid), 200).json())
        .isEqualTo(created);

    JsonNode updated =
        spec.success(wire.post("/v1/SourceIpMappings/" + sid, "SipDomainSid", domainB), 200).json();
    assertThat(updated.get("sip_domain_sid").asText()).isEqualTo(domainB);
    assertThat(updated.get("ip_record_sid").asText()).isEqualTo(ip);

    JsonNode list = spec.success(wire.get("/v1/SourceIpMappings?PageSize=10"), 200).json();
    assertThat(list.get("source_ip_mappings")).hasSize(1);
    assertThat(list.get("meta").get("key").asText()).isEqualTo("source_ip_mappings");
    assertThat(list.get("meta").get("url").asText())
        .isEqualTo(emulator.baseUrl() + "/v1/SourceIpMappings?PageSize=10&Page=0");

    spec.success(wire.delete("/v1/SourceIpMappings/" + sid), 204);
    error(wire.get("/v1/SourceIpMappings/" + sid), 404, 20404);
    assertThat(emulator.mappingCount(ACCOUNT)).isZero();
    // the IP record is free again and can be deleted
    spec.success(wire.delete("/v1/IpRecords/" + ip), 204);
  }

  // --- SIP domains ---

  @Test
  void sipDomainCreateFetchListUpdateDelete() throws IOException {
    JsonNode created =
        spec.success(
                wire.post(
                    DOMAINS + ".json",
                    "DomainName",
                    "dunder-mifflin.sip.twilio.com",
                    "FriendlyName",
                    "Scranton Office",
                    "VoiceUrl",
                    "https://example.com/twilio/app",
                    "VoiceMethod",
                    "GET",
                    "SipRegistration",
                    "true",
                    "Secure",
                    "true",
                    "ByocTrunkSid",
                    "BY" + "a".repeat(32),
                    "EmergencyCallerSid",
                    "PN" + "a".repeat(32)),
                201)
            .json();
    String sid = created.get("sid").asText();
    assertThat(sid).matches("^SD[0-9a-f]{32}$");
    assertThat(created.get("api_version").asText()).isEqualTo("2010-04-01");
    assertThat(created.get("voice_method").asText()).isEqualTo("GET");
    assertThat(created.get("voice_fallback_url").isNull()).isTrue();
    assertThat(created.get("voice_url").asText()).isEqualTo("https://example.com/twilio/app");
    assertThat(created.get("voice_fallback_method").asText()).isEqualTo("POST");
    assertThat(created.get("sip_registration").asBoolean()).isTrue();
    assertThat(created.get("emergency_calling_enabled").asBoolean()).isFalse();
    assertThat(created.get("uri").asText()).isEqualTo(DOMAINS + "/" + sid + ".json");
    assertThat(created.get("date_created").asText())
        .matches("[A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000");
    assertThat(created.get("subresource_uris").get("ip_access_control_list_mappings").asText())
        .isEqualTo(DOMAINS + "/" + sid + "/IpAccessControlListMappings.json");

    assertThat(spec.success(wire.get(DOMAINS + "/" + sid + ".json"), 200).json())
        .isEqualTo(created);

    JsonNode updated =
        spec.success(
                wire.post(
                    DOMAINS + "/" + sid + ".json",
                    "FriendlyName",
                    "Stamford Office",
                    "DomainName",
                    "stamford.sip.twilio.com",
                    "EmergencyCallingEnabled",
                    "true"),
                200)
            .json();
    assertThat(updated.get("friendly_name").asText()).isEqualTo("Stamford Office");
    assertThat(updated.get("domain_name").asText()).isEqualTo("stamford.sip.twilio.com");
    assertThat(updated.get("voice_url").asText()).isEqualTo("https://example.com/twilio/app");
    assertThat(updated.get("emergency_calling_enabled").asBoolean()).isTrue();
    // An empty URL clears it (as in the spec's example). Not spec-validated: the validator reads
    // an empty form value as null, which it rejects for a string.
    Wire.Answer cleared = wire.post(DOMAINS + "/" + sid + ".json", "VoiceUrl", "");
    assertThat(cleared.status()).isEqualTo(200);
    assertThat(cleared.json().get("voice_url").isNull()).isTrue();
    // the old name is free again
    emulator.createSipDomain(OTHER, "dunder-mifflin.sip.twilio.com");

    JsonNode list = spec.success(wire.get(DOMAINS + ".json"), 200).json();
    assertThat(list.get("domains")).hasSize(1);
    assertThat(list.get("start").asInt()).isZero();
    assertThat(list.get("end").asInt()).isZero();
    assertThat(list.get("uri").asText()).isEqualTo(DOMAINS + ".json?PageSize=50&Page=0");
    assertThat(list.get("first_page_uri").asText()).isEqualTo(DOMAINS + ".json?PageSize=50&Page=0");
    assertThat(list.get("next_page_uri").isNull()).isTrue();

    spec.success(wire.delete(DOMAINS + "/" + sid + ".json"), 204);
    error(wire.get(DOMAINS + "/" + sid + ".json"), 404, 20404);
  }

  // --- paging ---

  @Test
  void ipRecordsPageForwardAndBackWithPageTokens() throws IOException {
    List<String> sids = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      sids.add(emulator.createIpRecord(ACCOUNT, "192.0.2." + (i + 1), 32, null));
    }
    sids.sort(null);
    List<JsonNode> pages = walk("/v1/IpRecords?PageSize=3", "ip_records", "next_page_url");
    assertThat(pages).hasSize(3);
    assertThat(sidsOf(pages, "ip_records")).containsExactlyElementsOf(sids);
    JsonNode second = pages.get(1).get("meta");
    assertThat(second.get("page").asInt()).isEqualTo(1);
    assertThat(second.get("url").asText())
        .isEqualTo(
            emulator.baseUrl() + "/v1/IpRecords?PageSize=3&Page=1&PageToken=PA" + sids.get(2));
    assertThat(second.get("first_page_url").asText())
        .isEqualTo(emulator.baseUrl() + "/v1/IpRecords?PageSize=3&Page=0");
    assertThat(second.get("previous_page_url").asText())
        .isEqualTo(
            emulator.baseUrl() + "/v1/IpRecords?PageSize=3&Page=0&PageToken=PB" + sids.get(3));

    // back from the last page
    List<JsonNode> back =
        walk(
            pages.get(2).get("meta").get("previous_page_url").asText(),
            "ip_records",
            "previous_page_url");
    assertThat(sidsOf(back, "ip_records")).containsExactlyInAnyOrderElementsOf(sids.subList(0, 6));
    assertThat(back.get(back.size() - 1).get("meta").get("previous_page_url").isNull()).isTrue();

    // Page without token is an offset
    JsonNode third = spec.success(wire.get("/v1/IpRecords?PageSize=3&Page=2"), 200).json();
    assertThat(sidsOf(List.of(third), "ip_records")).containsExactly(sids.get(6));
  }

  @Test
  void evenPagesEndWithoutAnEmptyTrailingPage() throws IOException {
    String domain = emulator.createSipDomain(ACCOUNT, "paging.sip.twilio.com");
    List<String> sids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String ip = emulator.createIpRecord(ACCOUNT, "198.51.100." + (i + 1), 32, null);
      sids.add(emulator.createSourceIpMapping(ACCOUNT, ip, domain));
    }
    sids.sort(null);
    List<JsonNode> pages =
        walk("/v1/SourceIpMappings?PageSize=2", "source_ip_mappings", "next_page_url");
    assertThat(pages).hasSize(3);
    assertThat(sidsOf(pages, "source_ip_mappings")).containsExactlyElementsOf(sids);
    assertThat(pages.get(2).get("meta").get("next_page_url").isNull()).isTrue();
  }

  @Test
  void sipDomainsPageWithRelativeUris() throws IOException {
    List<String> sids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sids.add(emulator.createSipDomain(ACCOUNT, "page-" + i + ".sip.twilio.com"));
    }
    sids.sort(null);
    List<String> seen = new ArrayList<>();
    String next = DOMAINS + ".json?PageSize=2";
    int pages = 0;
    while (next != null) {
      JsonNode page = spec.success(wire.get(next), 200).json();
      assertThat(page.get("start").asInt()).isEqualTo(pages * 2);
      page.get("domains").forEach(d -> seen.add(d.get("sid").asText()));
      assertThat(page.get("end").asInt()).isEqualTo(seen.size() - 1);
      next = page.get("next_page_uri").isNull() ? null : page.get("next_page_uri").asText();
      if (next != null) {
        assertThat(next)
            .startsWith(DOMAINS + ".json?PageSize=2&Page=" + (pages + 1) + "&PageToken=PA");
      }
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(sids);
  }

  // --- auth and isolation ---

  @Test
  void apiKeyActsForItsAccount() throws IOException {
    String ip = emulator.createIpRecord(ACCOUNT, "10.1.1.1", 32, null);
    JsonNode list = spec.success(wire.as(KEY, KEY_SECRET).get("/v1/IpRecords"), 200).json();
    assertThat(sidsOf(List.of(list), "ip_records")).containsExactly(ip);
  }

  @Test
  void accountsSeeOnlyTheirOwnResources() throws IOException {
    String ip = emulator.createIpRecord(ACCOUNT, "10.2.2.2", 32, null);
    String domain = emulator.createSipDomain(ACCOUNT, "mine.sip.twilio.com");
    String mapping = emulator.createSourceIpMapping(ACCOUNT, ip, domain);
    Wire other = wire.as(OTHER, OTHER_TOKEN);

    error(other.get("/v1/IpRecords/" + ip), 404, 20404);
    error(other.get("/v1/SourceIpMappings/" + mapping), 404, 20404);
    error(other.delete("/v1/SourceIpMappings/" + mapping), 404, 20404);
    error(other.get(DOMAINS + "/" + domain + ".json"), 404, 20404);
    error(other.get(DOMAINS + ".json"), 404, 20404);
    String otherDomains = "/2010-04-01/Accounts/" + OTHER + "/SIP/Domains";
    error(other.get(otherDomains + "/" + domain + ".json"), 404, 20404);
    String otherIp = emulator.createIpRecord(OTHER, "10.2.2.2", 32, null);
    error(
        other.post("/v1/SourceIpMappings", "IpRecordSid", otherIp, "SipDomainSid", domain),
        400,
        20001);
    assertThat(spec.success(other.get("/v1/IpRecords"), 200).json().get("ip_records")).hasSize(1);
    assertThat(spec.success(other.get(otherDomains + ".json"), 200).json().get("domains"))
        .isEmpty();
  }

  @Test
  void wrongOrMissingCredentialsAre401() throws IOException {
    for (Wire bad :
        List.of(
            wire.as(ACCOUNT, "wrong"),
            wire.as(null, null),
            wire.as(KEY, "wrong"),
            wire.as(OTHER, TOKEN))) {
      Wire.Answer answer = error(bad.get("/v1/SourceIpMappings"), 401, 20003);
      assertThat(answer.json().get("message").asText()).isEqualTo("Authenticate");
      assertThat(answer.headers().get("WWW-Authenticate")).isEqualTo("Basic realm=\"Twilio API\"");
    }
  }

  // --- errors ---

  static Stream<Arguments> badRequests() {
    String il = "IL" + "0".repeat(32);
    String sd = "SD" + "0".repeat(32);
    return Stream.of(
        Arguments.of(
            "missing IpAddress",
            "POST",
            "/v1/IpRecords",
            new String[] {"FriendlyName", "x"},
            400,
            20001,
            "IpAddress"),
        Arguments.of(
            "IPv6",
            "POST",
            "/v1/IpRecords",
            new String[] {"IpAddress", "2001:db8::1"},
            400,
            20001,
            "IpAddress"),
        Arguments.of(
            "octet > 255",
            "POST",
            "/v1/IpRecords",
            new String[] {"IpAddress", "10.0.0.256"},
            400,
            20001,
            "IpAddress"),
        Arguments.of(
            "three octets",
            "POST",
            "/v1/IpRecords",
            new String[] {"IpAddress", "10.0.1"},
            400,
            20001,
            "IpAddress"),
        Arguments.of(
            "CIDR 33",
            "POST",
            "/v1/IpRecords",
            new String[] {"IpAddress", "10.0.0.1", "CidrPrefixLength", "33"},
            400,
            20001,
            "CidrPrefixLength"),
        Arguments.of(
            "CIDR 0",
            "POST",
            "/v1/IpRecords",
            new String[] {"IpAddress", "10.0.0.1", "CidrPrefixLength", "0"},
            400,
            20001,
            "CidrPrefixLength"),
        Arguments.of(
            "CIDR not a number",
            "POST",
            "/v1/IpRecords",
            new String[] {"IpAddress", "10.0.0.1", "CidrPrefixLength", "x"},
            400,
            20001,
            "CidrPrefixLength"),
        Arguments.of(
            "FriendlyName 256",
            "POST",
            "/v1/IpRecords",
            new String[] {"IpAddress", "10.0.0.1", "FriendlyName", "n".repeat(256)},
            400,
            20001,
            "FriendlyName"),
        Arguments.of(
            "missing IpRecordSid",
            "POST",
            "/v1/SourceIpMappings",
            new String[] {"SipDomainSid", sd},
            400,
            20001,
            "Missing required parameter IpRecordSid"),
        Arguments.of(
            "missing SipDomainSid",
            "POST",
            "/v1/SourceIpMappings",
            new String[] {"IpRecordSid", il},
            400,
            20001,
            "Missing required parameter SipDomainSid"),
        Arguments.of(
            "bad IpRecordSid pattern",
            "POST",
            "/v1/SourceIpMappings",
            new String[] {"IpRecordSid", "IL123", "SipDomainSid", sd},
            400,
            20001,
            "IpRecordSid"),
        Arguments.of(
            "bad SipDomainSid pattern",
            "POST",
            "/v1/SourceIpMappings",
            new String[] {"IpRecordSid", il, "SipDomainSid", "XX" + "0".repeat(32)},
            400,
            20001,
            "SipDomainSid"),
        Arguments.of(
            "unknown IP record",
            "POST",
            "/v1/SourceIpMappings",
            new String[] {"IpRecordSid", il, "SipDomainSid", sd},
            400,
            20001,
            "IpRecordSid"),
        Arguments.of(
            "bad domain name",
            "POST",
            DOMAINS + ".json",
            new String[] {"DomainName", "example.com"},
            400,
            20001,
            "DomainName"),
        Arguments.of(
            "missing domain name",
            "POST",
            DOMAINS + ".json",
            new String[] {},
            400,
            20001,
            "DomainName"),
        Arguments.of(
            "bad VoiceMethod",
            "POST",
            DOMAINS + ".json",
            new String[] {"DomainName", "x.sip.twilio.com", "VoiceMethod", "PUT"},
            400,
            20001,
            "VoiceMethod"),
        Arguments.of(
            "PageSize 1001",
            "GET",
            "/v1/SourceIpMappings?PageSize=1001",
            new String[] {},
            400,
            20007,
            "PageSize"),
        Arguments.of(
            "PageSize 0",
            "GET",
            "/v1/IpRecords?PageSize=0",
            new String[] {},
            400,
            20001,
            "PageSize"),
        Arguments.of(
            "PageSize not a number",
            "GET",
            "/v1/IpRecords?PageSize=ten",
            new String[] {},
            400,
            20001,
            "PageSize"),
        Arguments.of(
            "bad PageToken",
            "GET",
            "/v1/IpRecords?PageToken=PXnope",
            new String[] {},
            400,
            20001,
            "PageToken"),
        Arguments.of(
            "PageToken of another kind",
            "GET",
            "/v1/IpRecords?PageToken=PA" + sd,
            new String[] {},
            400,
            20001,
            "PageToken"),
        Arguments.of(
            "unknown mapping",
            "GET",
            "/v1/SourceIpMappings/IB" + "0".repeat(32),
            new String[] {},
            404,
            20404,
            "/v1/SourceIpMappings/IB" + "0".repeat(32)),
        Arguments.of(
            "malformed mapping sid",
            "GET",
            "/v1/SourceIpMappings/XYZ",
            new String[] {},
            404,
            20404,
            "XYZ"),
        Arguments.of(
            "unknown IP record", "DELETE", "/v1/IpRecords/" + il, new String[] {}, 404, 20404, il),
        Arguments.of(
            "unknown domain",
            "POST",
            DOMAINS + "/" + sd + ".json",
            new String[] {"FriendlyName", "x"},
            404,
            20404,
            sd),
        Arguments.of(
            "unknown path", "GET", "/v1/Nothing", new String[] {}, 404, 20404, "/v1/Nothing"),
        Arguments.of(
            "method not allowed",
            "PUT",
            "/v1/SourceIpMappings",
            new String[] {},
            405,
            20004,
            "Method not allowed"),
        Arguments.of(
            "delete a list",
            "DELETE",
            "/v1/IpRecords",
            new String[] {},
            405,
            20004,
            "Method not allowed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void errorsCarryTwilioBodies(
      String name, String method, String path, String[] form, int status, int code, String mentions)
      throws IOException {
    Wire.Answer answer = error(wire.send(method, path, form), status, code);
    assertThat(answer.json().get("message").asText()).contains(mentions);
  }

  @Test
  void injectedFaultsCarryTwilioBodiesToo() throws IOException {
    emulator
        .faults()
        .script(ScriptedFault.of("429"), ScriptedFault.of("500"), ScriptedFault.of("503"));
    error(wire.get("/v1/IpRecords"), 429, 20429);
    error(wire.get("/v1/IpRecords"), 500, 20500);
    error(wire.get("/v1/IpRecords"), 503, 20503);
    spec.success(wire.get("/v1/IpRecords"), 200);
  }

  @Test
  void unknownSidMessageNamesTheResource() throws IOException {
    String sid = "IB" + "1".repeat(32);
    assertThat(
            error(wire.get("/v1/SourceIpMappings/" + sid), 404, 20404)
                .json()
                .get("message")
                .asText())
        .isEqualTo("The requested resource /v1/SourceIpMappings/" + sid + " was not found");
  }

  @Test
  void oneMappingPerIpRecord() throws IOException {
    String ip = emulator.createIpRecord(ACCOUNT, "10.3.3.3", 32, null);
    String domain = emulator.createSipDomain(ACCOUNT, "one.sip.twilio.com");
    String other = emulator.createSipDomain(ACCOUNT, "two.sip.twilio.com");
    String first =
        spec.success(
                wire.post("/v1/SourceIpMappings", "IpRecordSid", ip, "SipDomainSid", domain), 201)
            .json()
            .get("sid")
            .asText();
    Wire.Answer second =
        error(
            wire.post("/v1/SourceIpMappings", "IpRecordSid", ip, "SipDomainSid", other),
            400,
            20001);
    assertThat(second.json().get("message").asText()).contains(first);
    assertThat(emulator.mappingCount(ACCOUNT)).isEqualTo(1);

    // in use: neither the IP record nor the domain can go while the mapping exists
    assertThat(error(wire.delete("/v1/IpRecords/" + ip), 400, 20001).json().get("message").asText())
        .contains(first);
    error(wire.delete(DOMAINS + "/" + domain + ".json"), 400, 20001);
    // update to an unknown domain is refused
    error(
        wire.post("/v1/SourceIpMappings/" + first, "SipDomainSid", "SD" + "9".repeat(32)),
        400,
        20001);
    error(wire.post("/v1/SourceIpMappings/" + first), 400, 20001);
  }

  @Test
  void domainNamesAreUniqueAcrossAccounts() throws IOException {
    emulator.createSipDomain(OTHER, "taken.sip.twilio.com");
    Wire.Answer answer =
        error(wire.post(DOMAINS + ".json", "DomainName", "Taken.sip.twilio.com"), 400, 20001);
    assertThat(answer.json().get("message").asText()).contains("DomainName");
  }

  @Test
  void unknownParametersAreIgnored() throws IOException {
    // Deliberately off-spec (the spec allows no extra form fields), so only the status is checked.
    Wire.Answer answer = wire.post("/v1/IpRecords", "IpAddress", "10.4.4.4", "Colour", "blue");
    assertThat(answer.status()).isEqualTo(201);
    assertThat(answer.json().has("colour")).isFalse();
  }

  @Test
  void theValidatorCatchesABrokenResponse() throws IOException {
    Wire.Answer real = spec.success(wire.post("/v1/IpRecords", "IpAddress", "10.5.5.5"), 201);
    Wire.Answer broken =
        new Wire.Answer(
            real.sent(), real.status(), real.headers(), real.body().replace("\"IL", "\"XX"));
    assertThat(spec.report(broken).hasErrors()).isTrue();
  }

  private List<JsonNode> walk(String first, String key, String link) throws IOException {
    List<JsonNode> pages = new ArrayList<>();
    String next = first;
    while (next != null) {
      JsonNode page = spec.success(wire.get(next), 200).json();
      pages.add(page);
      assertThat(pages.size()).as("runaway paging").isLessThan(100);
      JsonNode url = page.get("meta").get(link);
      next = url.isNull() ? null : url.asText();
    }
    return pages;
  }

  private static List<String> sidsOf(List<JsonNode> pages, String key) {
    List<String> sids = new ArrayList<>();
    pages.forEach(p -> p.get(key).forEach(r -> sids.add(r.get("sid").asText())));
    return sids;
  }
}
