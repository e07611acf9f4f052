package dev.byoc.sourceip.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.byoc.sourceip.SourceIpOperator;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.config.OperatorConfig;
import dev.byoc.sourceip.config.TwilioConfig;
import dev.byoc.sourceip.emulator.EmulatorAccount;
import dev.byoc.sourceip.emulator.TwilioEmulator;
import dev.byoc.sourceip.health.ManagementServer;
import dev.byoc.sourceip.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
   * then applies them; resources applied earlier and no longer in the directory are deleted.
   * Returns a note for the user when seeding was not possible.
   */
  public String sync(Path dir) {
    KubernetesClient client = kubernetes.client();
    List<HasMetadata> items = Manifests.load(client, dir);
    List<SourceIpMapping> mappings = new ArrayList<>();
    items.stream()
        .filter(SourceIpMapping.class::isInstance)
        .forEach(i -> mappings.add((SourceIpMapping) i));
    String note = seed(Seeder.plan(mappings));
    Set<String> now = new HashSet<>();
    for (HasMetadata item : items) {
      if (item.getMetadata().getNamespace() == null && item instanceof SourceIpMapping) {
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
      client.resource(item).createOr(op -> op.patch(PatchContext.of(PatchType.JSON_MERGE)));
      if (item instanceof SourceIpMapping) {
        now.add(namespace + "/" + item.getMetadata().getName());
      }
    }
    for (String gone : applied) {
      if (!now.contains(gone)) {
        String[] key = gone.split("/", 2);
        client.resources(SourceIpMapping.class).inNamespace(key[0]).withName(key[1]).delete();
      }
    }
    applied.clear();
    applied.addAll(now);
    return note;
  }

  private String seed(List<Seeder.Seed> seeds) {
    if (seeds.isEmpty()) {
      return null;
    }
    if (emulator != null) {
      Seeder.seed(emulator, twilio.accountSid(), seeds);
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
      String body =
          new ObjectMapper().writeValueAsString(Seeder.adminRequest(twilio.accountSid(), seeds));
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

  /** Every SourceIpMapping, in every namespace. */
  public List<SourceIpMapping> resources() {
    return kubernetes.client().resources(SourceIpMapping.class).inAnyNamespace().list().getItems();
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
