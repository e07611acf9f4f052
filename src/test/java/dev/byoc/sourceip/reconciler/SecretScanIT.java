package dev.byoc.sourceip.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.LogCapture;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.emulator.ScriptedFault;
import dev.byoc.sourceip.secretscan.SecretScanner;
import dev.byoc.sourceip.twilio.TwilioApiException;
import dev.byoc.sourceip.twilio.TwilioClient;
import dev.byoc.sourceip.twilio.TwilioOutcomeUnknownException;
import dev.byoc.sourceip.twilio.TwilioRequestListener.RequestEvent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import okhttp3.Credentials;
import org.junit.jupiter.api.Test;

/**
 * The operator with known credentials through the paths most likely to leak them (create, update,
 * delete; an API key; refused credentials; 5xx, 429, dropped connections and spoiled answers from
 * Twilio), every logger at TRACE: then no log line, status, Event, metric tag or exception holds a
 * secret in any form.
 */
@EnableKubernetesMockClient(crud = true)
class SecretScanIT {
  static KubernetesClient client;

  static final SecretScanner SCANNER = SecretScanner.forKnownSecrets();
  static final String MAPPINGS = "/v1/SourceIpMappings";
  static final String MAPPING = "/v1/SourceIpMappings/{Sid}";

  final List<RequestEvent> requests = new CopyOnWriteArrayList<>();
  final List<Throwable> thrown = new CopyOnWriteArrayList<>();

  @Test
  void noCredentialInLogsStatusEventsMetricsOrExceptions() {
    List<ILoggingEvent> logs;
    List<SourceIpMapping> resources;
    List<Event> events;
    try (OperatorHarness h = new OperatorHarness(client);
        LogCapture capture = LogCapture.everythingAtTrace();
        // built at TRACE, so that it logs its requests; used by the operator alone
        KubernetesClient withToken = withBearerToken(client)) {
      h.withOperatorKubernetes(withToken);
      h.emulator.addApiKey(
          KnownSecrets.ACCOUNT_SID, KnownSecrets.API_KEY_SID, KnownSecrets.API_SECRET);
      h.withRequestListener(requests::add).decorateClient(this::recordingWhatItThrows);
      byAuthTokenWithEveryKindOfTwilioFailure(h);
      byApiKey(h);
      withRefusedCredentials(h);
      logs = capture.events();
      resources = h.mappings().inAnyNamespace().list().getItems();
      events = client.v1().events().inAnyNamespace().list().getItems();
    }

    Map<String, String> seen = new LinkedHashMap<>();
    for (int i = 0; i < logs.size(); i++) {
      seen.put(
          "log event " + i + " of " + logs.get(i).getLoggerName(), LogCapture.text(logs.get(i)));
    }
    resources.forEach(
        r -> seen.put("resource " + r.getMetadata().getName(), Serialization.asJson(r)));
    events.forEach(e -> seen.put("Event " + e.getMetadata().getName(), Serialization.asJson(e)));
    for (int i = 0; i < requests.size(); i++) {
      seen.put("metrics hook call " + i, requests.get(i).toString());
    }
    for (int i = 0; i < thrown.size(); i++) {
      seen.put("exception " + i, stackTrace(thrown.get(i)));
    }

    Map<String, List<String>> found = new LinkedHashMap<>();
    seen.forEach(
        (source, text) -> {
          List<String> forms = SCANNER.formsIn(text);
          if (!forms.isEmpty()) {
            found.put(source, forms);
          }
        });
    assertThat(found).as("secrets found (source: forms)").isEmpty();

    // and all of it was there to scan: not a vacuous pass
    assertThat(
            SCANNER.formsIn(Credentials.basic(KnownSecrets.ACCOUNT_SID, KnownSecrets.AUTH_TOKEN)))
        .as("the scanner knows the header the client sends")
        .isNotEmpty();
    assertThat(
            SCANNER.formsIn(Credentials.basic(KnownSecrets.API_KEY_SID, KnownSecrets.API_SECRET)))
        .isNotEmpty();
    assertThat(logs).anyMatch(e -> e.getLevel() == Level.TRACE);
    assertThat(logs.stream().map(ILoggingEvent::getLoggerName))
        .anyMatch(n -> n.startsWith("dev.byoc.sourceip.twilio"))
        .anyMatch(n -> n.startsWith("io.javaoperatorsdk"))
        .anyMatch(n -> n.equals("io.fabric8.kubernetes.client.http.HttpLoggingInterceptor"))
        .anyMatch(n -> n.startsWith("okhttp3"));
    assertThat(resources).hasSizeGreaterThanOrEqualTo(6).allMatch(r -> r.getStatus() != null);
    assertThat(events.stream().map(Event::getReason))
        .contains("Created", "Updated", Reasons.CREDENTIALS_INVALID);
    assertThat(requests.stream().map(RequestEvent::status))
        .contains(200, 201, 204, 401, 429, 500, 503, 0);
    assertThat(thrown)
        .anyMatch(t -> t instanceof TwilioApiException a && a.status() == 401)
        .anyMatch(t -> t instanceof TwilioOutcomeUnknownException);
  }

  /**
   * Create, update and delete, with Twilio failing once in each way the emulator has but an endless
   * body (which only waits out the call timeout).
   */
  private void byAuthTokenWithEveryKindOfTwilioFailure(OperatorHarness h) {
    String domain = h.newDomain();
    String other = h.newDomain();
    h.start();
    h.apply(h.resource("plain", h.newIpRecord(), domain));
    h.awaitReady("plain");
    h.edit(
        "plain",
        r -> {
          r.getSpec().setSipDomainSid(other);
          return r;
        });
    assertThat(h.awaitReady("plain").getStatus().getSipDomainSid()).isEqualTo(other);

    List<ScriptedFault> faults = new ArrayList<>();
    for (String fault :
        List.of(
            "500",
            "503",
            "reset-before",
            "reset-after",
            "malformed-json",
            "html",
            "empty-body",
            "huge-body")) {
      faults.add(ScriptedFault.of(fault).forMethod("POST").forPath(MAPPINGS));
    }
    faults.add(
        ScriptedFault.of("429").withRetryAfterSeconds(0).forMethod("POST").forPath(MAPPINGS));
    faults.add(ScriptedFault.of("503").forMethod("GET").forPath(MAPPINGS));
    faults.add(ScriptedFault.of("500").forMethod("DELETE").forPath(MAPPING));
    h.emulator.faults().script(faults);
    // a create adopted after a spoiled answer needs no second try: create until every fault
    // scripted for a create has been met
    for (int i = 0; i < faults.size() && pendingCreateFaults(h); i++) {
      h.apply(h.resource("faulty-" + i, h.newIpRecord(), domain));
      h.awaitReady("faulty-" + i);
    }
    h.mappings().inNamespace(h.ns).withName("plain").delete();
    h.awaitGone("plain");
    await()
        .atMost(OperatorHarness.WAIT)
        .untilAsserted(() -> assertThat(h.emulator.faults().pendingScript()).isEmpty());
    h.stop();
  }

  private static boolean pendingCreateFaults(OperatorHarness h) {
    return h.emulator.faults().pendingScript().stream().anyMatch(f -> "POST".equals(f.method()));
  }

  private void byApiKey(OperatorHarness h) {
    h.withOperatorSettings(b -> b.apiKey(KnownSecrets.API_KEY_SID, KnownSecrets.API_SECRET))
        .start();
    h.apply(h.resource("by-key", h.newIpRecord(), h.newDomain()));
    h.awaitReady("by-key");
    h.stop();
  }

  /** A wrong auth token, then a wrong API secret: both refused with 401. */
  private void withRefusedCredentials(OperatorHarness h) {
    h.withOperatorSettings(UnaryOperator.identity())
        .withOperatorToken(KnownSecrets.WRONG_AUTH_TOKEN)
        .start();
    h.apply(h.resource("refused", h.newIpRecord(), h.newDomain()));
    h.awaitCondition("refused", Conditions.READY, "False", Reasons.CREDENTIALS_INVALID);
    h.stop();
    long refused = h.emulator.counters().count("GET", MAPPINGS, 401);
    h.withOperatorToken(null)
        .withOperatorSettings(
            b -> b.apiKey(KnownSecrets.API_KEY_SID, KnownSecrets.WRONG_AUTH_TOKEN))
        .start();
    await()
        .atMost(OperatorHarness.WAIT)
        .until(() -> h.emulator.counters().count("GET", MAPPINGS, 401) > refused);
    h.awaitCondition("refused", Conditions.READY, "False", Reasons.CREDENTIALS_INVALID);
    h.stop();
  }

  /** The mock API server does not check tokens; the client sends one all the same. */
  private static KubernetesClient withBearerToken(KubernetesClient mock) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(mock.getConfiguration())
                .withOauthToken(KnownSecrets.KUBERNETES_TOKEN)
                .build())
        .build();
  }

  /** The operator's Twilio client, keeping every exception it throws to the operator. */
  private TwilioClient recordingWhatItThrows(TwilioClient real) {
    return (TwilioClient)
        Proxy.newProxyInstance(
            TwilioClient.class.getClassLoader(),
            new Class<?>[] {TwilioClient.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                thrown.add(e.getCause());
                throw e.getCause();
              }
            });
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return t + "\n" + out;
  }
}
