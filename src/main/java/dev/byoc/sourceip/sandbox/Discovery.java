package dev.byoc.sourceip.sandbox;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionNames;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRUD mock server, plus the discovery documents kubectl reads before it gets, applies or
 * deletes anything (the mock answers CRUD requests but not discovery), built from the CRDs the
 * sandbox installs so that kubectl knows each kind by plural, singular, short name and category.
 */
final class Discovery extends KubernetesCrudDispatcher {
  private static final List<String> VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");

  private final Map<String, String> documents = new HashMap<>();

  Discovery(List<CustomResourceDefinition> crds) {
    serve(new KubernetesSerialization(), crds, this.documents);
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

  private static void serve(
      KubernetesSerialization json,
      List<CustomResourceDefinition> crds,
      Map<String, String> documents) {
    // group/version -> its resources, in the order the CRDs came
    Map<String, List<APIResource>> byGroupVersion = new LinkedHashMap<>();
    Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
    for (CustomResourceDefinition crd : crds) {
      String group = crd.getSpec().getGroup();
      CustomResourceDefinitionNames names = crd.getSpec().getNames();
      boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        if (!Boolean.TRUE.equals(version.getServed())) {
          continue;
        }
        List<String> versions = versionsByGroup.computeIfAbsent(group, g -> new ArrayList<>());
        if (!versions.contains(version.getName())) {
          versions.add(version.getName());
        }
        List<APIResource> resources =
            byGroupVersion.computeIfAbsent(group + "/" + version.getName(), k -> new ArrayList<>());
        resources.add(
            resource(names.getPlural(), names.getSingular(), names.getKind(), namespaced)
                .toBuilder()
                .withShortNames(names.getShortNames())
                .withCategories(names.getCategories())
                .build());
        if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
          resources.add(resource(names.getPlural() + "/status", "", names.getKind(), namespaced));
        }
      }
    }
    List<APIGroup> groups = new ArrayList<>();
    versionsByGroup.forEach(
        (group, versions) -> {
          APIGroupBuilder builder = new APIGroupBuilder().withName(group);
          for (String version : versions) {
            builder.addToVersions(
                new GroupVersionForDiscoveryBuilder()
                    .withGroupVersion(group + "/" + version)
                    .withVersion(version)
                    .build());
          }
          String preferred = versions.get(0);
          groups.add(
              builder
                  .withNewPreferredVersion()
                  .withGroupVersion(group + "/" + preferred)
                  .withVersion(preferred)
                  .endPreferredVersion()
                  .build());
        });
    documents.put("/api", json.asJson(new APIVersionsBuilder().withVersions("v1").build()));
    documents.put("/apis", json.asJson(new APIGroupListBuilder().withGroups(groups).build()));
    byGroupVersion.forEach(
        (groupVersion, resources) ->
            documents.put(
                "/apis/" + groupVersion,
                json.asJson(
                    new APIResourceListBuilder()
                        .withGroupVersion(groupVersion)
                        .withResources(resources)
                        .build())));
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
