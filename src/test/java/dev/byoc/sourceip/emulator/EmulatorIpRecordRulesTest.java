package dev.byoc.sourceip.emulator;

import static dev.byoc.sourceip.emulator.SpecValidator.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.testing.EmulatorExtension;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Twilio documents for IP records (IPv4, prefix length, name length) and what the emulator
 * assumes where it is silent (no duplicates, no deleting one in use, allowed ranges), over HTTP.
 */
class EmulatorIpRecordRulesTest {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  static final String OTHER = KnownSecrets.OTHER_ACCOUNT_SID;
  static final String OTHER_TOKEN = KnownSecrets.OTHER_AUTH_TOKEN;
  static final String IP_RECORDS = "/v1/IpRecords";
  static final String RANGES = "/_emulator/accounts/" + ACCOUNT + "/allowed-ip-ranges";

  @RegisterExtension
  static final EmulatorExtension EMULATOR =
      EmulatorExtension.withKnownAccount().account(OTHER, OTHER_TOKEN);

  static TwilioEmulator emulator;
  static Wire wire;

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
    emulator.allowedIpRanges(ACCOUNT, List.of());
    emulator.allowedIpRanges(OTHER, List.of());
  }

  private static String refusal(Wire.Answer answer) {
    return error(answer, 400, 20001).json().get("message").asText();
  }

  private static Wire.Answer create(String ip, String cidr) throws IOException {
    return cidr == null
        ? wire.post(IP_RECORDS, "IpAddress", ip)
        : wire.post(IP_RECORDS, "IpAddress", ip, "CidrPrefixLength", cidr);
  }

  // --- documented by Twilio ---

  @ParameterizedTest
  @ValueSource(strings = {"2001:db8::1", "::ffff:10.0.0.1", "::1"})
  void refusesAnIpv6Address(String ip) throws IOException {
    assertThat(refusal(create(ip, null))).startsWith("Invalid parameter IpAddress: '" + ip + "'");
    assertThat(emulator.ipRecordCount(ACCOUNT)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pbx.example.com", "localhost", "10.0.0.x", " 10.0.0.1", "10.0.0.1/32"})
  void refusesAHostnameOrAnythingElseThatIsNotDottedDecimal(String ip) throws IOException {
    assertThat(refusal(create(ip, null))).startsWith("Invalid parameter IpAddress");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"010.0.0.1", "10.00.0.1", "10.0.0.256", "256.1.1.1", "10.0.1", "1.2.3.4.5"})
  void refusesLeadingZerosOutOfRangeOctetsAndWrongOctetCounts(String ip) throws IOException {
    assertThat(refusal(create(ip, null)))
        .isEqualTo(
            "Invalid parameter IpAddress: '"
                + ip
                + "' is not an IPv4 address in dotted decimal notation");
  }

  @Test
  void refusesAMissingIpAddress() throws IOException {
    assertThat(refusal(wire.post(IP_RECORDS, "FriendlyName", "x")))
        .isEqualTo("Missing required parameter IpAddress in the post body");
    assertThat(refusal(wire.post(IP_RECORDS, "IpAddress", "")))
        .isEqualTo("Missing required parameter IpAddress in the post body");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "33", "-1", "128", "x", "24.5"})
  void refusesAPrefixLengthOutsideOneTo32(String cidr) throws IOException {
    assertThat(refusal(create("10.0.0.0", cidr))).startsWith("Invalid parameter CidrPrefixLength");
    assertThat(emulator.ipRecordCount(ACCOUNT)).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 8, 24, 32})
  void acceptsEveryPrefixLengthFromOneTo32(int cidr) throws IOException {
    Wire.Answer created = create("10.0.0.0", String.valueOf(cidr));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("cidr_prefix_length").asInt()).isEqualTo(cidr);
  }

  @Test
  void omittedPrefixLengthMeans32() throws IOException {
    Wire.Answer created = create("192.0.2.1", null);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("cidr_prefix_length").asInt()).isEqualTo(32);
    assertThat(emulator.ipRecords(ACCOUNT))
        .singleElement()
        .satisfies(r -> assertThat(r.cidrPrefixLength()).isEqualTo(32));
  }

  @Test
  void anEmptyPrefixLengthAlsoMeans32() throws IOException {
    Wire.Answer created = create("192.0.2.1", "");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("cidr_prefix_length").asInt()).isEqualTo(32);
  }

  @Test
  void refusesAFriendlyNameLongerThan255CharactersOnCreateAndUpdate() throws IOException {
    String longest = "n".repeat(255);
    Wire.Answer created = wire.post(IP_RECORDS, "IpAddress", "192.0.2.1", "FriendlyName", longest);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("friendly_name").asText()).isEqualTo(longest);
    String sid = created.json().get("sid").asText();

    assertThat(
            refusal(wire.post(IP_RECORDS, "IpAddress", "192.0.2.2", "FriendlyName", longest + "n")))
        .isEqualTo("Invalid parameter FriendlyName: longer than 255 characters (256)");
    assertThat(refusal(wire.post(IP_RECORDS + "/" + sid, "FriendlyName", longest + "n")))
        .startsWith("Invalid parameter FriendlyName");
    assertThat(emulator.ipRecords(ACCOUNT))
        .singleElement()
        .satisfies(r -> assertThat(r.friendlyName()).isEqualTo(longest));
  }

  // --- assumed where Twilio is silent ---

  @Test
  void refusesASecondIpRecordWithTheSameAddressAndPrefix() throws IOException {
    String first = create("203.0.113.5", "32").json().get("sid").asText();

    assertThat(refusal(create("203.0.113.5", null)))
        .isEqualTo("An IP record for 203.0.113.5/32 already exists: " + first);
    assertThat(emulator.ipRecordCount(ACCOUNT)).isOne();
    assertThatThrownBy(() -> emulator.createIpRecord(ACCOUNT, "203.0.113.5", 32, "seeded"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already exists: " + first);
  }

  @Test
  void allowsTheSameAddressWithAnotherPrefixOrInAnotherAccountOrOnceTheFirstIsDeleted()
      throws IOException {
    String first = create("203.0.113.0", "32").json().get("sid").asText();
    assertThat(create("203.0.113.0", "24").status()).isEqualTo(201);
    assertThat(create("203.0.113.1", "24").status()).isEqualTo(201); // overlapping blocks
    Wire other = wire.as(OTHER, OTHER_TOKEN);
    assertThat(other.post(IP_RECORDS, "IpAddress", "203.0.113.0").status()).isEqualTo(201);

    assertThat(wire.delete(IP_RECORDS + "/" + first).status()).isEqualTo(204);
    assertThat(create("203.0.113.0", "32").status()).isEqualTo(201);
  }

  @Test
  void refusesDeletingAnIpRecordThatAMappingUses() throws IOException {
    String ip = emulator.createIpRecord(ACCOUNT, "198.51.100.7", 32, null);
    String domain = emulator.createSipDomain(ACCOUNT, "rules.sip.twilio.com");
    String mapping = emulator.createSourceIpMapping(ACCOUNT, ip, domain);

    assertThat(refusal(wire.delete(IP_RECORDS + "/" + ip)))
        .isEqualTo(
            "IP record " + ip + " is in use by source IP mapping " + mapping + "; delete it first");
    assertThat(emulator.ipRecordCount(ACCOUNT)).isOne();

    assertThat(wire.delete("/v1/SourceIpMappings/" + mapping).status()).isEqualTo(204);
    assertThat(wire.delete(IP_RECORDS + "/" + ip).status()).isEqualTo(204);
  }

  @Test
  void refusesAnAddressOutsideTheAllowedRange() throws IOException {
    emulator.allowedIpRanges(ACCOUNT, List.of("203.0.113.0/24", "198.51.100.128/25"));

    assertThat(refusal(create("192.0.2.1", null)))
        .isEqualTo(
            "Invalid parameter IpAddress: 192.0.2.1/32 is outside the address ranges the"
                + " Interconnect of account "
                + ACCOUNT
                + " allows (203.0.113.0/24, 198.51.100.128/25)");
    assertThat(refusal(create("198.51.100.127", null))).contains("is outside");
    assertThat(refusal(create("203.0.112.0", "23"))).contains("is outside"); // wider than allowed
    assertThat(emulator.ipRecordCount(ACCOUNT)).isZero();

    assertThat(create("203.0.113.9", null).status()).isEqualTo(201);
    assertThat(create("203.0.113.0", "24").status()).isEqualTo(201);
    assertThat(create("198.51.100.200", "29").status()).isEqualTo(201);
    assertThat(emulator.ipRecordCount(ACCOUNT)).isEqualTo(3);
  }

  @Test
  void allowedRangesAreOnePerAccountAndSurviveAReset() throws IOException {
    emulator.allowedIpRanges(ACCOUNT, List.of("203.0.113.0/24"));
    emulator.reset();

    assertThat(emulator.allowedIpRanges(ACCOUNT)).containsExactly("203.0.113.0/24");
    assertThat(refusal(create("10.0.0.1", null))).contains("is outside");
    Wire other = wire.as(OTHER, OTHER_TOKEN);
    assertThat(other.post(IP_RECORDS, "IpAddress", "10.0.0.1").status()).isEqualTo(201);
  }

  @Test
  void theSeedingHelperIsRefusedOutsideTheAllowedRangeToo() {
    emulator.allowedIpRanges(ACCOUNT, List.of("203.0.113.0/24"));
    assertThatThrownBy(() -> emulator.createIpRecord(ACCOUNT, "10.0.0.1", 32, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is outside the address ranges");
  }

  @Test
  void refusesAnAllowedRangeThatIsNotACidrBlock() {
    for (String bad :
        List.of("203.0.113.7/24", "203.0.113.0/33", "example.com/8", "2001:db8::/32")) {
      assertThatThrownBy(() -> emulator.allowedIpRanges(ACCOUNT, List.of(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad);
    }
    assertThatThrownBy(() -> emulator.allowedIpRanges("AC" + "9".repeat(32), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown account");
  }

  @Test
  void theBuilderSetsADefaultRangeAndPerAccountOnes() throws IOException {
    try (TwilioEmulator configured =
        TwilioEmulator.builder()
            .account(ACCOUNT, TOKEN)
            .account(OTHER, OTHER_TOKEN)
            .allowedIpRange("198.51.100.0/24")
            .allowedIpRange(OTHER, "203.0.113.0/24")
            .build()
            .start()) {
      assertThat(configured.allowedIpRanges(ACCOUNT)).containsExactly("198.51.100.0/24");
      assertThat(configured.allowedIpRanges(OTHER)).containsExactly("203.0.113.0/24");
      Wire own = new Wire(configured.baseUrl(), ACCOUNT, TOKEN);
      try {
        assertThat(refusal(own.post(IP_RECORDS, "IpAddress", "203.0.113.1"))).contains("outside");
        assertThat(own.post(IP_RECORDS, "IpAddress", "198.51.100.1").status()).isEqualTo(201);
        Wire other = own.as(OTHER, OTHER_TOKEN);
        assertThat(refusal(other.post(IP_RECORDS, "IpAddress", "198.51.100.1")))
            .contains("outside");
        assertThat(other.post(IP_RECORDS, "IpAddress", "203.0.113.1").status()).isEqualTo(201);
      } finally {
        own.close();
      }
    }
    assertThatThrownBy(
            () ->
                TwilioEmulator.builder()
                    .account(ACCOUNT, TOKEN)
                    .allowedIpRange(OTHER, "203.0.113.0/24")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown account " + OTHER);
  }

  @Test
  void theAdminApiReadsAndReplacesAnAccountsAllowedRanges() throws IOException {
    assertThat(wire.admin("GET", RANGES, null).json()).isEmpty();

    Wire.Answer put = wire.admin("PUT", RANGES, "[\"203.0.113.0/24\", \"192.0.2.0/28\"]");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().toString()).isEqualTo("[\"203.0.113.0/24\",\"192.0.2.0/28\"]");
    assertThat(refusal(create("10.0.0.1", null))).contains("is outside");
    assertThat(create("192.0.2.3", null).status()).isEqualTo(201);

    JsonNode bad = wire.admin("PUT", RANGES, "[\"203.0.113.7/24\"]").json();
    assertThat(bad.get("status").asInt()).isEqualTo(400);
    assertThat(bad.get("message").asText()).contains("host bits");
    assertThat(wire.admin("PUT", RANGES, "{\"ranges\":[]}").status()).isEqualTo(400);
    assertThat(wire.admin("PUT", RANGES, "[24]").status()).isEqualTo(400);
    assertThat(wire.admin("DELETE", RANGES, null).status()).isEqualTo(405);
    assertThat(
            wire.admin(
                    "GET", "/_emulator/accounts/AC" + "9".repeat(32) + "/allowed-ip-ranges", null)
                .status())
        .isEqualTo(404);
    assertThat(emulator.allowedIpRanges(ACCOUNT)).containsExactly("203.0.113.0/24", "192.0.2.0/28");

    assertThat(wire.admin("PUT", RANGES, "[]").json()).isEmpty();
    assertThat(create("10.0.0.1", null).status()).isEqualTo(201);
  }
}
