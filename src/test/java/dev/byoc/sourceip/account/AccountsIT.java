package dev.byoc.sourceip.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.byoc.sourceip.KnownSecrets;
import dev.byoc.sourceip.SourceIpOperator;
import dev.byoc.sourceip.api.v1alpha1.AccountKind;
import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import dev.byoc.sourceip.api.v1alpha1.ClusterTwilioAccount;
import dev.byoc.sourceip.api.v1alpha1.ClusterTwilioAccountSpec;
import dev.byoc.sourceip.api.v1alpha1.CredentialsSecretRef;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccount;
import dev.byoc.sourceip.api.v1alpha1.TwilioAccountSpec;
import dev.byoc.sourceip.config.OperatorConfig;
import dev.byoc.sourceip.config.Settings;
import dev.byoc.sourceip.emulator.ProcessedRequest;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.reconciler.Conditions;
import dev.byoc.sourceip.testing.ConditionAssert;
import dev.byoc.sourceip.testing.Crd;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many teams, many accounts, end to end: TwilioAccounts and ClusterTwilioAccounts with their
 * Secrets in fabric8's CRUD mock API server, two accounts in the emulator over HTTP, and the
 * emulator's record of which account every request authenticated as.
 */
@EnableKubernetesMockClient(crud = true)
class AccountsIT {
  static final String A = KnownSecrets.ACCOUNT_SID;
  static final String B = KnownSecrets.OTHER_ACCOUNT_SID;
  static final String OPERATOR_NAMESPACE = "sourceip-system";
  static final Duration WAIT = Duration.ofSeconds(60);
  private static final AtomicInteger RUN = new AtomicInteger();

  static KubernetesClient client;

  TwilioEmulator emulator;
  SourceIpOperator operator;
  final List<ProcessedRequest> requests = new CopyOnWriteArrayList<>();
  final String teamA = "team-a-" + RUN.incrementAndGet();
  final String teamB = "team-b-" + RUN.get();

  @BeforeEach
  void setUp() {
    emulator =
        TwilioEmulator.builder()
            .account(A, KnownSecrets.AUTH_TOKEN)
            .account(B, KnownSecrets.OTHER_AUTH_TOKEN)
            .build()
            .start();
    emulator.onProcessed(requests::add);
    Crd.install(client);
    namespace(OPERATOR_NAMESPACE, Map.of());
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
    emulator.close();
  }

  @Test
  void twoTeamsInTwoNamespacesEachConvergeAtTheirOwnAccountOnly() {
    namespace(teamA, Map.of());
    namespace(teamB, Map.of());
    create(secret(teamA, "twilio", A, KnownSecrets.AUTH_TOKEN));
    create(account(teamA, "twilio", "twilio"));
    create(secret(teamB, "creds", B, KnownSecrets.OTHER_AUTH_TOKEN));
    create(account(teamB, "default", "creds")); // used without an accountRef
    String ipA = emulator.createIpRecord(A, "203.0.113.10", 32, null);
    String domainA = emulator.createSipDomain(A, "a.sip.twilio.com");
    String ipB = emulator.createIpRecord(B, "198.51.100.10", 32, null);
    String domainB = emulator.createSipDomain(B, "b.sip.twilio.com");
    startOperator(Map.of(), teamA, teamB);

    create(mapping(teamA, "route", ipA, domainA, new AccountReference(null, "twilio")));
    create(mapping(teamB, "route", ipB, domainB, null));

    SourceIpMapping a = awaitReady(teamA, "route");
    SourceIpMapping b = awaitReady(teamB, "route");
    assertThat(a.getStatus().getAccountSid()).isEqualTo(A);
    assertThat(b.getStatus().getAccountSid()).isEqualTo(B);
    assertThat(emulator.sourceIpMappings(A))
        .singleElement()
        .satisfies(m -> assertThat(m.sid()).isEqualTo(a.getStatus().getSid()));
    assertThat(emulator.sourceIpMappings(B))
        .singleElement()
        .satisfies(m -> assertThat(m.sid()).isEqualTo(b.getStatus().getSid()));
    TwilioAccount accountA = awaitAccountReady(teamA, "twilio");
    TwilioAccount accountB = awaitAccountReady(teamB, "default");
    assertThat(accountA.getStatus().getAccountSid()).isEqualTo(A);
    assertThat(accountB.getStatus().getAccountSid()).isEqualTo(B);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TwilioAccount now = get(TwilioAccount.class, teamA, "twilio");
              assertThat(now.getStatus().getUsedBy())
                  .containsExactly("SourceIpMapping " + teamA + "/route");
              assertThat(now.getStatus().getUsedByCount()).isEqualTo(1);
            });
    // every request to Twilio authenticated as one of the two accounts, and each POST went to
    // the account of the namespace it served
    assertThat(requests).allSatisfy(r -> assertThat(r.accountSid()).isIn(A, B));
    assertThat(requests)
        .filteredOn(r -> r.method().equals("POST"))
        .extracting(ProcessedRequest::accountSid)
        .containsExactlyInAnyOrder(A, B);
    assertThat(requests).noneMatch(r -> r.status() == 401);
  }

  @Test
  void aClusterAccountServesOnlyTheNamespacesItsSelectorAdmits() {
    namespace(teamA, Map.of("voice.example/team", "telephony"));
    namespace(teamB, Map.of("voice.example/team", "marketing"));
    create(secret(OPERATOR_NAMESPACE, "shared", B, KnownSecrets.OTHER_AUTH_TOKEN));
    ClusterTwilioAccount shared = new ClusterTwilioAccount();
    shared.setMetadata(new ObjectMetaBuilder().withName("shared-" + teamA).build());
    ClusterTwilioAccountSpec spec = new ClusterTwilioAccountSpec();
    spec.setCredentialsSecretRef(new CredentialsSecretRef("shared"));
    spec.setNamespaceSelector(
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("voice.example/team", "telephony"))
            .build());
    shared.setSpec(spec);
    create(shared);
    String ip = emulator.createIpRecord(B, "198.51.100.20", 32, null);
    String ip2 = emulator.createIpRecord(B, "198.51.100.21", 32, null);
    String domain = emulator.createSipDomain(B, "shared.sip.twilio.com");
    startOperator(Map.of(), teamA, teamB);
    AccountReference ref =
        new AccountReference(AccountKind.ClusterTwilioAccount, "shared-" + teamA);

    create(mapping(teamA, "admitted", ip, domain, ref));
    create(mapping(teamB, "refused", ip2, domain, ref));

    SourceIpMapping admitted = awaitReady(teamA, "admitted");
    assertThat(admitted.getStatus().getAccountSid()).isEqualTo(B);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              SourceIpMapping refused = get(SourceIpMapping.class, teamB, "refused");
              ConditionAssert.assertCondition(
                  refused, Conditions.READY, "False", Reasons.ACCOUNT_NOT_ALLOWED);
              ConditionAssert.assertCondition(
                  refused, Conditions.STALLED, "True", Reasons.ACCOUNT_NOT_ALLOWED);
            });
    assertThat(get(SourceIpMapping.class, teamB, "refused").getStatus().getConditions())
        .anySatisfy(c -> assertThat(c.getMessage()).contains("does not admit namespace " + teamB));
    // never served: only the admitted mapping was created, in the cluster account
    assertThat(emulator.sourceIpMappings(B))
        .singleElement()
        .satisfies(m -> assertThat(m.ipRecordSid()).isEqualTo(ip));
    assertThat(emulator.mappingCount(A)).isZero();
  }

  @Test
  void aRotatedSecretIsUsedWithoutRestartAndARefusedOneIsReportedUntilFixed() {
    namespace(teamA, Map.of());
    create(secret(teamA, "twilio", A, KnownSecrets.AUTH_TOKEN));
    create(account(teamA, "default", "twilio"));
    String ip1 = emulator.createIpRecord(A, "203.0.113.31", 32, null);
    String ip2 = emulator.createIpRecord(A, "203.0.113.32", 32, null);
    String ip3 = emulator.createIpRecord(A, "203.0.113.33", 32, null);
    String domain = emulator.createSipDomain(A, "rotate.sip.twilio.com");
    startOperator(Map.of(), teamA);
    create(mapping(teamA, "before", ip1, domain, null));
    awaitReady(teamA, "before");

    // Twilio side first (a new token only), then a wrong token in the Secret: refused, reported
    emulator.addAccount(A, KnownSecrets.ROTATED_AUTH_TOKEN);
    Secret wrong = update(secret(teamA, "twilio", A, KnownSecrets.WRONG_AUTH_TOKEN));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TwilioAccount now = get(TwilioAccount.class, teamA, "default");
              assertThat(now.getStatus().getCredentialsVersion())
                  .isEqualTo(wrong.getMetadata().getResourceVersion());
              ConditionAssert.assertCondition(
                  now, Conditions.READY, "False", Reasons.CREDENTIALS_INVALID);
            });
    create(mapping(teamA, "during", ip2, domain, null));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                ConditionAssert.assertCondition(
                    get(SourceIpMapping.class, teamA, "during"),
                    Conditions.READY,
                    "False",
                    Reasons.CREDENTIALS_INVALID));

    // the fix: the rotated token, no restart
    Secret rotated = update(secret(teamA, "twilio", A, KnownSecrets.ROTATED_AUTH_TOKEN));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TwilioAccount now = get(TwilioAccount.class, teamA, "default");
              assertThat(now.getStatus().getCredentialsVersion())
                  .isEqualTo(rotated.getMetadata().getResourceVersion());
              ConditionAssert.assertCondition(now, Conditions.READY, "True", Reasons.AVAILABLE);
            });
    int seen = requests.size();
    awaitReady(teamA, "during");
    create(mapping(teamA, "after", ip3, domain, null));
    awaitReady(teamA, "after");

    // once the account showed the rotated Secret, no request carried an old credential
    List<ProcessedRequest> since = requests.subList(seen, requests.size());
    assertThat(since).isNotEmpty().noneMatch(r -> r.status() == 401);
    assertThat(emulator.mappingCount(A)).isEqualTo(3);
  }

  @Test
  void anAccountInUseIsKeptWithAConditionNamingItsUsersUntilTheLastIsGone() {
    namespace(teamA, Map.of());
    create(secret(teamA, "twilio", A, KnownSecrets.AUTH_TOKEN));
    create(account(teamA, "default", "twilio"));
    String ip = emulator.createIpRecord(A, "203.0.113.41", 32, null);
    String domain = emulator.createSipDomain(A, "inuse.sip.twilio.com");
    startOperator(Map.of(), teamA);
    create(mapping(teamA, "user", ip, domain, null));
    awaitReady(teamA, "user");

    client.resources(TwilioAccount.class).inNamespace(teamA).withName("default").delete();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TwilioAccount held = get(TwilioAccount.class, teamA, "default");
              assertThat(held).isNotNull();
              ConditionAssert.assertCondition(held, Conditions.READY, "False", Reasons.DELETING);
              assertThat(held.getStatus().getConditions())
                  .anySatisfy(
                      c ->
                          assertThat(c.getMessage())
                              .contains("SourceIpMapping " + teamA + "/user"));
            });
    // the account still serves its user, whose deletion removes the mapping at Twilio
    client.resources(SourceIpMapping.class).inNamespace(teamA).withName("user").delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(get(SourceIpMapping.class, teamA, "user")).isNull();
              assertThat(get(TwilioAccount.class, teamA, "default")).isNull();
            });
    assertThat(emulator.mappingCount(A)).isZero();
  }

  @Test
  void withoutAccountRefTheNamespacesDefaultAccountServesElseTheOperatorsOwn() {
    namespace(teamA, Map.of());
    namespace(teamB, Map.of());
    create(secret(teamB, "creds", B, KnownSecrets.OTHER_AUTH_TOKEN));
    create(account(teamB, "default", "creds"));
    String ipA = emulator.createIpRecord(A, "203.0.113.51", 32, null);
    String domainA = emulator.createSipDomain(A, "env.sip.twilio.com");
    String ipB = emulator.createIpRecord(B, "198.51.100.51", 32, null);
    String domainB = emulator.createSipDomain(B, "default.sip.twilio.com");
    // the operator's own credentials are account A's
    startOperator(
        Map.of("TWILIO_ACCOUNT_SID", A, "TWILIO_AUTH_TOKEN", KnownSecrets.AUTH_TOKEN),
        teamA,
        teamB);

    create(mapping(teamA, "env", ipA, domainA, null));
    create(mapping(teamB, "ns-default", ipB, domainB, null));
    create(mapping(teamA, "missing", ipA, domainA, new AccountReference(null, "nope")));

    assertThat(awaitReady(teamA, "env").getStatus().getAccountSid()).isEqualTo(A);
    assertThat(awaitReady(teamB, "ns-default").getStatus().getAccountSid()).isEqualTo(B);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              SourceIpMapping missing = get(SourceIpMapping.class, teamA, "missing");
              ConditionAssert.assertCondition(
                  missing, Conditions.READY, "False", Reasons.REFERENCE_NOT_READY);
              ConditionAssert.assertCondition(
                  missing, Conditions.RECONCILING, "True", Reasons.REFERENCE_NOT_READY);
            });
    assertThat(emulator.mappingCount(A)).isEqualTo(1);
    assertThat(emulator.mappingCount(B)).isEqualTo(1);
  }

  @Test
  void anAccountWithoutItsLabelledSecretSaysSoAndItsResourcesGoOnOnceTheSecretIsThere() {
    namespace(teamA, Map.of());
    create(account(teamA, "default", "twilio"));
    String ip = emulator.createIpRecord(A, "203.0.113.61", 32, null);
    String domain = emulator.createSipDomain(A, "later.sip.twilio.com");
    startOperator(Map.of(), teamA);
    create(mapping(teamA, "waits", ip, domain, null));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TwilioAccount account = get(TwilioAccount.class, teamA, "default");
              ConditionAssert.assertCondition(
                  account, Conditions.READY, "False", Reasons.CREDENTIALS_INVALID);
              assertThat(ConditionAssert.message(account, Conditions.READY))
                  .isEqualTo(
                      "Secret "
                          + teamA
                          + "/twilio not found, or it lacks the label"
                          + " voice.byoc.dev/twilio-credentials: \"true\" (the operator reads no"
                          + " other Secret)");
              SourceIpMapping m = get(SourceIpMapping.class, teamA, "waits");
              ConditionAssert.assertCondition(
                  m, Conditions.READY, "False", Reasons.CREDENTIALS_INVALID);
              assertThat(ConditionAssert.message(m, Conditions.READY))
                  .contains("TwilioAccount " + teamA + "/default");
            });
    // an unlabelled Secret is not read at all
    Secret unlabelled = secret(teamA, "twilio", A, KnownSecrets.AUTH_TOKEN);
    unlabelled.getMetadata().setLabels(Map.of());
    create(unlabelled);
    update(secret(teamA, "twilio", A, KnownSecrets.AUTH_TOKEN)); // now labelled

    // connecting the account wakes its resources (well before their one-minute retry)
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                ConditionAssert.assertCondition(
                    get(SourceIpMapping.class, teamA, "waits"),
                    Conditions.READY,
                    "True",
                    Reasons.AVAILABLE));
    assertThat(requests).noneMatch(r -> r.status() == 401);
  }

  // ---- helpers ------------------------------------------------------------------------------

  void startOperator(Map<String, String> credentials, String... namespaces) {
    Map<String, String> env = new HashMap<>(credentials);
    env.put("SOURCEIP_NAMESPACES", String.join(",", namespaces));
    env.put("SOURCEIP_RESYNC_INTERVAL", "30s");
    env.put("SOURCEIP_OPERATOR_NAMESPACE", OPERATOR_NAMESPACE);
    env.put("TWILIO_BASE_URL", emulator.baseUrl());
    operator = SourceIpOperator.start(OperatorConfig.from(Settings.from(env)), client);
  }

  static void namespace(String name, Map<String, String> labels) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .createOr(c -> c.update());
  }

  static Secret secret(String namespace, String name, String accountSid, String token) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Map.of(CredentialsSecretRef.LABEL, "true"))
        .endMetadata()
        .withData(Map.of("accountSid", base64(accountSid), "authToken", base64(token)))
        .build();
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static TwilioAccount account(String namespace, String name, String secret) {
    TwilioAccount account = new TwilioAccount();
    account.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    TwilioAccountSpec spec = new TwilioAccountSpec();
    spec.setCredentialsSecretRef(new CredentialsSecretRef(secret));
    account.setSpec(spec);
    return account;
  }

  static SourceIpMapping mapping(
      String namespace, String name, String ip, String domain, AccountReference ref) {
    SourceIpMapping m = new SourceIpMapping();
    m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    SourceIpMappingSpec spec = new SourceIpMappingSpec(ip, domain);
    spec.setAccountRef(ref);
    m.setSpec(spec);
    return m;
  }

  static <T extends HasMetadata> T create(T object) {
    return client.resource(object).create();
  }

  static Secret update(Secret secret) {
    return client.resource(secret).update();
  }

  static <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  static SourceIpMapping awaitReady(String namespace, String name) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                ConditionAssert.assertCondition(
                    get(SourceIpMapping.class, namespace, name),
                    Conditions.READY,
                    "True",
                    Reasons.AVAILABLE));
    return get(SourceIpMapping.class, namespace, name);
  }

  static TwilioAccount awaitAccountReady(String namespace, String name) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                ConditionAssert.assertCondition(
                    get(TwilioAccount.class, namespace, name),
                    Conditions.READY,
                    "True",
                    Reasons.AVAILABLE));
    return get(TwilioAccount.class, namespace, name);
  }
}
