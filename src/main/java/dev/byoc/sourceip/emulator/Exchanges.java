package dev.byoc.sourceip.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Writes a reply on a JDK exchange, or drops the connection without any response. */
final class Exchanges {
  private Exchanges() {}

  static void send(HttpExchange exchange, Reply reply) throws IOException {
    try (exchange) {
      reply.headers().forEach(exchange.getResponseHeaders()::set);
      if (reply.spoiled() != null) {
        SpoiledAnswers.send(exchange, reply);
        return;
      }
      if (reply.body() == null) {
        exchange.sendResponseHeaders(reply.status(), -1);
        return;
      }
      byte[] bytes = Json.MAPPER.writeValueAsBytes(reply.body());
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /**
   * Closes the exchange before any response header is sent: the JDK server then closes the TCP
   * connection, and the client sees the stream end without a response.
   */
  static void drop(HttpExchange exchange) {
    exchange.close();
  }
}
