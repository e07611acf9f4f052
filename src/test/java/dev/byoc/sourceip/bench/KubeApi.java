package dev.byoc.sourceip.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.byoc.sourceip.testing.MockApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * fabric8's CRUD mock server in the benchmark JVM, with the CRD installed and every request counted
 * by client (the bearer token tells the operator, the floor controller and the benchmark apart),
 * method, kind of object and status code.
 */
final class KubeApi implements AutoCloseable {

  /** What a request was about. */
  enum Kind {
    MAPPING,
    MAPPING_STATUS,
    IP_RECORD,
    IP_RECORD_STATUS,
    EVENT,
    WATCH,
    OTHER
  }

  record Key(String client, String method, Kind kind, int status) {}

  private final Counting dispatcher = new Counting();
  private final MockApiServer server;

  private KubeApi() {
    server = MockApiServer.start(dispatcher, "bench");
  }

  static KubeApi start() {
    return new KubeApi();
  }

  String url() {
    return server.url();
  }

  /** A client that identifies itself with {@code token}. */
  KubernetesClient client(String token) {
    return server.client(token);
  }

  /** A kubeconfig for a client that identifies itself with {@code token}. */
  Path writeKubeconfig(Path file, String token) throws IOException {
    return server.writeKubeconfig(file, token);
  }

  void resetCounts() {
    dispatcher.counts.clear();
  }

  /** Requests of {@code client} matching method (null = any) and kind (null = any). */
  long count(String client, String method, Kind kind) {
    return dispatcher.counts.entrySet().stream()
        .filter(e -> e.getKey().client().equals(client))
        .filter(e -> method == null || e.getKey().method().equals(method))
        .filter(e -> kind == null || e.getKey().kind() == kind)
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  /** Writes (POST, PUT, PATCH, DELETE) of {@code client} to objects of {@code kind}. */
  long writes(String client, Kind kind) {
    return dispatcher.counts.entrySet().stream()
        .filter(e -> e.getKey().client().equals(client))
        .filter(e -> kind == null || e.getKey().kind() == kind)
        .filter(e -> e.getKey().kind() != Kind.WATCH)
        .filter(e -> !e.getKey().method().equals("GET"))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  /** Requests of {@code client} other than watches, any method. */
  long requests(String client) {
    return dispatcher.counts.entrySet().stream()
        .filter(e -> e.getKey().client().equals(client) && e.getKey().kind() != Kind.WATCH)
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  /** {"PATCH sourceipmapping/status 200": n, ...} for one client. */
  ObjectNode countsJson(String client) {
    Map<String, Long> sorted = new TreeMap<>();
    dispatcher.counts.forEach(
        (k, v) -> {
          if (k.client().equals(client)) {
            sorted.merge(
                k.method() + " " + k.kind().name().toLowerCase() + " " + k.status(),
                v.sum(),
                Long::sum);
          }
        });
    ObjectNode node = Report.JSON.createObjectNode();
    sorted.forEach(node::put);
    return node;
  }

  /** Objects the mock server holds (resources, Events, the CRD, namespaces). */
  int storedObjects() {
    return dispatcher.getMap().size();
  }

  /** Nanos (System.nanoTime) of the last non-watch request of {@code client}; 0 if none. */
  long lastRequestNanos(String client) {
    AtomicLong last = dispatcher.last.get(client);
    return last == null ? 0 : last.get();
  }

  @Override
  public void close() {
    server.close();
  }

  private static final class Counting extends KubernetesCrudDispatcher {
    final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> last = new ConcurrentHashMap<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      MockResponse response = super.dispatch(request);
      String auth = request.getHeader("Authorization");
      String client = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "anonymous";
      Kind kind = kind(request.getPath());
      counts
          .computeIfAbsent(
              new Key(client, request.getMethod(), kind, response.code()), k -> new LongAdder())
          .increment();
      if (kind != Kind.WATCH) {
        last.computeIfAbsent(client, k -> new AtomicLong()).set(System.nanoTime());
      }
      return response;
    }

    static Kind kind(String path) {
      int q = path.indexOf('?');
      String query = q < 0 ? "" : path.substring(q + 1);
      String p = q < 0 ? path : path.substring(0, q);
      if (query.contains("watch=true")) {
        return Kind.WATCH;
      }
      if (p.contains("/sourceipmappings")) {
        return p.endsWith("/status") ? Kind.MAPPING_STATUS : Kind.MAPPING;
      }
      if (p.contains("/iprecords")) {
        return p.endsWith("/status") ? Kind.IP_RECORD_STATUS : Kind.IP_RECORD;
      }
      if (p.contains("/events")) {
        return Kind.EVENT;
      }
      return Kind.OTHER;
    }
  }
}
