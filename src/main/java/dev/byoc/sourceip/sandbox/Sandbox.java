package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoc.sourceip.SourceIpOperator;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.config.OperatorConfig;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.config.TwilioCredentials;
import dev.byoc.sourceip.emulator.EmulatorAccount;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.health.ManagementServer;
import dev.byoc.sourceip.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The product on one machine: an embedded Kubernetes API, the Twilio emulator (or another
 * Twilio-compatible server), the operator, and the manifests of a directory applied to them.
 */
public final class Sandbox implements AutoCloseable {
  /** How the sandbox is put together; {@code twilio} null means "start an emulator here". */
  public record Options(
      Path applyDir,
      TwilioConfig twilio,
      int kubePort,
      int twilioPort,
      int managementPort,
      Duration resyncInterval) {}

  private final EmbeddedKubernetes kubernetes;
  private final TwilioEmulator emulator;
  private final TwilioConfig twilio;
  private final SourceIpOperator operator;
  private final ManagementServer management;
  private final Set<String> applied = new HashSet<>();

  private Sandbox(
      EmbeddedKubernetes kubernetes,
      TwilioEmulator emulator,
      TwilioConfig twilio,
      SourceIpOperator operator,
      ManagementServer management) {
    this.kubernetes = kubernetes;
    this.emulator = emulator;
    this.twilio = twilio;
    this.operator = operator;
    this.management = management;
  }

  /** Starts every part; if one fails, the parts already started are stopped again. */
  public static Sandbox start(Options options) {
    EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start(options.kubePort());
    TwilioEmulator emulator = null;
    try {
      TwilioConfig twilio = options.twilio();
      if (twilio == null) {
        emulator = TwilioEmulator.builder().port(options.twilioPort()).build().start();
        EmulatorAccount account = emulator.accounts().get(0);
        twilio =
            TwilioConfig.builder(account.sid(), account.authToken(), emulator.baseUrl()).build();
      }
      SourceIpOperator operator =
          SourceIpOperator.start(
              new OperatorConfig(Set.of(), options.resyncInterval(), 20, twilio),
              kubernetes.client(),
              new OperatorMetrics());
      ManagementServer management;
      try {
        management =
            ManagementServer.start(
                InetAddress.getLoopbackAddress(),
                options.managementPort(),
                operator,
                operator.metrics()::scrape);
      } catch (RuntimeException e) {
        operator.close();
        throw e;
      }
      if (emulator != null) {
        // what kubectl applies readies the emulator as the directory's manifests do
        kubernetes.admission(new EmulatorAdmission(emulator, twilio.accountSid()));
      }
      return new Sandbox(kubernetes, emulator, twilio, operator, management);
    } catch (RuntimeException e) {
      if (emulator != null) {
        emulator.close();
      }
      kubernetes.close();
      throw e;
    }
  }

  public EmbeddedKubernetes kubernetes() {
    return kubernetes;
  }

  /** The emulator this sandbox started, or null when it talks to another Twilio server. */
  public TwilioEmulator emulator() {
    return emulator;
  }

  public TwilioConfig twilio() {
    return twilio;
  }

  /** The management endpoint (health, readiness, metrics) on a loopback port. */
  public ManagementServer management() {
    return management;
  }

  /**
   * Seeds what the manifests reference (in this emulator, or through another emulator's admin API),
   * then applies them, namespaces first, then IpRecords, then SourceIpMappings (the operator copes
   * with any order; this one spares mappings a wait for IpRecords not yet applied); resources of
   * either kind applied earlier and no longer in the directory are deleted. Returns a note for the
   * user when seeding was not possible. Objects the API refuses (its schema validation) are
   * skipped, the rest applied, then an IllegalArgumentException carries the API's messages.
   */
  public String sync(Path dir) {
    KubernetesClient client = kubernetes.client();
    List<HasMetadata> items = new ArrayList<>(Manifests.load(client, dir));
    items.sort(Comparator.comparingInt(Sandbox::applyRank));
    List<SourceIpMapping> mappings = new ArrayList<>();
    List<IpRecord> ipRecords = new ArrayList<>();
    ManifestAccounts accounts = new ManifestAccounts(items);
    if (emulator != null) {
      // the emulator holds every account the manifests have credentials for
      accounts
          .credentials()
          .values()
          .forEach(c -> emulator.addAccount(c.accountSid(), c.password()));
    }
    String note = null;
    for (Map.Entry<String, List<Seeder.Seed>> plan :
        Seeder.planByAccount(items, accounts, twilio.accountSid()).entrySet()) {
      String seeded =
          seed(plan.getKey(), accounts.credentials().get(plan.getKey()), plan.getValue());
      note = note == null ? seeded : note;
    }
    Set<String> now = new HashSet<>();
    List<String> refused = new ArrayList<>();
    for (HasMetadata item : items) {
      boolean ours = Manifests.KINDS.stream().anyMatch(k -> k.isInstance(item));
      if (item.getMetadata().getNamespace() == null && ours) {
        item.getMetadata().setNamespace("default");
      }
      String namespace = item.getMetadata().getNamespace();
      if (namespace != null && client.namespaces().withName(namespace).get() == null) {
        client
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .create();
      }
      // a merge patch keeps the status the operator wrote; an update would replace it
      try {
        client.resource(item).createOr(op -> op.patch(PatchContext.of(PatchType.JSON_MERGE)));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 400 && e.getCode() != 422) {
          throw e;
        }
        // the embedded API refused it as a real one would (schema): report it, apply the rest
        refused.add(
            e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage());
        continue;
      }
      if (ours) {
        now.add(item.getKind() + "/" + namespace + "/" + item.getMetadata().getName());
      }
    }
    for (String gone : applied) {
      if (!now.contains(gone)) {
        String[] key = gone.split("/", 3);
        Manifests.KINDS.stream()
            .filter(k -> HasMetadata.getKind(k).equals(key[0]))
            .forEach(k -> client.resources(k).inNamespace(key[1]).withName(key[2]).delete());
      }
    }
    applied.clear();
    applied.addAll(now);
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", refused));
    }
    return note;
  }

  /**
   * Namespaces first, then Secrets (an account's credentials before the account), then the
   * operator's kinds in their order, then anything else.
   */
  private static int applyRank(HasMetadata item) {
    if (item instanceof Namespace) {
      return 0;
    }
    if (item instanceof Secret) {
      return 1;
    }
    for (int i = 0; i < Manifests.KINDS.size(); i++) {
      if (Manifests.KINDS.get(i).isInstance(item)) {
        return i + 2;
      }
    }
    return Manifests.KINDS.size() + 2;
  }

  /**
   * Seeds one account; {@code credentials} (null for the sandbox's own account) add the account to
   * another emulator first, as this sandbox's own emulator got them from the Secrets.
   */
  private String seed(String accountSid, TwilioCredentials credentials, List<Seeder.Seed> seeds) {
    if (seeds.isEmpty()) {
      return null;
    }
    if (emulator != null) {
      Seeder.seed(emulator, accountSid, seeds);
      return null;
    }
    HttpUrl baseUrl = twilio.endpoints().baseUrl();
    if (baseUrl == null) {
      return "Twilio is the real one: the manifests must name IP records and SIP domains of your account";
    }
    String base = baseUrl.toString().replaceAll("/+$", "");
    OkHttpClient http = new OkHttpClient();
    try (Response health =
        http.newCall(new Request.Builder().url(base + "/_emulator/health").build()).execute()) {
      if (!health.isSuccessful()) {
        return base + " is not this project's emulator: nothing was seeded";
      }
      if (credentials != null && !accountSid.equals(twilio.accountSid())) {
        String account =
            new ObjectMapper()
                .writeValueAsString(Map.of("sid", accountSid, "token", credentials.password()));
        Request add =
            new Request.Builder()
                .url(base + "/_emulator/accounts")
                .post(RequestBody.create(account, MediaType.get("application/json")))
                .build();
        try (Response answer = http.newCall(add).execute()) {
          if (!answer.isSuccessful()) {
            return "the emulator at " + base + " refused account " + accountSid;
          }
        }
      }
      String body = new ObjectMapper().writeValueAsString(Seeder.adminRequest(accountSid, seeds));
      Request seed =
          new Request.Builder()
              .url(base + "/_emulator/seed")
              .post(RequestBody.create(body, MediaType.get("application/json")))
              .build();
      try (Response answer = http.newCall(seed).execute()) {
        if (!answer.isSuccessful()) {
          String detail = answer.body() == null ? "" : answer.body().string();
          throw new IllegalStateException("the emulator refused the seed data: " + detail);
        }
      }
      return null;
    } catch (IOException e) {
      return "could not reach " + base + " to seed it: " + e.getMessage();
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  /**
   * Every resource of every kind the operator serves (each CRD the embedded API installs), in every
   * namespace, however it was applied: the live table's rows.
   */
  public List<HasMetadata> resources() {
    List<HasMetadata> all = new ArrayList<>();
    for (ApiKinds.Kind kind : EmbeddedKubernetes.kinds().custom()) {
      all.addAll(
          kubernetes
              .client()
              .genericKubernetesResources(kind.apiVersion(), kind.kind())
              .inAnyNamespace()
              .list()
              .getItems());
    }
    return all;
  }

  /** Every SourceIpMapping, in every namespace. */
  public List<SourceIpMapping> mappings() {
    return kubernetes.client().resources(SourceIpMapping.class).inAnyNamespace().list().getItems();
  }

  /** Every IpRecord, in every namespace. */
  public List<IpRecord> ipRecords() {
    return kubernetes.client().resources(IpRecord.class).inAnyNamespace().list().getItems();
  }

  @Override
  public void close() {
    management.close();
    operator.close();
    if (emulator != null) {
      emulator.close();
    }
    kubernetes.close();
  }
}
