package dev.byoc.sourceip.reconciler;

import static dev.byoc.sourceip.testing.ConditionAssert.assertCondition;
import static dev.byoc.sourceip.testing.ConditionAssert.condition;
import static dev.byoc.sourceip.testing.ConditionAssert.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.account.AccountSnapshot;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.emulator.ScriptedFault;
import dev.byoc.sourceip.testing.ConditionAssert;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input table of docs/bad-input.md at operator level, a test per row: the operator keeps
 * reconciling valid resources, the bad one gets a clear condition and an Event, and the requests it
 * costs at Twilio stay within what the retry rules allow.
 */
@EnableKubernetesMockClient(crud = true)
class BadInputIT {
  static final String MAPPINGS = "/v1/SourceIpMappings";
  static final Duration RESYNC = Duration.ofSeconds(1);

  /** A few resync intervals, over which a bound on the requests must hold throughout. */
  static final Duration WINDOW = RESYNC.multipliedBy(3);

  static final String IP = "IL" + "1".repeat(32);
  static final String SD = "SD" + "1".repeat(32);
  static final String OTHER_ACCOUNT = "AC" + "99999999999999999999999999999999";
  static final String SECRET = "sourceip-system/twilio-credentials";

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

  // ---- the spec: InvalidSpec, no request to Twilio ------------------------------------------

  static Stream<Arguments> invalidSpecs() {
    String notIl = "' is not a SID: expected IL followed by 32 hexadecimal digits";
    String notSd = "' is not a SID: expected SD followed by 32 hexadecimal digits";
    String wrongPrefix = "SD" + "1".repeat(32);
    String lowerCase = "il" + "1".repeat(32);
    String short31 = "IL" + "1".repeat(31);
    String long33 = "IL" + "1".repeat(33);
    String notHex = "IL" + "g".repeat(32);
    String domainWrongPrefix = "IL" + "1".repeat(32);
    String domainLowerCase = "sd" + "1".repeat(32);
    return Stream.of(
        row(
            "ipRecordSid: wrong prefix",
            spec(wrongPrefix, SD),
            "spec.ipRecordSid '" + wrongPrefix + notIl),
        row(
            "ipRecordSid: lower-case prefix",
            spec(lowerCase, SD),
            "spec.ipRecordSid '" + lowerCase + notIl),
        row(
            "ipRecordSid: 31 hex digits",
            spec(short31, SD),
            "spec.ipRecordSid '" + short31 + notIl),
        row("ipRecordSid: 33 hex digits", spec(long33, SD), "spec.ipRecordSid '" + long33 + notIl),
        row("ipRecordSid: not hex", spec(notHex, SD), "spec.ipRecordSid '" + notHex + notIl),
        row(
            "sipDomainSid: wrong prefix",
            spec(IP, domainWrongPrefix),
            "spec.sipDomainSid '" + domainWrongPrefix + notSd),
        row(
            "sipDomainSid: lower-case prefix",
            spec(IP, domainLowerCase),
            "spec.sipDomainSid '" + domainLowerCase + notSd),
        row(
            "both SIDs malformed",
            spec("IL1", "SD1"),
            "spec.ipRecordSid 'IL1" + notIl + "; spec.sipDomainSid 'SD1" + notSd),
        row(
            "ipRecordSid missing",
            spec(null, SD),
            "spec.ipRecordSid or spec.ipRecordRef is required: set exactly one"),
        row(
            "sipDomainSid missing",
            spec(IP, null),
            "spec.sipDomainSid or spec.sipDomainName is required: set exactly one"),
        row(
            "ipRecordSid empty",
            spec("", SD),
            "spec.ipRecordSid or spec.ipRecordRef is required: set exactly one"),
        row(
            "ipRecordSid not a string",
            with(spec(null, SD), "ipRecordSid", 42),
            "spec.ipRecordSid must be a string, not a number"),
        row(
            "both ipRecordSid and ipRecordRef",
            with(spec(IP, SD), "ipRecordRef", Map.of("name", "pbx-east")),
            "spec.ipRecordSid and spec.ipRecordRef are both set: set exactly one"),
        row(
            "both sipDomainSid and sipDomainName",
            with(spec(IP, SD), "sipDomainName", "acme.sip.twilio.com"),
            "spec.sipDomainSid and spec.sipDomainName are both set: set exactly one"),
        row(
            "ipRecordRef without a name",
            with(spec(null, SD), "ipRecordRef", Map.of()),
            "spec.ipRecordRef must hold exactly one field, name, a string, not {}"),
        row(
            "ipRecordRef with an empty name",
            with(spec(null, SD), "ipRecordRef", Map.of("name", "")),
            "spec.ipRecordRef.name is required: the name of an IpRecord in this namespace"),
        row(
            "sipDomainName not a domain name",
            with(spec(IP, null), "sipDomainName", "acme sip"),
            "spec.sipDomainName 'acme sip' is not a domain name such as acme.sip.twilio.com:"
                + " labels of letters, digits and inner '-', separated by dots, at most 253"
                + " characters"),
        row("spec missing", null, "spec is missing or not an object"),
        row("spec not an object", "pbx-east", "spec is missing or not an object"),
        row(
            "deletionPolicy unknown",
            with(spec(IP, SD), "deletionPolicy", "Destroy"),
            "spec.deletionPolicy 'Destroy' is not one of Delete, Orphan (case matters)"),
        row(
            "deletionPolicy lower-case",
            with(spec(IP, SD), "deletionPolicy", "orphan"),
            "spec.deletionPolicy 'orphan' is not one of Delete, Orphan (case matters)"),
        row(
            "managementPolicy unknown",
            with(spec(IP, SD), "managementPolicy", "observe"),
            "spec.managementPolicy 'observe' is not one of Manage, Observe (case matters)"),
        row(
            "accountRef of an unknown kind",
            with(
                spec(IP, SD),
                "accountRef",
                new java.util.TreeMap<>(Map.of("kind", "Account", "name", "team"))),
            "spec.accountRef must hold a string name and at most a kind, TwilioAccount or"
                + " ClusterTwilioAccount (case matters), not {\"kind\":\"Account\",\"name\":\"team\"}"),
        row(
            "accountRef not an object",
            with(spec(IP, SD), "accountRef", "team"),
            "spec.accountRef must be an object with a string name, not a string"),
        row(
            "accountRef with an empty name",
            with(spec(IP, SD), "accountRef", Map.of("name", "")),
            "spec.accountRef.name is required: the name of the account to use"),
        row(
            "unknown field spec.foo",
            with(spec(IP, SD), "foo", Map.of("bar", 1)),
            "spec.foo is not a field of SourceIpMapping v1alpha1 (ipRecordSid, ipRecordRef,"
                + " sipDomainSid, sipDomainName, deletionPolicy, managementPolicy, accountRef): a"
                + " typo, or a"
                + " CRD newer than this operator"));
  }

  /**
   * A spec the CRD's schema forbids, as it reaches the operator when the API server did not enforce
   * the schema (fabric8's mock server, an older CRD, a CRD newer than the operator).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void anInvalidSpecIsReportedAndCostsNoTwilioRequest(String row, Object spec, String says) {
    h.resync(RESYNC).start();
    h.applyRaw("bad", spec == null ? Map.of() : Map.of("spec", spec), Map.of());
    h.apply(h.resource("good", h.newIpRecord(), h.newDomain()));

    SourceIpMapping bad = h.awaitCondition("bad", Conditions.READY, "False", Reasons.INVALID_SPEC);

    assertThat(message(bad, Conditions.READY)).isEqualTo(says);
    assertCondition(bad, Conditions.SYNCED, "False", Reasons.INVALID_SPEC, says);
    assertCondition(bad, Conditions.STALLED, "True", Reasons.INVALID_SPEC, says);
    assertThat(condition(bad, Conditions.RECONCILING).getStatus()).isEqualTo("False");
    assertThat(bad.getStatus().getSid()).isNull();
    awaitEvent("bad", Reasons.INVALID_SPEC, says);
    h.awaitReady("good");
    assertBoundedThroughout(this::requestsOtherThanLists, elapsed -> 1); // good's create alone
    assertThat(eventsOf("bad", Reasons.INVALID_SPEC)).hasSize(1);
  }

  /**
   * A deletionPolicy the operator cannot read may be the Orphan the user meant: deletion waits
   * (InvalidSpec, the mapping untouched at Twilio) until the spec says.
   */
  @Test
  void anUnreadablePolicyNeverDeletesAtTwilioOnAGuess() {
    h.start();
    h.apply(h.resource("keep", h.newIpRecord(), h.newDomain()));
    String sid = h.awaitReady("keep").getStatus().getSid();
    h.patchRaw("keep", "{\"spec\":{\"deletionPolicy\":\"orphan\"}}");
    h.awaitCondition("keep", Conditions.READY, "False", Reasons.INVALID_SPEC);

    h.mappings().inNamespace(h.ns).withName("keep").delete();

    String waits =
        "deletion of Twilio mapping "
            + sid
            + " waits: spec.deletionPolicy 'orphan' is not one of Delete, Orphan (case matters)."
            + " Fix the spec, or set deletionPolicy: Orphan to leave the mapping at Twilio";
    await()
        .atMost(OperatorHarness.WAIT)
        .untilAsserted(
            () -> assertThat(message(h.get("keep"), Conditions.SYNCED)).isEqualTo(waits));
    assertCondition(h.get("keep"), Conditions.STALLED, "True", Reasons.INVALID_SPEC, waits);
    awaitEvent("keep", Reasons.INVALID_SPEC, waits);
    h.apply(h.resource("good", h.newIpRecord(), h.newDomain()));
    h.awaitReady("good");
    assertNoWritesThroughout("keep"); // the held deletion is not patched again and again
    assertThat(h.get("keep")).as("held by its finalizer").isNotNull();
    assertThat(h.count("DELETE", MAPPINGS + "/{Sid}")).isZero();

    h.patchRaw("keep", "{\"spec\":{\"deletionPolicy\":\"Orphan\"}}");

    h.awaitGone("keep");
    assertThat(h.twilioMappings()).extracting(m -> m.sid()).contains(sid);
    assertThat(h.count("DELETE", MAPPINGS + "/{Sid}")).isZero();
  }

  /** Unknown fields outside the spec (top level, status) are ignored, as a real server prunes. */
  @Test
  void unknownFieldsOutsideTheSpecAreIgnored() {
    h.start();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("spec", spec(h.newIpRecord(), h.newDomain()));
    fields.put("foo", "bar");
    fields.put("status", Map.of("fromTheFuture", Map.of("a", 1), "sid", "IBnot-a-sid"));

    h.applyRaw("odd", fields, Map.of());

    SourceIpMapping ready = h.awaitReady("odd");
    assertThat(ready.getStatus().getSid()).startsWith("IB").isNotEqualTo("IBnot-a-sid");
    assertThat(h.creates()).isEqualTo(1);
  }

  // ---- references Twilio refuses: TwilioRejected, retried at the resync interval ------------

  /**
   * An IP record or SIP domain that Twilio does not hold in this account: Twilio answers 400 (the
   * emulator's code and message; Twilio does not document them), the operator says so and tries
   * again once per resync interval, never in a loop.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "IP record unknown to Twilio, unknown-ip",
    "IP record of another account, other-ip",
    "SIP domain unknown to Twilio, unknown-domain",
    "SIP domain of another account, other-domain"
  })
  void aReferenceTwilioDoesNotHoldIsRejectedAndRetriedOncePerResync(String row, String kind) {
    h.emulator.addAccount(OTHER_ACCOUNT, "other-token");
    h.resync(RESYNC).start();
    String ip = h.newIpRecord();
    String domain = h.newDomain();
    String refused;
    switch (kind) {
      case "unknown-ip" -> ip = refused = "IL" + "0".repeat(32);
      case "other-ip" ->
          ip = refused = h.emulator.createIpRecord(OTHER_ACCOUNT, "10.250.0.1", 32, null);
      case "unknown-domain" -> domain = refused = "SD" + "0".repeat(32);
      default ->
          domain =
              refused =
                  h.emulator.createSipDomain(
                      OTHER_ACCOUNT, "o" + System.nanoTime() + ".sip.twilio.com");
    }
    String says =
        "Twilio answered 400 (code 20001) to POST /v1/SourceIpMappings: Invalid parameter "
            + (kind.endsWith("ip")
                ? "IpRecordSid: IP record " + refused
                : "SipDomainSid: SIP domain " + refused)
            + " does not exist in account "
            + OperatorHarness.ACCOUNT;
    long start = System.nanoTime();

    h.apply(h.resource("refused", ip, domain));

    SourceIpMapping r =
        h.awaitCondition("refused", Conditions.SYNCED, "False", Reasons.TWILIO_REJECTED);
    assertThat(message(r, Conditions.SYNCED)).isEqualTo(says);
    assertCondition(r, Conditions.READY, "False", Reasons.TWILIO_REJECTED, says);
    assertCondition(r, Conditions.STALLED, "True", Reasons.TWILIO_REJECTED, says);
    awaitEvent("refused", Reasons.TWILIO_REJECTED, says);
    h.apply(h.resource("good", h.newIpRecord(), h.newDomain()));
    h.awaitReady("good");
    LongSupplier refusals = () -> h.emulator.counters().count("POST", MAPPINGS, 400);
    await().atMost(OperatorHarness.WAIT).until(() -> refusals.getAsLong() >= 3);
    // one attempt at once, then one per resync interval (JOSDK's reschedule), each with one list
    assertBoundedThroughout(refusals, elapsed -> 2 + elapsed.toMillis() / RESYNC.toMillis(), start);
    assertThat(h.emulator.sourceIpMappings(OperatorHarness.ACCOUNT))
        .extracting(m -> m.ipRecordSid())
        .doesNotContain(ip);
    assertThat(eventsOf("refused", Reasons.TWILIO_REJECTED)).hasSize(1);
  }

  /** The external-sid annotation names a mapping Twilio does not hold. */
  @Test
  void anExternalSidTwilioDoesNotHoldIsReferenceNotReady() {
    h.resync(RESYNC).start();
    String unknown = "IB" + "0".repeat(32);
    SourceIpMapping r = h.resource("imported", h.newIpRecord(), h.newDomain());
    r.getMetadata().setAnnotations(Map.of(SourceIpMapping.EXTERNAL_SID_ANNOTATION, unknown));

    h.apply(r);
    h.apply(h.resource("good", h.newIpRecord(), h.newDomain()));

    String says =
        "Twilio holds no mapping " + unknown + " (annotation voice.byoc.dev/external-sid)";
    SourceIpMapping seen =
        h.awaitCondition("imported", Conditions.READY, "False", Reasons.REFERENCE_NOT_READY);
    assertThat(message(seen, Conditions.READY)).isEqualTo(says);
    assertCondition(seen, Conditions.SYNCED, "False", Reasons.REFERENCE_NOT_READY, says);
    assertCondition(seen, Conditions.STALLED, "True", Reasons.REFERENCE_NOT_READY, says);
    awaitEvent("imported", Reasons.REFERENCE_NOT_READY, says);
    h.awaitReady("good");
    // looked up in the snapshot the resync keeps fresh: no request of its own, no create
    assertBoundedThroughout(this::requestsOtherThanLists, elapsed -> 1);
  }

  /**
   * A SIP domain name the account does not hold: ReferenceNotReady and Stalled, one Event, and no
   * retry loop (the domain list is refreshed with the snapshot at each resync, not per resource);
   * the mapping converges once the domain exists.
   */
  @Test
  void anUnknownSipDomainNameIsReferenceNotReadyUntilTheDomainExists() {
    h.resync(RESYNC).start();
    String name = "late" + System.nanoTime() + ".sip.twilio.com";
    SourceIpMapping r = h.resource("unknown-domain", h.newIpRecord(), null);
    r.getSpec().setSipDomainName(name);
    long start = System.nanoTime();

    h.apply(r);
    h.apply(h.resource("good", h.newIpRecord(), h.newDomain()));

    String says =
        "account "
            + OperatorHarness.ACCOUNT
            + " holds no SIP domain named "
            + name
            + " (spec.sipDomainName); looked for again when the account's domains are listed"
            + " (each resync)";
    SourceIpMapping seen =
        h.awaitCondition("unknown-domain", Conditions.READY, "False", Reasons.REFERENCE_NOT_READY);
    assertThat(message(seen, Conditions.READY)).isEqualTo(says);
    assertCondition(seen, Conditions.STALLED, "True", Reasons.REFERENCE_NOT_READY, says);
    awaitEvent("unknown-domain", Reasons.REFERENCE_NOT_READY, says);
    h.awaitReady("good");
    LongSupplier domainLists =
        () -> h.count("GET", "/2010-04-01/Accounts/{AccountSid}/SIP/Domains.json");
    // one list when first asked, then one per resync interval, however often it is reconciled
    assertBoundedThroughout(
        domainLists, elapsed -> 2 + elapsed.toMillis() / RESYNC.toMillis(), start);
    assertThat(h.creates()).isEqualTo(1); // the good one's
    assertThat(eventsOf("unknown-domain", Reasons.REFERENCE_NOT_READY)).hasSize(1);

    String domain = h.emulator.createSipDomain(OperatorHarness.ACCOUNT, name);

    assertThat(h.awaitReady("unknown-domain").getStatus().getSipDomainSid()).isEqualTo(domain);
  }

  /**
   * An IpRecord whose address lies outside what the account's Interconnect allows: Twilio answers
   * 400 (the emulator's assumption, see docs/emulator.md), the IpRecord is TwilioRejected, and the
   * create is tried again once per resync interval, never in a loop.
   */
  @Test
  void anAddressOutsideTheInterconnectIsRejectedAndRetriedOncePerResync() {
    h.emulator.allowedIpRanges(OperatorHarness.ACCOUNT, List.of("203.0.113.0/24"));
    h.resync(RESYNC).start();
    IpRecord outside = new IpRecord();
    outside.setMetadata(new ObjectMetaBuilder().withName("outside").withNamespace(h.ns).build());
    outside.setSpec(new IpRecordSpec("192.0.2.1"));
    IpRecord inside = new IpRecord();
    inside.setMetadata(new ObjectMetaBuilder().withName("inside").withNamespace(h.ns).build());
    inside.setSpec(new IpRecordSpec("203.0.113.1"));
    long start = System.nanoTime();

    h.kubernetes.resource(outside).create();
    h.kubernetes.resource(inside).create();

    String says =
        "Twilio answered 400 (code 20001) to POST /v1/IpRecords: Invalid parameter IpAddress:"
            + " 192.0.2.1/32 is outside the address ranges the Interconnect of account "
            + OperatorHarness.ACCOUNT
            + " allows (203.0.113.0/24)";
    IpRecord seen =
        ConditionAssert.awaitCondition(
            () ->
                h.kubernetes.resources(IpRecord.class).inNamespace(h.ns).withName("outside").get(),
            Conditions.READY,
            "False",
            Reasons.TWILIO_REJECTED,
            OperatorHarness.WAIT);
    assertThat(message(seen, Conditions.READY)).isEqualTo(says);
    assertCondition(seen, Conditions.STALLED, "True", Reasons.TWILIO_REJECTED, says);
    awaitEvent("outside", Reasons.TWILIO_REJECTED, says);
    ConditionAssert.awaitCondition(
        () -> h.kubernetes.resources(IpRecord.class).inNamespace(h.ns).withName("inside").get(),
        Conditions.READY,
        "True",
        Reasons.AVAILABLE,
        OperatorHarness.WAIT);
    LongSupplier refusals = () -> h.emulator.counters().count("POST", "/v1/IpRecords", 400);
    assertBoundedThroughout(refusals, elapsed -> 2 + elapsed.toMillis() / RESYNC.toMillis(), start);
    assertThat(h.emulator.ipRecords(OperatorHarness.ACCOUNT))
        .extracting(ip -> ip.ipAddress())
        .containsExactly("203.0.113.1");
  }

  /** Twilio's error message can be of any length: conditions and Events keep its start. */
  @Test
  void aHugeTwilioErrorMessageIsAbbreviatedThenTheResyncRetrySucceeds() {
    h.resync(RESYNC).start();
    h.emulator.faults().script(ScriptedFault.of("huge-error").forMethod("POST").forPath(MAPPINGS));
    String ip = h.newIpRecord();

    h.apply(h.resource("huge", ip, h.newDomain()));

    SourceIpMapping r =
        h.awaitCondition("huge", Conditions.SYNCED, "False", Reasons.TWILIO_REJECTED);
    assertThat(message(r, Conditions.STALLED)).isEqualTo(message(r, Conditions.SYNCED));
    assertThat(message(r, Conditions.SYNCED))
        .startsWith(
            "Twilio answered 400 (code 20001) to POST /v1/SourceIpMappings: Invalid parameter"
                + " (emulated huge error): lorem ipsum")
        .endsWith(" more characters)");
    assertThat(Messages.utf8Length(message(r, Conditions.SYNCED)))
        .isLessThanOrEqualTo(Messages.MAX_CONDITION_BYTES);
    Event event = awaitEvent("huge", Reasons.TWILIO_REJECTED, "(emulated huge error)");
    assertThat(Messages.utf8Length(event.getMessage()))
        .isLessThanOrEqualTo(Messages.MAX_EVENT_BYTES);
    h.awaitReady("huge");
    assertThat(h.emulator.sourceIpMappings(OperatorHarness.ACCOUNT))
        .filteredOn(m -> m.ipRecordSid().equals(ip))
        .hasSize(1);
    assertThat(h.creates()).isEqualTo(2);
  }

  // ---- credentials: CredentialsInvalid, nothing (or one request) sent -----------------------

  /**
   * The Secret is missing, or lacks a key, or holds a malformed one (the manifests reference every
   * key as optional, so the pod starts): the operator runs, sends nothing to Twilio, and says on
   * every resource what to fix and where.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Secret missing||||"
            + "|TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY with TWILIO_API_SECRET)"
            + " are not set",
        "key TWILIO_AUTH_TOKEN missing|SID|||"
            + "|TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with TWILIO_API_SECRET, is not set",
        "key TWILIO_ACCOUNT_SID missing||TOKEN||" + "|TWILIO_ACCOUNT_SID is not set",
        "TWILIO_ACCOUNT_SID malformed|ACnope|TOKEN||"
            + "|TWILIO_ACCOUNT_SID is not an Account SID (AC + 32 hex digits)",
        "TWILIO_API_KEY without TWILIO_API_SECRET|SID||KEY|"
            + "|TWILIO_API_KEY is set but TWILIO_API_SECRET is not",
        "TWILIO_API_SECRET without TWILIO_API_KEY|SID|||secret"
            + "|TWILIO_API_SECRET is set but TWILIO_API_KEY is not",
        "TWILIO_API_KEY malformed|SID||SKbad|secret"
            + "|TWILIO_API_KEY is not an API Key SID (SK + 32 hex digits)"
      })
  void missingOrMalformedCredentialsAreCredentialsInvalidAndSendNothing(
      String row, String sid, String token, String key, String secret, String problem) {
    Map<String, String> env = new HashMap<>();
    putIf(env, "TWILIO_ACCOUNT_SID", "SID".equals(sid) ? OperatorHarness.ACCOUNT : sid);
    putIf(env, "TWILIO_AUTH_TOKEN", "TOKEN".equals(token) ? OperatorHarness.TOKEN : token);
    putIf(env, "TWILIO_API_KEY", "KEY".equals(key) ? "SK" + "2".repeat(32) : key);
    putIf(env, "TWILIO_API_SECRET", secret);
    env.put("SOURCEIP_CREDENTIALS_SECRET", SECRET);
    String says =
        "no usable Twilio credentials: "
            + problem
            + "; check that Secret "
            + SECRET
            + " exists and holds these keys, then restart the operator";
    h.resync(RESYNC).startFromEnvironment(env);

    h.apply(h.resource("first", IP, SD));
    h.applyRaw("invalid", Map.of("spec", spec("IL1", SD)), Map.of());

    SourceIpMapping first =
        h.awaitCondition("first", Conditions.READY, "False", Reasons.CREDENTIALS_INVALID);
    assertThat(message(first, Conditions.READY)).isEqualTo(says);
    assertCondition(first, Conditions.SYNCED, "False", Reasons.CREDENTIALS_INVALID, says);
    assertCondition(first, Conditions.STALLED, "True", Reasons.CREDENTIALS_INVALID, says);
    awaitEvent("first", Reasons.CREDENTIALS_INVALID, says);
    h.awaitCondition("invalid", Conditions.READY, "False", Reasons.INVALID_SPEC);
    h.apply(h.resource("later", "IL" + "3".repeat(32), SD)); // still reconciling
    h.awaitCondition("later", Conditions.READY, "False", Reasons.CREDENTIALS_INVALID);
    assertBoundedThroughout(() -> h.emulator.counters().total(), elapsed -> 0);
  }

  /** Deleting while there are no credentials: the finalizer waits, nothing is left behind. */
  @Test
  void deletionWithoutCredentialsWaitsForThem() {
    h.startFromEnvironment(
        Map.of(
            "TWILIO_ACCOUNT_SID", OperatorHarness.ACCOUNT, "SOURCEIP_CREDENTIALS_SECRET", SECRET));
    h.apply(h.resource("gone", IP, SD));
    h.awaitCondition("gone", Conditions.READY, "False", Reasons.CREDENTIALS_INVALID);

    h.mappings().inNamespace(h.ns).withName("gone").delete();

    String waits =
        "deletion waits: no usable Twilio credentials: TWILIO_AUTH_TOKEN, or TWILIO_API_KEY with"
            + " TWILIO_API_SECRET, is not set; check that Secret "
            + SECRET
            + " exists and holds these keys, then restart the operator";
    await()
        .atMost(OperatorHarness.WAIT)
        .untilAsserted(
            () -> assertThat(message(h.get("gone"), Conditions.SYNCED)).isEqualTo(waits));
    assertCondition(h.get("gone"), Conditions.STALLED, "True", Reasons.CREDENTIALS_INVALID, waits);
    awaitEvent("gone", Reasons.CREDENTIALS_INVALID, waits);
    assertNoWritesThroughout("gone");
    assertThat(h.get("gone")).as("held by its finalizer").isNotNull();
    assertThat(h.emulator.counters().total()).isZero();
  }

  /**
   * Twilio refuses the credentials (401): every resource says so; the account is asked again at
   * most once per 30 seconds, whatever the number of resources and resyncs.
   */
  @Test
  void refusedCredentialsAreAskedAgainAtMostOncePerBackoff() {
    long start = System.nanoTime();
    h.withOperatorToken("not-the-token").resync(RESYNC).start();
    for (int i = 0; i < 5; i++) {
      h.apply(h.resource("refused-" + i, h.newIpRecord(), h.newDomain()));
    }
    h.applyRaw("invalid", Map.of("spec", spec("IL1", SD)), Map.of());

    String says =
        "Twilio refused the credentials while listing mappings: Twilio answered 401 (code 20003)"
            + " to GET /v1/SourceIpMappings: Authenticate";
    for (int i = 0; i < 5; i++) {
      SourceIpMapping r =
          h.awaitCondition("refused-" + i, Conditions.READY, "False", Reasons.CREDENTIALS_INVALID);
      assertThat(message(r, Conditions.READY)).isEqualTo(says).doesNotContain("not-the-token");
      assertCondition(r, Conditions.STALLED, "True", Reasons.CREDENTIALS_INVALID, says);
      awaitEvent("refused-" + i, Reasons.CREDENTIALS_INVALID, says);
    }
    h.awaitCondition("invalid", Conditions.READY, "False", Reasons.INVALID_SPEC);
    assertBoundedThroughout(
        () -> h.emulator.counters().count("GET", MAPPINGS, 401),
        elapsed -> 1 + elapsed.toMillis() / AccountSnapshot.CREDENTIALS_BACKOFF.toMillis(),
        start);
    assertThat(h.emulator.counters().total())
        .as("nothing but the refused lists")
        .isEqualTo(h.emulator.counters().count("GET", MAPPINGS, 401));
  }

  /** Both pairs set (an Auth Token and an API key with its secret): the API key is used. */
  @Test
  void withBothATokenAndAnApiKeyTheKeyIsUsed() {
    String key = "SK" + "4".repeat(32);
    h.emulator.addApiKey(OperatorHarness.ACCOUNT, key, "key-secret");
    h.startFromEnvironment(
        Map.of(
            "TWILIO_ACCOUNT_SID",
            OperatorHarness.ACCOUNT,
            "TWILIO_AUTH_TOKEN",
            "a-token-twilio-would-refuse",
            "TWILIO_API_KEY",
            key,
            "TWILIO_API_SECRET",
            "key-secret"));

    h.apply(h.resource("keyed", h.newIpRecord(), h.newDomain()));

    h.awaitReady("keyed");
    assertThat(h.emulator.counters().count("GET", MAPPINGS, 401)).isZero();
  }

  // ---- answers Twilio spoils -----------------------------------------------------------------

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
    h.withOperatorSettings(
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
    assertThat(condition(failing, Conditions.RECONCILING).getReason()).isEqualTo(Reasons.CREATING);
    assertThat(condition(failing, Conditions.STALLED).getStatus()).isEqualTo("False");
    awaitEvent("spoiled", Reasons.TWILIO_UNAVAILABLE, says);
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
  }

  // ---- sizes ---------------------------------------------------------------------------------

  /** A name of 253 characters, the most Kubernetes allows: every derived name stays valid. */
  @Test
  void aNameOf253CharactersWorksAndItsEventsHaveValidNames() {
    h.start();
    // the Event name keeps 236 characters of it: here they end in '.', which must go
    String name = "pbx-" + "a".repeat(231) + ".east-" + "b".repeat(12);
    String badName = "bad-" + "c".repeat(249);
    assertThat(name).hasSize(253);
    assertThat(badName).hasSize(253);

    h.apply(h.resource(name, h.newIpRecord(), h.newDomain()));
    h.applyRaw(badName, Map.of("spec", spec("IL1", SD)), Map.of());

    h.awaitReady(name);
    h.awaitCondition(badName, Conditions.READY, "False", Reasons.INVALID_SPEC);
    awaitEvent(name, "Created", "Created Twilio mapping");
    awaitEvent(badName, Reasons.INVALID_SPEC, "spec.ipRecordSid 'IL1' is not a SID");
    assertThat(Stream.concat(h.events(name).stream(), h.events(badName).stream()))
        .isNotEmpty()
        .allSatisfy(
            e ->
                assertThat(e.getMetadata().getName())
                    .hasSizeLessThanOrEqualTo(253)
                    .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"));
    assertThat(h.creates()).isEqualTo(1);
  }

  /**
   * An annotation value of 100 KiB: InvalidSpec with a message that names the annotation and at
   * most the value's start, never the value itself; no request to Twilio.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "voice.byoc.dev/external-sid|IB|annotation voice.byoc.dev/external-sid '{start}...' is not"
            + " a SID: expected IB followed by 32 hexadecimal digits",
        "voice.byoc.dev/resync-interval|9|annotation voice.byoc.dev/resync-interval must be a"
            + " duration of at least 10s such as 30s, 5m or 1h",
        "voice.byoc.dev/paused|t|annotation voice.byoc.dev/paused must be \"true\" or \"false\""
      })
  void aHugeAnnotationValueIsInvalidSpecWithoutEchoingIt(String key, String unit, String says) {
    h.resync(RESYNC).start();
    String value = unit.repeat(100 * 1024 / unit.length());
    String expected = says.replace("{start}", value.substring(0, 64));
    SourceIpMapping r = h.resource("annotated", IP, SD);
    r.getMetadata().setAnnotations(Map.of(key, value));

    h.apply(r);
    h.apply(h.resource("good", h.newIpRecord(), h.newDomain()));

    SourceIpMapping bad =
        h.awaitCondition("annotated", Conditions.READY, "False", Reasons.INVALID_SPEC);
    assertThat(message(bad, Conditions.READY))
        .isEqualTo(expected)
        .doesNotContain(value.substring(0, 65));
    Event event = awaitEvent("annotated", Reasons.INVALID_SPEC, expected);
    assertThat(Messages.utf8Length(event.getMessage()))
        .isLessThanOrEqualTo(Messages.MAX_EVENT_BYTES);
    h.awaitReady("good");
    assertBoundedThroughout(this::requestsOtherThanLists, elapsed -> 1);
  }

  // ---- helpers -------------------------------------------------------------------------------

  static Arguments row(String name, Object spec, String says) {
    return Arguments.of(name, spec, says);
  }

  static Map<String, Object> spec(String ipRecordSid, String sipDomainSid) {
    Map<String, Object> spec = new LinkedHashMap<>();
    if (ipRecordSid != null) {
      spec.put("ipRecordSid", ipRecordSid);
    }
    if (sipDomainSid != null) {
      spec.put("sipDomainSid", sipDomainSid);
    }
    return spec;
  }

  static Map<String, Object> with(Map<String, Object> spec, String field, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(spec);
    copy.put(field, value);
    return copy;
  }

  static void putIf(Map<String, String> env, String name, String value) {
    if (value != null && !value.isEmpty()) {
      env.put(name, value);
    }
  }

  long requestsOtherThanLists() {
    return h.emulator.counters().total() - h.count("GET", MAPPINGS);
  }

  /** Over {@link #WINDOW} from now, the count never exceeds the bound for the time elapsed. */
  void assertBoundedThroughout(LongSupplier count, Bound bound) {
    assertBoundedThroughout(count, bound, System.nanoTime());
  }

  /**
   * Polls the count throughout {@link #WINDOW} and fails as soon as it exceeds the bound the retry
   * rules give for the time elapsed since {@code startNanos}: a limit on the request rate, derived
   * from the rules, that a slow machine only loosens.
   */
  void assertBoundedThroughout(LongSupplier count, Bound bound, long startNanos) {
    await()
        .during(WINDOW)
        .atMost(WINDOW.plus(OperatorHarness.WAIT))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                count.getAsLong()
                    <= bound.allowed(Duration.ofNanos(System.nanoTime() - startNanos)));
  }

  /** Over {@link #WINDOW}, nothing writes the resource (no status patched in a loop). */
  void assertNoWritesThroughout(String name) {
    String version = h.get(name).getMetadata().getResourceVersion();
    await()
        .during(WINDOW)
        .atMost(WINDOW.plus(OperatorHarness.WAIT))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> version.equals(h.get(name).getMetadata().getResourceVersion()));
  }

  /** How many requests the rules allow after this much time. */
  @FunctionalInterface
  interface Bound {
    long allowed(Duration elapsed);
  }

  Event awaitEvent(String name, String reason, String says) {
    return await()
        .atMost(OperatorHarness.WAIT)
        .until(
            () ->
                eventsOf(name, reason).stream()
                    .filter(e -> e.getMessage().contains(says))
                    .findFirst()
                    .orElse(null),
            e -> e != null);
  }

  List<Event> eventsOf(String name, String reason) {
    return h.events(name).stream().filter(e -> reason.equals(e.getReason())).toList();
  }
}
