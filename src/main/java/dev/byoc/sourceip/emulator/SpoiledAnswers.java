package dev.byoc.sourceip.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Answers that a real network or proxy can produce and a client must survive: cut JSON, an HTML
 * error page, no body, a huge body, a body that never ends.
 */
final class SpoiledAnswers {
  static final int HUGE_BYTES = 20 * 1024 * 1024;
  private static final long ENDLESS_MAX_MILLIS = 120_000;
  private static final String HTML =
      "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";

  private SpoiledAnswers() {}

  static void send(HttpExchange exchange, Reply reply) throws IOException {
    switch (reply.spoiled()) {
      case MALFORMED_JSON -> {
        byte[] json =
            reply.body() == null
                ? "{}".getBytes(StandardCharsets.UTF_8)
                : Json.MAPPER.writeValueAsBytes(reply.body());
        write(
            exchange,
            reply.status(),
            "application/json",
            Arrays.copyOf(json, Math.max(1, json.length / 2)));
      }
      case HTML -> write(exchange, 502, "text/html", HTML.getBytes(StandardCharsets.UTF_8));
      case EMPTY_BODY -> {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), -1);
      }
      case HUGE_BODY -> {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), HUGE_BYTES);
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) ' ');
        try (OutputStream out = exchange.getResponseBody()) {
          for (int sent = 0; sent < HUGE_BYTES; sent += chunk.length) {
            out.write(chunk, 0, Math.min(chunk.length, HUGE_BYTES - sent));
          }
        }
      }
      case ENDLESS_BODY -> endless(exchange, reply.status());
      default -> throw new IllegalStateException("not a spoiled answer: " + reply.spoiled());
    }
  }

  private static void write(HttpExchange exchange, int status, String type, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A byte every 100 ms until the client gives up (or two minutes pass). */
  private static void endless(HttpExchange exchange, int status) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, 0); // chunked
    long end = System.currentTimeMillis() + ENDLESS_MAX_MILLIS;
    try (OutputStream out = exchange.getResponseBody()) {
      out.write('{');
      while (System.currentTimeMillis() < end) {
        out.write(' ');
        out.flush();
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientGaveUp) {
      // the client closed the connection: the point of the exercise
    }
  }
}
