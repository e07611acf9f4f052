package dev.byoc.sourceip.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;

/**
 * fabric8's CRUD mock API server, plus an answer to SelfSubjectRulesReview as a real API server
 * gives it to the operator's service account: JOSDK checks its Lease permissions that way before
 * leader election, and the CRUD mock refuses the review (422, "metadata is required") where a real
 * server answers it. The rules are the Lease verbs the chart's and the manifests' Role grant.
 */
public class RulesReviewingDispatcher extends KubernetesCrudDispatcher {
  private static final String REVIEW =
      """
      {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","metadata":{},
       "spec":{"namespace":"%s"},
       "status":{"incomplete":false,"nonResourceRules":[],"resourceRules":[
         {"apiGroups":["coordination.k8s.io"],"resources":["leases"],
          "verbs":["get","create","update"]}]}}
      """;

  public RulesReviewingDispatcher() {
    super(List.of());
  }

  private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> writes =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Writes (anything but GET) by the client with this bearer token, Leases and reviews aside. */
  public int writesOtherThanLeasesBy(String token) {
    var count = writes.get(token);
    return count == null ? 0 : count.get();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String auth = request.getHeader("Authorization");
    if (!request.getMethod().equals("GET")
        && auth != null
        && !request.getPath().contains("/leases")
        && !request.getPath().contains("selfsubjectrulesreviews")) {
      writes
          .computeIfAbsent(
              auth.replaceFirst("^Bearer ", ""),
              k -> new java.util.concurrent.atomic.AtomicInteger())
          .incrementAndGet();
    }
    if (request.getMethod().equals("POST")
        && request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
      String body = request.getUtf8Body();
      String namespace = body.replaceAll("(?s).*\"namespace\"\\s*:\\s*\"([^\"]*)\".*", "$1");
      return new MockResponse()
          .setResponseCode(201)
          .setHeader("Content-Type", "application/json")
          .setBody(REVIEW.formatted(namespace.equals(body) ? "" : namespace));
    }
    return super.dispatch(request);
  }
}
