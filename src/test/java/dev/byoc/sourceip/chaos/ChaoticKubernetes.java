package dev.byoc.sourceip.chaos;

import dev.byoc.sourceip.testing.MockApiServer;
import dev.byoc.sourceip.testing.RulesReviewingDispatcher;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
 * SourceIpMappings, IpRecords, TwilioAccounts and Leases, and watches of those three kinds dropped
 * at will, each followed by a 410 Gone on the re-watch so the client must list again (as a real
 * server answers a watch from a compacted resourceVersion). It answers SelfSubjectRulesReview as
 * {@link RulesReviewingDispatcher} does, so that replicas with leader election can start.
 */
final class ChaoticKubernetes implements AutoCloseable {
  /** Prefix of the operator's tokens: each incarnation has its own, e.g. chaos-operator-3. */
  static final String OPERATOR_TOKEN = "chaos-operator";

  static final String DRIVER_TOKEN = "chaos-driver";
  private static final String GROUP = "/apis/voice.byoc.dev/";
  private static final List<String> KINDS =
      List.of("sourceipmappings", "iprecords", "twilioaccounts");
  private static final String LEASES = "/apis/coordination.k8s.io/";

  private final Random random;
  private final Chaos dispatcher = new Chaos();
  private final MockApiServer server;
  private final KubernetesClient driver;
  private volatile double conflictProbability;
  private final Set<WebSocket> operatorWatches = ConcurrentHashMap.newKeySet();

  /**
   * 410s owed, by the token and kind whose watch was dropped ({@link #watchKey}): a new incarnation
   * owes nothing.
   */
  private final Map<String, AtomicInteger> gonesOwed = new ConcurrentHashMap<>();

  /**
   * The CRUD mock starts a watch "now", whatever resourceVersion it is asked to start from, so a
   * change between a list and the watch that follows it would be lost, where a real server replays
   * it. A re-watch from before the last change of a resource of its kind is therefore answered 410
   * Gone (as from a compacted resourceVersion), and the client lists again. By kind.
   */
  private final Map<String, AtomicLong> lastChange = new ConcurrentHashMap<>();

  private final Map<String, AtomicInteger> changesInFlight = new ConcurrentHashMap<>();
  private final Set<String> watchedTokens = ConcurrentHashMap.newKeySet(); // by watchKey
  private final AtomicLong staleWatches = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private final AtomicLong ipRecordConflicts = new AtomicLong();
  private final AtomicLong accountConflicts = new AtomicLong();
  private final AtomicLong leaseConflicts = new AtomicLong();
  private final AtomicLong watchesDropped = new AtomicLong();
  private final AtomicLong gones = new AtomicLong();
  private final AtomicLong operatorRequests = new AtomicLong();

  ChaoticKubernetes(long seed, String... namespaces) {
    this.random = new Random(seed);
    server = MockApiServer.start(dispatcher, DRIVER_TOKEN);
    driver = server.client(DRIVER_TOKEN);
    for (String namespace : namespaces) {
      driver
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
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
            .computeIfAbsent(watchKey(socket.request()), k -> new AtomicInteger())
            .incrementAndGet();
        socket.close(1000, "dropped by the chaos suite");
        watchesDropped.incrementAndGet();
      }
    }
    return open.size();
  }

  /** 409s injected on the operator's writes to SourceIpMappings and IpRecords. */
  long conflicts() {
    return conflicts.get();
  }

  /** Of {@link #conflicts()}, those on IpRecords. */
  long ipRecordConflicts() {
    return ipRecordConflicts.get();
  }

  /** Of {@link #conflicts()}, those on TwilioAccounts (their status and finalizer). */
  long accountConflicts() {
    return accountConflicts.get();
  }

  /** 409s injected on the operator's writes to a Lease (leader election's renewals). */
  long leaseConflicts() {
    return leaseConflicts.get();
  }

  /** Re-watches answered 410 because a resource of their kind changed since their version. */
  long staleWatches() {
    return staleWatches.get();
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
    return writeOperatorKubeconfig(file, Integer.toString(incarnation));
  }

  /** A kubeconfig whose token names one incarnation of one replica, e.g. {@code r1-3}. */
  Path writeOperatorKubeconfig(Path file, String incarnation) throws IOException {
    return server.writeKubeconfig(file, OPERATOR_TOKEN + "-" + incarnation);
  }

  private static String token(RecordedRequest request) {
    String auth = request.getHeader("Authorization");
    return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
  }

  /** The custom resource kind (plural) a request is about, or null for anything else. */
  private static String kind(String path) {
    if (!path.startsWith(GROUP)) {
      return null;
    }
    for (String kind : KINDS) {
      if (path.contains("/" + kind)) {
        return kind;
      }
    }
    return null;
  }

  /** Token and kind: what a dropped watch and its re-watch have in common. */
  private static String watchKey(RecordedRequest request) {
    return token(request) + " " + kind(request.getPath());
  }

  @Override
  public void close() {
    driver.close();
    server.close();
  }

  private final class Chaos extends RulesReviewingDispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      String token = token(request);
      boolean operator = token.startsWith(OPERATOR_TOKEN);
      String kind = kind(path);
      boolean ours = kind != null; // SourceIpMappings, IpRecords or TwilioAccounts
      boolean watch = path.contains("watch=true");
      String watchKey = token + " " + kind;
      if (operator) {
        operatorRequests.incrementAndGet();
      }
      if (operator
          && path.startsWith(LEASES)
          && path.contains("/leases/")
          && (request.getMethod().equals("PATCH") || request.getMethod().equals("PUT"))
          && conflict()) {
        // a renewal or a takeover that lost a race: the elector tries again a retry period later
        leaseConflicts.incrementAndGet();
        return status(
            409,
            "Conflict",
            "Operation cannot be fulfilled on leases.coordination.k8s.io: the object has been"
                + " modified; please apply your changes to the latest version and try again");
      }
      if (operator && ours) {
        AtomicInteger owed = gonesOwed.get(watchKey);
        if (watch && owed != null && owed.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          gones.incrementAndGet();
          return goneInWatch();
        }
        if (watch && watchedTokens.contains(watchKey) && missedAChange(kind, path)) {
          // not on an incarnation's first watch: JOSDK takes a failed first watch for fatal
          staleWatches.incrementAndGet();
          return goneInWatch();
        }
        String method = request.getMethod();
        if ((method.equals("PATCH") || method.equals("PUT")) && conflict()) {
          conflicts.incrementAndGet();
          if (kind.equals("iprecords")) {
            ipRecordConflicts.incrementAndGet();
          } else if (kind.equals("twilioaccounts")) {
            accountConflicts.incrementAndGet();
          }
          return status(
              409,
              "Conflict",
              "Operation cannot be fulfilled on "
                  + kind
                  + ".voice.byoc.dev: the object has been modified; please apply your changes to"
                  + " the latest version and try again");
        }
      }
      boolean change = ours && !request.getMethod().equals("GET");
      MockResponse response;
      if (change) {
        AtomicInteger inFlight = changesInFlight.computeIfAbsent(kind, k -> new AtomicInteger());
        inFlight.incrementAndGet();
        try {
          response = super.dispatch(request);
          // at least the resourceVersion of this change (the counter only grows)
          lastChange
              .computeIfAbsent(kind, k -> new AtomicLong())
              .accumulateAndGet(requestResourceVersion(), Math::max);
        } finally {
          inFlight.decrementAndGet();
        }
      } else {
        response = super.dispatch(request);
      }
      if (operator && ours && watch) {
        watchedTokens.add(watchKey);
      }
      WebSocketListener listener = response.getWebSocketListener();
      if (operator && ours && watch && listener != null) {
        response.withWebSocketUpgrade(new Tracked(listener));
      }
      return response;
    }

    /**
     * A watch that opens and at once reports 410 Gone in an ERROR event, as a real server does for
     * a resourceVersion it has compacted: fabric8's informer then lists again. (A 410 answered to
     * the watch request itself only makes fabric8 retry the same resourceVersion later.)
     */
    private MockResponse goneInWatch() {
      return new MockResponse()
          .withWebSocketUpgrade(
              new WebSocketListener() {
                @Override
                public void onOpen(WebSocket webSocket, Response response) {
                  webSocket.send(
                      "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                          + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource"
                          + " version\",\"reason\":\"Expired\",\"code\":410}}");
                  webSocket.close(1000, "too old resource version");
                }
              });
    }

    private boolean missedAChange(String kind, String path) {
      java.util.regex.Matcher rv =
          java.util.regex.Pattern.compile("[?&]resourceVersion=(\\d+)").matcher(path);
      if (!rv.find()) {
        return false;
      }
      AtomicInteger inFlight = changesInFlight.get(kind);
      AtomicLong last = lastChange.get(kind);
      return (inFlight != null && inFlight.get() > 0)
          || (last != null && last.get() > Long.parseLong(rv.group(1)));
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
