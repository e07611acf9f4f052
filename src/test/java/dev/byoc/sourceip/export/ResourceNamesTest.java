package dev.byoc.sourceip.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.byoc.sourceip.twilio.TwilioIpRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Names derived from IP records: readable, valid DNS-1123 labels, unique, and deterministic. */
class ResourceNamesTest {

  static TwilioIpRecord record(String friendlyName, String ip, Integer cidr) {
    return new TwilioIpRecord(
        null, "IL" + "0".repeat(32), friendlyName, ip, cidr, null, null, null);
  }

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "pbx-east              | pbx-east",
        "PBX East (NYC)        | pbx-east-nyc",
        "'  Main  SBC #1  '    | main-sbc-1",
        "Zürich Büro – Ströme  | zurich-buro-strome",
        "São Paulo Carrier     | sao-paulo-carrier",
        "carrier.example.com   | carrier-example-com",
        "__Edge__/Router__     | edge-router",
        "10.0.0.1 gateway      | 10-0-0-1-gateway",
        "ＦＵＬＬＷＩＤＴＨ        | fullwidth",
      })
  void aFriendlyNameBecomesItsReadableLowerCaseForm(String friendlyName, String expected) {
    String name = ResourceNames.forIpRecord(record(friendlyName, "203.0.113.10", 32));
    assertThat(name).isEqualTo(expected);
    assertThat(ResourceNames.isValid(name)).isTrue();
  }

  @Test
  void withoutAUsableFriendlyNameTheAddressNamesIt() {
    assertThat(ResourceNames.forIpRecord(record(null, "203.0.113.10", 32)))
        .isEqualTo("ip-203-0-113-10");
    assertThat(ResourceNames.forIpRecord(record("", "203.0.113.10", null)))
        .isEqualTo("ip-203-0-113-10");
    assertThat(ResourceNames.forIpRecord(record("   ", "198.51.100.0", 24)))
        .isEqualTo("ip-198-51-100-0-24");
    // nothing Latin left: the address is more readable than an empty or random name
    assertThat(ResourceNames.forIpRecord(record("東京 ☎ !!!", "192.0.2.0", 28)))
        .isEqualTo("ip-192-0-2-0-28");
    assertThat(ResourceNames.forIpRecord(record("---", null, null))).isEqualTo("ip-unknown");
  }

  @Test
  void aVeryLongFriendlyNameIsCutToSixtyThreeCharactersWithoutATrailingDash() {
    String friendly = "Carrier " + "a".repeat(54) + " ---- " + "b".repeat(200); // '-' at 63
    List<String> names =
        ResourceNames.unique(
            "", List.of(ResourceNames.forIpRecord(record(friendly, "1.2.3.4", 32))));
    assertThat(names.get(0)).hasSize(62).endsWith("a").startsWith("carrier-aaa");
    assertThat(ResourceNames.isValid(names.get(0))).isTrue();

    String exactCut = "x".repeat(62) + "-y";
    assertThat(ResourceNames.unique("", List.of(exactCut))).containsExactly("x".repeat(62));
  }

  @Test
  void repeatsGetStableSuffixesInTheGivenOrder() {
    assertThat(ResourceNames.unique("", List.of("pbx", "ip-1-2-3-4", "pbx", "pbx")))
        .containsExactly("pbx", "ip-1-2-3-4", "pbx-2", "pbx-3");
  }

  @Test
  void aSuffixNeverTakesAnotherBasesOwnName() {
    // "pbx-2" is some record's own friendly name: the second "pbx" must not take it
    assertThat(ResourceNames.unique("", List.of("pbx", "pbx", "pbx-2")))
        .containsExactly("pbx", "pbx-3", "pbx-2");
    assertThat(ResourceNames.unique("", List.of("pbx-2", "pbx", "pbx")))
        .containsExactly("pbx-2", "pbx", "pbx-3");
  }

  @Test
  void namesAlreadyPrefixedFollowTheSameRule() {
    // another kind's exported names, and a prefixed base: repeats suffixed, own names kept
    assertThat(ResourceNames.unique(List.of("tw-pbx", "tw-pbx-2", "tw-pbx", "tw-il1")))
        .containsExactly("tw-pbx", "tw-pbx-2", "tw-pbx-3", "tw-il1");
    assertThat(ResourceNames.unique(List.of("a".repeat(70))).get(0)).hasSize(63);
    assertThatThrownBy(() -> ResourceNames.unique(List.of("Tw-pbx")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceNames.unique(List.of("pbx-")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void longNamesThatOnlyDifferAfterTheCutStayUniqueAndShort() {
    String common = "very-long-carrier-name-".repeat(3); // 69 characters
    List<String> names = ResourceNames.unique("", List.of(common + "east", common + "west"));
    assertThat(names.get(0)).hasSizeLessThanOrEqualTo(63);
    assertThat(names.get(1)).isEqualTo(names.get(0).substring(0, 61) + "-2").hasSize(63);
    assertThat(names).allMatch(ResourceNames::isValid).doesNotHaveDuplicates();
  }

  @Test
  void aPrefixIsPutBeforeEveryNameAndCountsTowardsTheLimit() {
    List<String> names = ResourceNames.unique("twilio-", List.of("pbx", "pbx", "z".repeat(80)));
    assertThat(names).containsExactly("twilio-pbx", "twilio-pbx-2", "twilio-" + "z".repeat(56));
    assertThat(names).allMatch(ResourceNames::isValid);
  }

  @Test
  void prefixesAndBasesAreChecked() {
    assertThat(ResourceNames.isValidPrefix("")).isTrue();
    assertThat(ResourceNames.isValidPrefix("team-a-")).isTrue();
    assertThat(ResourceNames.isValidPrefix("-x")).isFalse();
    assertThat(ResourceNames.isValidPrefix("Team")).isFalse();
    assertThat(ResourceNames.isValidPrefix("a".repeat(31))).isFalse();
    assertThatThrownBy(() -> ResourceNames.unique("", List.of("Not Sanitized")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceNames.unique("", List.of("")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dnsLabelValidity() {
    assertThat(ResourceNames.isValid("a")).isTrue();
    assertThat(ResourceNames.isValid("0755")).isTrue();
    assertThat(ResourceNames.isValid("a".repeat(63))).isTrue();
    assertThat(ResourceNames.isValid("a".repeat(64))).isFalse();
    assertThat(ResourceNames.isValid("-a")).isFalse();
    assertThat(ResourceNames.isValid("a-")).isFalse();
    assertThat(ResourceNames.isValid("a.b")).isFalse();
    assertThat(ResourceNames.isValid("A")).isFalse();
    assertThat(ResourceNames.isValid("")).isFalse();
    assertThat(ResourceNames.isValid(null)).isFalse();
  }

  /** Hundreds of random, hostile friendly names: every name valid and unique, every run alike. */
  @Test
  void randomWeirdFriendlyNamesAlwaysGiveValidUniqueDeterministicNames() {
    Random random = new Random(42);
    String alphabet = "aAbBzZ09 -_.:/\\#@!~*()[]{}'\"\t\nßéÉüñ東京☎\u0301\u200b😀";
    List<String> bases = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      StringBuilder friendly = new StringBuilder();
      int length = random.nextInt(5) == 0 ? 255 : random.nextInt(12);
      for (int c = 0; c < length; c++) {
        friendly.appendCodePoint(alphabet.codePointAt(random.nextInt(alphabet.length() - 1)));
      }
      String ip = "10.0." + random.nextInt(3) + "." + random.nextInt(3);
      bases.add(ResourceNames.forIpRecord(record(friendly.toString(), ip, 32)));
    }
    // a few guaranteed collisions
    bases.addAll(Collections.nCopies(20, "x"));

    List<String> names = ResourceNames.unique("p-", bases);
    assertThat(names).hasSameSizeAs(bases).doesNotHaveDuplicates();
    assertThat(names).allMatch(ResourceNames::isValid, "a DNS-1123 label");
    assertThat(ResourceNames.unique("p-", bases)).isEqualTo(names);
  }
}
