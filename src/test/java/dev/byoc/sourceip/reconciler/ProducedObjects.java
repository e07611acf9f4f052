package dev.byoc.sourceip.reconciler;

import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.api.v1alpha1.IpRecordReference;
import dev.byoc.sourceip.api.v1alpha1.ManagementPolicy;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.emulator.FaultSettings;
import dev.byoc.sourceip.emulator.ScriptedFault;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Drives the operator through the scenarios of docs/status.md and returns the object each one
 * produced, as the API server held it at that moment, by scenario name. Health evaluators (the
 * kstatus port in KstatusIT; later an Argo CD Lua health check) evaluate these same objects, so
 * they judge what the operator really writes, not hand-made guesses. {@link #dump} writes them to
 * target/ for tools outside the JVM.
 */
final class ProducedObjects {
  /** Ready=True, Synced=True: created and converged. */
  static final String READY = "ready";

  /** managementPolicy Observe, Twilio holds what the spec says. */
  static final String OBSERVE_MATCHES = "observe-matches";

  /** managementPolicy Observe, Twilio maps the IP record to another domain. */
  static final String OBSERVE_DIFFERS = "observe-differs";

  /** Ready, then paused: Ready=True, Synced=False Paused. */
  static final String PAUSED = "paused";

  /** Paused before anything was created: Ready=False Paused. */
  static final String PAUSED_BEFORE_CREATE = "paused-before-create";

  /** A malformed ipRecordSid: InvalidSpec. */
  static final String INVALID_SPEC = "invalid-spec";

  /** An IP record Twilio does not hold: Twilio answers 400, TwilioRejected. */
  static final String TWILIO_REJECTED = "twilio-rejected";

  /** The external-sid annotation names a mapping Twilio does not hold: ReferenceNotReady. */
  static final String REFERENCE_NOT_READY = "reference-not-ready";

  /** A mapping names, by ipRecordRef, an IpRecord that does not exist (yet). */
  static final String WAITING_FOR_IP_RECORD = "waiting-for-ip-record";

  /** A mapping names, by sipDomainName, a domain the account does not hold. */
  static final String UNKNOWN_DOMAIN_NAME = "unknown-domain-name";

  /** The second resource claiming an IP record: Conflict. */
  static final String CONFLICT_LOSER = "conflict-loser";

  /** The create answered 503, caught while JOSDK retries it: Creating / TwilioUnavailable. */
  static final String CREATING_RETRIED = "creating-retried";

  /** A changed domain whose update answered 503, while it is retried: TwilioUnavailable. */
  static final String UPDATING_RETRIED = "updating-retried";

  /** Deleted while Twilio answers the DELETE with 503: Deleting / TwilioUnavailable. */
  static final String DELETING_RETRIED = "deleting-retried";

  /** Seen by the operator (finalizer added) while its first create is still on the wire. */
  static final String CREATING_FIRST_ATTEMPT = "creating-first-attempt";

  /** The operator's token is refused by Twilio (401): CredentialsInvalid. */
  static final String CREDENTIALS_REFUSED = "credentials-refused";

  static final String MAPPINGS = "/v1/SourceIpMappings";
  static final String MAPPING = "/v1/SourceIpMappings/{Sid}";

  private ProducedObjects() {}

  /**
   * Starts the operator of {@code h} (not started yet) and drives every scenario in it, but {@link
   * #CREDENTIALS_REFUSED}, which needs an operator with another token: that one runs in a second
   * harness on the same Kubernetes API, closed before this returns.
   */
  static Map<String, SourceIpMapping> produce(OperatorHarness h) {
    Map<String, SourceIpMapping> produced = new LinkedHashMap<>();
    String unknownIp = "IL" + "0".repeat(32);

    // Observe reads what Twilio held at the operator's first list
    String observedIp = h.newIpRecord();
    String observedDomain = h.newDomain();
    h.twilio.createSourceIpMapping(observedIp, observedDomain);
    String differingIp = h.newIpRecord();
    h.twilio.createSourceIpMapping(differingIp, h.newDomain());
    h.start();

    String domain = h.newDomain();
    String contestedIp = h.newIpRecord();
    h.apply(h.resource(READY, h.newIpRecord(), domain));
    h.apply(observe(h.resource(OBSERVE_MATCHES, observedIp, observedDomain)));
    h.apply(observe(h.resource(OBSERVE_DIFFERS, differingIp, domain)));
    h.apply(
        annotated(
            h.resource(PAUSED_BEFORE_CREATE, h.newIpRecord(), domain),
            SourceIpMapping.PAUSED_ANNOTATION,
            "true"));
    h.applyRaw(
        INVALID_SPEC,
        Map.of("spec", Map.of("ipRecordSid", "IL1", "sipDomainSid", domain)),
        Map.of());
    h.apply(h.resource(TWILIO_REJECTED, unknownIp, domain));
    h.apply(
        annotated(
            h.resource(REFERENCE_NOT_READY, h.newIpRecord(), domain),
            SourceIpMapping.EXTERNAL_SID_ANNOTATION,
            "IB" + "0".repeat(32)));
    SourceIpMapping waiting = h.resource(WAITING_FOR_IP_RECORD, null, domain);
    waiting.getSpec().setIpRecordRef(new IpRecordReference("not-applied-yet"));
    h.apply(waiting);
    SourceIpMapping unknownDomain = h.resource(UNKNOWN_DOMAIN_NAME, h.newIpRecord(), null);
    unknownDomain.getSpec().setSipDomainName("nowhere.sip.twilio.com");
    h.apply(unknownDomain);
    h.apply(h.resource("conflict-winner", contestedIp, domain));
    h.apply(h.resource(PAUSED, h.newIpRecord(), domain));
    h.apply(h.resource(UPDATING_RETRIED, h.newIpRecord(), domain));
    h.apply(h.resource(DELETING_RETRIED, h.newIpRecord(), domain));

    produced.put(READY, h.awaitReady(READY));
    produced.put(
        OBSERVE_MATCHES,
        h.awaitCondition(OBSERVE_MATCHES, Conditions.SYNCED, "True", Reasons.OBSERVING));
    produced.put(
        OBSERVE_DIFFERS,
        h.awaitCondition(OBSERVE_DIFFERS, Conditions.SYNCED, "False", Reasons.OBSERVING));
    produced.put(
        PAUSED_BEFORE_CREATE,
        h.awaitCondition(PAUSED_BEFORE_CREATE, Conditions.READY, "False", Reasons.PAUSED));
    produced.put(
        INVALID_SPEC,
        h.awaitCondition(INVALID_SPEC, Conditions.READY, "False", Reasons.INVALID_SPEC));
    produced.put(
        TWILIO_REJECTED,
        h.awaitCondition(TWILIO_REJECTED, Conditions.SYNCED, "False", Reasons.TWILIO_REJECTED));
    produced.put(
        REFERENCE_NOT_READY,
        h.awaitCondition(
            REFERENCE_NOT_READY, Conditions.READY, "False", Reasons.REFERENCE_NOT_READY));
    produced.put(
        WAITING_FOR_IP_RECORD,
        h.awaitCondition(
            WAITING_FOR_IP_RECORD, Conditions.RECONCILING, "True", Reasons.REFERENCE_NOT_READY));
    produced.put(
        UNKNOWN_DOMAIN_NAME,
        h.awaitCondition(
            UNKNOWN_DOMAIN_NAME, Conditions.STALLED, "True", Reasons.REFERENCE_NOT_READY));
    h.awaitReady("conflict-winner");
    h.awaitReady(PAUSED);
    h.awaitReady(UPDATING_RETRIED);
    h.awaitReady(DELETING_RETRIED);

    h.apply(h.resource(CONFLICT_LOSER, contestedIp, h.newDomain()));
    produced.put(
        CONFLICT_LOSER,
        h.awaitCondition(CONFLICT_LOSER, Conditions.READY, "False", Reasons.CONFLICT));

    h.edit(PAUSED, r -> annotated(r, SourceIpMapping.PAUSED_ANNOTATION, "true"));
    produced.put(PAUSED, h.awaitCondition(PAUSED, Conditions.SYNCED, "False", Reasons.PAUSED));

    // a create answered 503 three times: JOSDK retries it after 1 s, 2 s, 4 s
    h.emulator.faults().script(unavailable("POST", MAPPINGS, 3));
    h.apply(h.resource(CREATING_RETRIED, h.newIpRecord(), domain));
    produced.put(
        CREATING_RETRIED,
        h.awaitCondition(CREATING_RETRIED, Conditions.RECONCILING, "True", Reasons.CREATING));
    h.awaitReady(CREATING_RETRIED);

    // an update (POST to the mapping) is idempotent, so retried 4 times inside the client: 10
    // refusals fail two reconciles, and JOSDK retries them
    String otherDomain = h.newDomain();
    h.emulator.faults().script(unavailable("POST", MAPPING, 10));
    h.edit(
        UPDATING_RETRIED,
        r -> {
          r.getSpec().setSipDomainSid(otherDomain);
          return r;
        });
    produced.put(
        UPDATING_RETRIED,
        h.awaitCondition(
            UPDATING_RETRIED, Conditions.RECONCILING, "True", Reasons.TWILIO_UNAVAILABLE));
    h.awaitReady(UPDATING_RETRIED);

    // a DELETE is retried 4 times inside the client: 10 refusals fail two reconciles
    h.emulator.faults().script(unavailable("DELETE", MAPPING, 10));
    h.mappings().inNamespace(h.ns).withName(DELETING_RETRIED).delete();
    produced.put(
        DELETING_RETRIED,
        h.awaitCondition(DELETING_RETRIED, Conditions.RECONCILING, "True", Reasons.DELETING));
    h.awaitGone(DELETING_RETRIED);

    // the first create is slow: the operator has added its finalizer, but written no status yet
    FaultSettings before = h.emulator.faults().settings();
    h.emulator
        .faults()
        .update(FaultSettings.none().withLatencyMs(3000).withMethods(Set.of("POST")));
    try {
      h.apply(h.resource(CREATING_FIRST_ATTEMPT, h.newIpRecord(), domain));
      produced.put(
          CREATING_FIRST_ATTEMPT,
          await()
              .atMost(OperatorHarness.WAIT)
              .pollInterval(Duration.ofMillis(20))
              .until(
                  () -> h.get(CREATING_FIRST_ATTEMPT),
                  r ->
                      r != null
                          && r.getMetadata().getFinalizers().contains(SourceIpMapping.FINALIZER)
                          && r.getStatus() == null));
      h.awaitReady(CREATING_FIRST_ATTEMPT);
    } finally {
      h.emulator.faults().update(before);
    }

    try (OperatorHarness refused = new OperatorHarness(h.kubernetes)) {
      refused.withOperatorToken(KnownSecrets.WRONG_AUTH_TOKEN).start();
      refused.apply(refused.resource(CREDENTIALS_REFUSED, refused.newIpRecord(), domain));
      produced.put(
          CREDENTIALS_REFUSED,
          refused.awaitCondition(
              CREDENTIALS_REFUSED, Conditions.READY, "False", Reasons.CREDENTIALS_INVALID));
    }
    return produced;
  }

  /** Writes each object to {@code dir}/{scenario}.yaml, e.g. target/produced-objects. */
  static void dump(Map<String, SourceIpMapping> produced, Path dir) {
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, SourceIpMapping> e : produced.entrySet()) {
        Files.writeString(dir.resolve(e.getKey() + ".yaml"), Serialization.asYaml(e.getValue()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SourceIpMapping observe(SourceIpMapping r) {
    r.getSpec().setManagementPolicy(ManagementPolicy.Observe);
    return r;
  }

  private static SourceIpMapping annotated(SourceIpMapping r, String key, String value) {
    Map<String, String> annotations =
        r.getMetadata().getAnnotations() == null
            ? new HashMap<>()
            : new HashMap<>(r.getMetadata().getAnnotations());
    annotations.put(key, value);
    r.getMetadata().setAnnotations(annotations);
    return r;
  }

  private static ScriptedFault[] unavailable(String method, String path, int times) {
    ScriptedFault[] faults = new ScriptedFault[times];
    for (int i = 0; i < times; i++) {
      faults[i] = ScriptedFault.of("503").forMethod(method).forPath(path);
    }
    return faults;
  }
}
