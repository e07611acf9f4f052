package dev.byoc.sourceip.reconciler;

import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.SourceIpOperator;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.config.OperatorConfig;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.testing.ConditionAssert;
import dev.byoc.sourceip.testing.Crd;
import dev.byoc.sourceip.testing.EmulatorExtension;
import dev.byoc.sourceip.twilio.AccountLimiter;
import dev.byoc.sourceip.twilio.HttpTwilioClient;
import dev.byoc.sourceip.twilio.TwilioClient;
import dev.byoc.sourceip.twilio.TwilioMapping;
import dev.byoc.sourceip.twilio.TwilioRequestListener;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;

/**
 * One operator under test: the emulator over real HTTP, a Kubernetes API (fabric8's CRUD mock
 * server) with the generated CRD installed, and helpers to apply resources and await conditions.
 */
final class OperatorHarness implements AutoCloseable {
  static final String ACCOUNT = KnownSecrets.ACCOUNT_SID;
  static final String TOKEN = KnownSecrets.AUTH_TOKEN;
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  static final Duration WAIT = Duration.ofSeconds(60);

  final TwilioEmulator emulator;
  final KubernetesClient kubernetes;
  final TwilioClient twilio; // the test's own view of Twilio, for out-of-band changes
  final String ns = "telephony-" + NAMESPACES.incrementAndGet();
  private final AtomicInteger ips = new AtomicInteger();
  private SourceIpOperator operator;
  private Duration resync = Duration.ofMinutes(5);
  private Function<TwilioClient, TwilioClient> clientDecorator = Function.identity();
  private String operatorToken;
  private UnaryOperator<TwilioConfig.Builder> operatorSettings = UnaryOperator.identity();
  private TwilioRequestListener requestListener = TwilioRequestListener.NONE;
  private KubernetesClient operatorKubernetes;

  OperatorHarness(KubernetesClient kubernetes) {
    this.kubernetes = kubernetes;
    this.emulator = EmulatorExtension.withKnownAccount().start();
    this.twilio = new HttpTwilioClient(twilioConfig().build());
    installCrd(kubernetes);
  }

  static void installCrd(KubernetesClient kubernetes) {
    Crd.install(kubernetes);
  }

  TwilioConfig.Builder twilioConfig() {
    return TwilioConfig.builder(ACCOUNT, TOKEN, emulator.baseUrl())
        .retries(4, Duration.ofMillis(20), Duration.ofSeconds(2));
  }

  OperatorHarness resync(Duration interval) {
    this.resync = interval;
    return this;
  }

  /** Wraps the operator's Twilio client, e.g. to crash right after a create. */
  OperatorHarness decorateClient(Function<TwilioClient, TwilioClient> decorator) {
    this.clientDecorator = decorator;
    return this;
  }

  /** Starts the operator with another auth token than the emulator's (wrong credentials). */
  OperatorHarness withOperatorToken(String token) {
    this.operatorToken = token;
    return this;
  }

  /** Changes the operator's Twilio settings: an API key instead of the token, shorter timeouts. */
  OperatorHarness withOperatorSettings(UnaryOperator<TwilioConfig.Builder> change) {
    this.operatorSettings = change;
    return this;
  }

  /** Tells {@code listener} of every request the operator sends to Twilio (the metrics hook). */
  OperatorHarness withRequestListener(TwilioRequestListener listener) {
    this.requestListener = listener;
    return this;
  }

  /** The operator talks to the API server through this client (e.g. one with a bearer token). */
  OperatorHarness withOperatorKubernetes(KubernetesClient client) {
    this.operatorKubernetes = client;
    return this;
  }

  OperatorHarness start() {
    TwilioConfig twilioConfig =
        operatorSettings
            .apply(
                operatorToken == null
                    ? twilioConfig()
                    : TwilioConfig.builder(ACCOUNT, operatorToken, emulator.baseUrl()))
            .build();
    OperatorConfig config = new OperatorConfig(Set.of(ns), resync, 20, twilioConfig);
    AccountLimiter limiter = new AccountLimiter(twilioConfig.limits());
    HttpTwilioClient client =
        new HttpTwilioClient(twilioConfig, new OkHttpClient(), limiter, requestListener);
    operator =
        SourceIpOperator.start(
            config,
            operatorKubernetes == null ? kubernetes : operatorKubernetes,
            clientDecorator.apply(client));
    return this;
  }

  /**
   * Starts the operator as the {@code operator} command would from this environment (credentials
   * included, or not), watching this namespace, with the emulator as Twilio.
   */
  OperatorHarness startFromEnvironment(Map<String, String> environment) {
    Map<String, String> env = new java.util.HashMap<>(environment);
    env.putIfAbsent("SOURCEIP_NAMESPACES", ns);
    env.put("SOURCEIP_RESYNC_INTERVAL", resync.toMillis() + "ms");
    env.put("TWILIO_BASE_URL", emulator.baseUrl());
    operator =
        SourceIpOperator.start(
            OperatorConfig.from(dev.byoc.sourceip.config.Settings.from(env)), kubernetes);
    return this;
  }

  /** The running operator (its metrics and probes). */
  SourceIpOperator operator() {
    return operator;
  }

  void stop() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  MixedOperation<
          SourceIpMapping, KubernetesResourceList<SourceIpMapping>, Resource<SourceIpMapping>>
      mappings() {
    return kubernetes.resources(SourceIpMapping.class);
  }

  String newIpRecord() {
    int n = ips.incrementAndGet();
    return emulator.createIpRecord(
        ACCOUNT, "10.%d.%d.%d".formatted(n / 65536 % 256, n / 256 % 256, n % 256), 32, null);
  }

  String newDomain() {
    return emulator.createSipDomain(ACCOUNT, "d" + System.nanoTime() + ".sip.twilio.com");
  }

  SourceIpMapping resource(String name, String ipRecordSid, String sipDomainSid) {
    SourceIpMapping r = new SourceIpMapping();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    r.setSpec(new SourceIpMappingSpec(ipRecordSid, sipDomainSid));
    return r;
  }

  SourceIpMapping apply(SourceIpMapping r) {
    return mappings().inNamespace(ns).resource(r).createOr(c -> c.update());
  }

  /**
   * Creates the resource exactly as given, through an untyped client, so that fields the typed
   * model cannot hold (spec.foo, deletionPolicy: orphan, a spec that is a string) reach the server
   * as a user's manifest would: {@code fields} are its top-level fields besides metadata.
   */
  void applyRaw(String name, Map<String, Object> fields, Map<String, String> annotations) {
    GenericKubernetesResource raw = new GenericKubernetesResource();
    raw.setApiVersion(SourceIpMapping.GROUP + "/" + SourceIpMapping.VERSION);
    raw.setKind("SourceIpMapping");
    raw.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(ns)
            .withAnnotations(annotations)
            .build());
    fields.forEach(raw::setAdditionalProperty);
    raws().inNamespace(ns).resource(raw).create();
  }

  /** A JSON merge patch of the resource, through the untyped client. */
  void patchRaw(String name, String mergePatch) {
    raws().inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), mergePatch);
  }

  /** The resource as the server holds it, untyped (every field, known or not). */
  GenericKubernetesResource getRaw(String name) {
    return raws().inNamespace(ns).withName(name).get();
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      raws() {
    return kubernetes.genericKubernetesResources(
        SourceIpMapping.GROUP + "/" + SourceIpMapping.VERSION, "SourceIpMapping");
  }

  /** The Events recorded for the resource of that name. */
  List<Event> events(String name) {
    return kubernetes.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  SourceIpMapping get(String name) {
    return mappings().inNamespace(ns).withName(name).get();
  }

  SourceIpMapping edit(String name, java.util.function.UnaryOperator<SourceIpMapping> change) {
    return mappings().inNamespace(ns).withName(name).edit(change);
  }

  /** Waits until the condition has the status and (when given) the reason, for this generation. */
  SourceIpMapping awaitCondition(String name, String type, String status, String reason) {
    return ConditionAssert.awaitCondition(() -> get(name), type, status, reason, WAIT);
  }

  SourceIpMapping awaitReady(String name) {
    return awaitCondition(name, Conditions.READY, "True", Reasons.AVAILABLE);
  }

  void awaitGone(String name) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> get(name) == null);
  }

  List<TwilioMapping> twilioMappings() {
    return twilio.listSourceIpMappings();
  }

  long creates() {
    return emulator.counters().count("POST", "/v1/SourceIpMappings");
  }

  long count(String method, String pathTemplate) {
    return emulator.counters().count(method, pathTemplate);
  }

  @Override
  public void close() {
    stop();
    emulator.close();
  }
}
