package dev.byoc.sourceip.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The CRDs the build generated, installed into a test's API server (or updated if there). */
public final class Crd {
  static final String RESOURCE = "/META-INF/fabric8/sourceipmappings.voice.byoc.dev-v1.yml";
  static final String IP_RECORD_RESOURCE = "/META-INF/fabric8/iprecords.voice.byoc.dev-v1.yml";
  static final List<String> ACCOUNT_RESOURCES =
      List.of(
          "/META-INF/fabric8/twilioaccounts.voice.byoc.dev-v1.yml",
          "/META-INF/fabric8/clustertwilioaccounts.voice.byoc.dev-v1.yml");

  private Crd() {}

  /** Installs every kind: SourceIpMapping, IpRecord, TwilioAccount, ClusterTwilioAccount. */
  public static void install(KubernetesClient client) {
    install(client, RESOURCE);
    install(client, IP_RECORD_RESOURCE);
    ACCOUNT_RESOURCES.forEach(resource -> install(client, resource));
  }

  private static void install(KubernetesClient client, String resource) {
    try (InputStream in = Crd.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no generated CRD at " + resource + ": run mvn compile");
      }
      CustomResourceDefinition definition =
          client.apiextensions().v1().customResourceDefinitions().load(in).item();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(definition)
          .createOr(c -> c.update());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
