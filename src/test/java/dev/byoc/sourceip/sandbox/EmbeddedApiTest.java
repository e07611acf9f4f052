package dev.byoc.sourceip.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded API serves any CRD it is given the same way, a cluster-scoped one too (no namespace
 * in its paths): validation, tables, field selectors, watches, OpenAPI.
 */
class EmbeddedApiTest {
  private static final String WIDGETS = "/apis/test.byoc.dev/v1/clusterwidgets";
  private static final MediaType JSON = MediaType.get("application/json");

  private static EmbeddedKubernetes kubernetes;
  private static final OkHttpClient HTTP = new OkHttpClient();

  @BeforeAll
  static void start() {
    CustomResourceDefinition widgets =
        new KubernetesSerialization()
            .unmarshal(
                """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: clusterwidgets.test.byoc.dev}
                spec:
                  group: test.byoc.dev
                  scope: Cluster
                  names: {kind: ClusterWidget, plural: clusterwidgets, singular: clusterwidget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    subresources: {status: {}}
                    additionalPrinterColumns:
                    - {name: SIZE, type: integer, jsonPath: .spec.size}
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            required: [size]
                            properties:
                              size: {type: integer, minimum: 1, maximum: 5}
                              colour: {type: string, enum: [red, blue], default: red}
                """,
                CustomResourceDefinition.class);
    List<CustomResourceDefinition> crds = new java.util.ArrayList<>(EmbeddedKubernetes.crds());
    crds.add(widgets);
    kubernetes = EmbeddedKubernetes.start(0, crds);
  }

  @AfterAll
  static void stop() {
    kubernetes.close();
  }

  private static String widget(String name, int size) {
    return "{\"apiVersion\":\"test.byoc.dev/v1\",\"kind\":\"ClusterWidget\",\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":{\"size\":"
        + size
        + "}}";
  }

  @Test
  void aClusterScopedKindIsValidatedDefaultedAndListedAsATable() throws IOException {
    Answer created = send("POST", WIDGETS, widget("w1", 3), "application/json");
    Answer refused = send("POST", WIDGETS, widget("w2", 9), "application/json");

    assertThat(created.code()).isEqualTo(201);
    assertThat(refused.code()).isEqualTo(422);
    assertThat(refused.json().path("message").asText())
        .isEqualTo(
            "ClusterWidget.test.byoc.dev \"w2\" is invalid: spec.size: Invalid value: 9:"
                + " spec.size in body should be less than or equal to 5");
    JsonNode stored = get(WIDGETS + "/w1", "application/json").json();
    assertThat(stored.path("spec").path("colour").asText()).isEqualTo("red");

    JsonNode table =
        get(
                WIDGETS + "?fieldSelector=metadata.name%3Dw1",
                "application/json;as=Table;v=v1;g=meta.k8s.io")
            .json();
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly("Name", "SIZE", "Age");
    assertThat(table.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("w1");
    assertThat(table.path("rows").get(0).path("cells").get(1).asInt()).isEqualTo(3);
  }

  @Test
  void aPatchIsValidatedOnTheObjectItMakes() throws IOException {
    send("POST", WIDGETS, widget("w3", 2), "application/json");

    Answer bad =
        send(
            "PATCH",
            WIDGETS + "/w3",
            "{\"spec\":{\"colour\":\"green\"}}",
            "application/merge-patch+json");
    Answer good =
        send("PATCH", WIDGETS + "/w3", "{\"spec\":{\"size\":4}}", "application/merge-patch+json");
    Answer removesRequired =
        send(
            "PATCH",
            WIDGETS + "/w3",
            "[{\"op\":\"remove\",\"path\":\"/spec/size\"}]",
            "application/json-patch+json");

    assertThat(bad.code()).isEqualTo(422);
    assertThat(bad.json().path("details").path("causes").get(0).path("message").asText())
        .isEqualTo("Unsupported value: \"green\": supported values: \"red\", \"blue\"");
    assertThat(good.code()).isLessThan(300);
    assertThat(removesRequired.code()).isEqualTo(422);
    assertThat(removesRequired.json().path("message").asText())
        .endsWith("spec.size: Required value");
    assertThat(get(WIDGETS + "/w3", "application/json").json().path("spec").path("size").asInt())
        .isEqualTo(4);
  }

  @Test
  void listsAndWatchesTakeFieldSelectorsAndWatchesAreLongPolls() throws IOException {
    send("POST", WIDGETS, widget("w4", 1), "application/json");
    send("POST", WIDGETS, widget("w5", 1), "application/json");

    JsonNode list = get(WIDGETS + "?fieldSelector=metadata.name%3Dw4", "application/json").json();
    assertThat(list.path("kind").asText()).isEqualTo("ClusterWidgetList");
    assertThat(list.path("items").findValuesAsText("name")).containsExactly("w4");
    assertThat(get(WIDGETS + "?fieldSelector=spec.size%3D1", "application/json").code())
        .isEqualTo(400);

    String rv = list.path("metadata").path("resourceVersion").asText();
    send("PATCH", WIDGETS + "/w5", "{\"spec\":{\"size\":2}}", "application/merge-patch+json");
    send("PATCH", WIDGETS + "/w4", "{\"spec\":{\"size\":2}}", "application/merge-patch+json");
    String watch =
        WIDGETS
            + "?watch=true&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dw4&resourceVersion=";
    Answer changed = get(watch + rv, "application/json");
    assertThat(changed.body().lines().toList())
        .singleElement()
        .satisfies(e -> assertThat(e).startsWith("{\"type\":\"MODIFIED\"").contains("\"w4\""));

    String latest =
        Discovery.readTree(changed.body())
            .path("object")
            .path("metadata")
            .path("resourceVersion")
            .asText();
    long start = System.nanoTime();
    Answer quiet = get(watch + latest, "application/json");
    assertThat(System.nanoTime() - start).isGreaterThan(1_000_000_000L);
    assertThat(quiet.body()).startsWith("{\"type\":\"BOOKMARK\"");

    send("DELETE", WIDGETS + "/w4", null, "application/json");
    Answer deleted = get(watch + latest, "application/json");
    assertThat(deleted.body()).startsWith("{\"type\":\"DELETED\"");
  }

  @Test
  void aServerSideDryRunValidatesAndAnswersButStoresAndDeletesNothing() throws IOException {
    Answer tried = send("POST", WIDGETS + "?dryRun=All", widget("w6", 2), "application/json");
    Answer invalid = send("POST", WIDGETS + "?dryRun=All", widget("w6", 7), "application/json");

    assertThat(tried.code()).isEqualTo(201);
    assertThat(tried.json().path("spec").path("colour").asText()).isEqualTo("red");
    assertThat(invalid.code()).isEqualTo(422);
    assertThat(get(WIDGETS + "/w6", "application/json").code()).isEqualTo(404);

    send("POST", WIDGETS, widget("w7", 2), "application/json");
    Answer patched =
        send(
            "PATCH",
            WIDGETS + "/w7?dryRun=All",
            "{\"spec\":{\"size\":5}}",
            "application/merge-patch+json");
    Answer deleted =
        send(
            "DELETE",
            WIDGETS + "/w7",
            "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"dryRun\":[\"All\"]}",
            "application/json");

    assertThat(patched.json().path("spec").path("size").asInt()).isEqualTo(5);
    assertThat(deleted.code()).isEqualTo(200);
    JsonNode stored = get(WIDGETS + "/w7", "application/json").json();
    assertThat(stored.path("spec").path("size").asInt()).isEqualTo(2);
  }

  @Test
  void anObjectIsCreatedOnlyInANamespaceThatExists() throws IOException {
    String mapping =
        "{\"apiVersion\":\"voice.byoc.dev/v1alpha1\",\"kind\":\"SourceIpMapping\","
            + "\"metadata\":{\"name\":\"m\"},\"spec\":{\"ipRecordRef\":{\"name\":\"r\"},"
            + "\"sipDomainName\":\"acme.sip.twilio.com\"}}";
    String path = "/apis/voice.byoc.dev/v1alpha1/namespaces/%s/sourceipmappings";

    Answer nowhere = send("POST", path.formatted("nowhere"), mapping, "application/json");
    Answer inDefault = send("POST", path.formatted("default"), mapping, "application/json");

    assertThat(nowhere.code()).isEqualTo(404);
    assertThat(nowhere.json().path("message").asText())
        .isEqualTo("namespaces \"nowhere\" not found");
    assertThat(inDefault.code()).isEqualTo(201);
  }

  @Test
  void itsOpenApiPathsHaveNoNamespaceAndTakeFieldValidation() throws IOException {
    JsonNode index = get("/openapi/v3", "application/json").json();
    String url =
        index.path("paths").path("apis/test.byoc.dev/v1").path("serverRelativeURL").asText();
    JsonNode doc = get(url, "application/json").json();

    JsonNode patch = doc.path("paths").path(WIDGETS + "/{name}").path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("ClusterWidget");
    assertThat(patch.path("parameters").findValuesAsText("name"))
        .contains("name", "fieldValidation")
        .doesNotContain("namespace");
    assertThat(
            doc.path("components")
                .path("schemas")
                .path("dev.byoc.test.v1.ClusterWidget")
                .path("properties")
                .path("spec")
                .path("properties")
                .has("size"))
        .isTrue();
    assertThat(get("/apis/test.byoc.dev/v1", "application/json").body())
        .contains("\"clusterwidgets\"")
        .contains("\"namespaced\":false");
  }

  record Answer(int code, String body) {
    JsonNode json() {
      return Discovery.readTree(body);
    }
  }

  private static Answer get(String path, String accept) throws IOException {
    Request request =
        new Request.Builder().url(kubernetes.url() + path).header("Accept", accept).build();
    try (Response r = HTTP.newCall(request).execute()) {
      return new Answer(r.code(), r.body().string());
    }
  }

  private static Answer send(String method, String path, String body, String contentType)
      throws IOException {
    Request request =
        new Request.Builder()
            .url(kubernetes.url() + path)
            .method(
                method, body == null ? null : RequestBody.create(body, MediaType.get(contentType)))
            .build();
    try (Response r = HTTP.newCall(request).execute()) {
      return new Answer(r.code(), r.body().string());
    }
  }
}
