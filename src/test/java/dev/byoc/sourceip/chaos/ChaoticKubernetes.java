package dev.byoc.sourceip.chaos;

import dev.byoc.sourceip.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * fabric8's CRUD mock API server with the faults a real API server shows under load, aimed at the
 * operator's requests only (told apart by their bearer token): 409 Conflict on writes to
 * SourceIpMappings, and watches dropped at will, each followed by a 410 Gone on the re-watch so the
 * client must list again (as a real server answers a watch from a compacted resourceVersion).
 */
final class ChaoticKubernetes implements AutoCloseable {
  /** Prefix of the operator's tokens: each incarnation has its own, e.g. chaos-operator-3. */
  static final String OPERATOR_TOKEN = "chaos-operator";

  static final String DRIVER_TOKEN = "chaos-driver";
  private static final String MAPPINGS = "/apis/voice.byoc.dev/";

  private final Random random;
  private final Chaos dispatcher = new Chaos();
  private final MockApiServer server;
  private final KubernetesClient driver;
  private volatile double conflictProbability;
  private final Set<WebSocket> operatorWatches = ConcurrentHashMap.newKeySet();

  /** 410s owed, by the token whose watch was dropped: a new incarnation owes nothing. */
  private final Map<String, AtomicInteger> gonesOwed = new ConcurrentHashMap<>();

  private final AtomicLong conflicts = new AtomicLong();
  private final AtomicLong watchesDropped = new AtomicLong();
  private final AtomicLong gones = new AtomicLong();
  private final AtomicLong operatorRequests = new AtomicLong();

  ChaoticKubernetes(long seed, String namespace) {
    this.random = new Random(seed);
    server = MockApiServer.start(dispatcher, DRIVER_TOKEN);
    driver = server.client(DRIVER_TOKEN);
    driver
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  /** The client the test drives resources with; never faulted. */
  KubernetesClient driver() {
    return driver;
  }

  /** Chance that a write of the operator to a SourceIpMapping (or its status) answers 409. */
  void conflictProbability(double probability) {
    this.conflictProbability = probability;
  }

  /** Closes every watch the operator holds; each re-watch is then answered 410 Gone once. */
  int dropWatches() {
    List<WebSocket> open = List.copyOf(operatorWatches);
    for (WebSocket socket : open) {
      if (operatorWatches.remove(socket)) {
        gonesOwed
            .computeIfAbsent(token(socket.request()), k -> new AtomicInteger())
            .incrementAndGet();
        socket.close(1000, "dropped by the chaos suite");
        watchesDropped.incrementAndGet();
      }
    }
    return open.size();
  }

  long conflicts() {
    return conflicts.get();
  }

  long watchesDropped() {
    return watchesDropped.get();
  }

  long gones() {
    return gones.get();
  }

  long operatorRequests() {
    return operatorRequests.get();
  }

  /** A kubeconfig that identifies its user as incarnation {@code incarnation} of the operator. */
  Path writeOperatorKubeconfig(Path file, int incarnation) throws IOException {
    return server.writeKubeconfig(file, OPERATOR_TOKEN + "-" + incarnation);
  }

  private static String token(RecordedRequest request) {
    String auth = request.getHeader("Authorization");
    return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
  }

  @Override
  public void close() {
    driver.close();
    server.close();
  }

  private final class Chaos extends KubernetesCrudDispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      String token = token(request);
      boolean operator = token.startsWith(OPERATOR_TOKEN);
      boolean mappings = path.startsWith(MAPPINGS) && path.contains("/sourceipmappings");
      boolean watch = path.contains("watch=true");
      if (operator) {
        operatorRequests.incrementAndGet();
      }
      if (operator && mappings) {
        AtomicInteger owed = gonesOwed.get(token);
        if (watch && owed != null && owed.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          gones.incrementAndGet();
          return status(410, "Gone", "too old resource version (dropped by the chaos suite)");
        }
        String method = request.getMethod();
        if ((method.equals("PATCH") || method.equals("PUT")) && conflict()) {
          conflicts.incrementAndGet();
          return status(
              409,
              "Conflict",
              "Operation cannot be fulfilled on sourceipmappings.voice.byoc.dev: the object has"
                  + " been modified; please apply your changes to the latest version and try"
                  + " again");
        }
      }
      MockResponse response = super.dispatch(request);
      WebSocketListener listener = response.getWebSocketListener();
      if (operator && mappings && watch && listener != null) {
        response.withWebSocketUpgrade(new Tracked(listener));
      }
      return response;
    }

    private boolean conflict() {
      double p = conflictProbability;
      if (p <= 0) {
        return false;
      }
      synchronized (random) {
        return random.nextDouble() < p;
      }
    }

    private MockResponse status(int code, String reason, String message) {
      String body =
          """
          {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",\
          "message":"%s","reason":"%s","code":%d}"""
              .formatted(message, reason, code);
      return new MockResponse()
          .setResponseCode(code)
          .setHeader("Content-Type", "application/json")
          .setBody(body);
    }
  }

  /** Passes everything through and remembers the socket while it is open, so it can be dropped. */
  private final class Tracked extends WebSocketListener {
    private final WebSocketListener delegate;

    Tracked(WebSocketListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
      delegate.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      operatorWatches.add(webSocket);
      delegate.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      delegate.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      delegate.onMessage(webSocket, bytes);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
      delegate.onMessage(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      operatorWatches.remove(webSocket);
      delegate.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      operatorWatches.remove(webSocket);
      delegate.onClosed(webSocket, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      operatorWatches.remove(webSocket);
      delegate.onFailure(webSocket, t, response);
    }
  }
}
