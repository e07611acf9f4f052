package dev.byoc.sourceip.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management HTTP endpoint: {@code /healthz} for the kubelet's liveness probe, {@code /readyz}
 * for readiness, {@code /metrics} for Prometheus. Its own small server and threads, so a busy or
 * stuck reconcile never delays a probe.
 */
public final class ManagementServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private ManagementServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Serves on {@code port} of {@code bindAddress} (0: a free port).
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static ManagementServer start(
      InetAddress bindAddress, int port, Probes probes, Supplier<String> metrics) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve the management endpoint on "
              + bindAddress.getHostAddress()
              + ":"
              + port
              + ": "
              + e.getMessage(),
          e);
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "management-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(ManagementPaths.HEALTHZ, ex -> probe(ex, probes::live));
    server.createContext(ManagementPaths.READYZ, ex -> probe(ex, probes::ready));
    server.createContext(
        ManagementPaths.METRICS,
        ex -> {
          if (exact(ex, ManagementPaths.METRICS)) {
            respond(ex, 200, PROMETHEUS_TEXT, metrics.get());
          }
        });
    server.createContext("/", ex -> respond(ex, 404, "text/plain; charset=utf-8", "not found\n"));
    server.start();
    return new ManagementServer(server, executor);
  }

  /** The port it serves on (the chosen one when asked for 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
  public String url() {
    InetAddress address = server.getAddress().getAddress();
    String host = address.isAnyLocalAddress() ? "127.0.0.1" : address.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  private static void probe(HttpExchange exchange, Supplier<Check> check) throws IOException {
    String path = exchange.getHttpContext().getPath();
    if (!exact(exchange, path)) {
      return;
    }
    Check result;
    try {
      result = check.get();
    } catch (RuntimeException e) {
      LOG.warn("The {} check failed: {}", path, e.toString());
      result = Check.failing("check failed: " + e);
    }
    respond(
        exchange,
        result.ok() ? 200 : 503,
        "text/plain; charset=utf-8",
        (result.ok() ? "ok: " : "not ok: ") + result.detail() + "\n");
  }

  /** Only the path itself (a trailing query is fine) and only GET or HEAD; 404 or 405 else. */
  private static boolean exact(HttpExchange exchange, String path) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      respond(exchange, 404, "text/plain; charset=utf-8", "not found\n");
      return false;
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return false;
    }
    return true;
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** What the probes ask. */
  public interface Probes {
    /** Liveness: the process and its reconcile machinery work (dependencies may be down). */
    Check live();

    /** Readiness: started, informers synced, and every account's first list has ended. */
    Check ready();
  }
}
