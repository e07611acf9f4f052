package dev.byoc.sourceip.sandbox;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRUD mock server, plus the discovery documents kubectl reads before it gets, applies or
 * deletes anything (the mock answers CRUD requests but not discovery).
 */
final class Discovery extends KubernetesCrudDispatcher {
  private static final List<String> VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");

  private final Map<String, String> documents = new HashMap<>();

  Discovery() {
    KubernetesSerialization json = new KubernetesSerialization();
    serve(json, this.documents);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    int query = path.indexOf('?');
    String document = documents.get(query < 0 ? path : path.substring(0, query));
    if (document != null && "GET".equals(request.getMethod())) {
      return new MockResponse()
          .setResponseCode(200)
          .addHeader("Content-Type", "application/json")
          .setBody(document);
    }
    return super.dispatch(request);
  }

  private static void serve(KubernetesSerialization json, Map<String, String> documents) {
    String groupVersion = SourceIpMapping.GROUP + "/" + SourceIpMapping.VERSION;
    documents.put("/api", json.asJson(new APIVersionsBuilder().withVersions("v1").build()));
    documents.put(
        "/apis",
        json.asJson(
            new APIGroupListBuilder()
                .addToGroups(
                    new APIGroupBuilder()
                        .withName(SourceIpMapping.GROUP)
                        .addToVersions(
                            new GroupVersionForDiscoveryBuilder()
                                .withGroupVersion(groupVersion)
                                .withVersion(SourceIpMapping.VERSION)
                                .build())
                        .withNewPreferredVersion()
                        .withGroupVersion(groupVersion)
                        .withVersion(SourceIpMapping.VERSION)
                        .endPreferredVersion()
                        .build())
                .build()));
    documents.put(
        "/apis/" + groupVersion,
        json.asJson(
            new APIResourceListBuilder()
                .withGroupVersion(groupVersion)
                .addToResources(
                    resource("sourceipmappings", "sourceipmapping", "SourceIpMapping", true)
                        .toBuilder()
                        .withShortNames("sipm", "sim")
                        .withCategories("twilio", "byoc")
                        .build(),
                    resource("sourceipmappings/status", "", "SourceIpMapping", true))
                .build()));
    documents.put(
        "/api/v1",
        json.asJson(
            new APIResourceListBuilder()
                .withGroupVersion("v1")
                .addToResources(
                    resource("namespaces", "namespace", "Namespace", false),
                    resource("events", "event", "Event", true))
                .build()));
  }

  private static APIResource resource(
      String name, String singular, String kind, boolean namespaced) {
    return new APIResourceBuilder()
        .withName(name)
        .withSingularName(singular)
        .withKind(kind)
        .withNamespaced(namespaced)
        .withVerbs(VERBS)
        .build();
  }
}
