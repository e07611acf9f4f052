package dev.byoc.sourceip.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request pipeline of every Twilio path: route, authenticate, admit (concurrency limit, less
 * the neighbour's slots), delay, inject a fault or dispatch, count; then answer or drop the
 * connection.
 */
final class TwilioHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TwilioHandler.class);

  /** A reply, or null for a dropped connection. */
  private record Outcome(Reply reply) {
    static final Outcome DROP = new Outcome(null);

    int status() {
      return reply == null ? 0 : reply.status();
    }
  }

  private final Router router;
  private final AccountRegistry accounts;
  private final FaultInjector faults;
  private final RequestCounters counters;
  private final Neighbour neighbour;
  private final Supplier<ProcessedRequest.Listener> listener;

  TwilioHandler(
      Router router,
      AccountRegistry accounts,
      FaultInjector faults,
      RequestCounters counters,
      Neighbour neighbour,
      Supplier<ProcessedRequest.Listener> listener) {
    this.router = router;
    this.accounts = accounts;
    this.faults = faults;
    this.counters = counters;
    this.neighbour = neighbour;
    this.listener = listener;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long received = System.nanoTime();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getPath();
    Router.Match match = router.match(path);
    String template = match == null ? Router.UNMATCHED : match.route().template();
    String account = null;
    Outcome outcome;
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (match == null) {
        outcome = new Outcome(TwilioError.notFound(path).reply());
      } else {
        account = accounts.authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
        if (account == null) {
          outcome = new Outcome(TwilioError.unauthorized().reply());
        } else {
          outcome = admitted(exchange, method, match, account, body, received);
        }
      }
    } catch (TwilioError e) {
      outcome = new Outcome(e.reply());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = Outcome.DROP;
    } catch (RuntimeException | IOException e) {
      LOG.warn("{} {} failed", method, path, e);
      outcome = new Outcome(TwilioError.internal().reply());
    }
    // Count and leave the in-flight set before answering, so that a client that sends its next
    // request as soon as it reads this answer never sees this one still in flight.
    counters.record(method, template, outcome.status());
    counters.recordUser(basicUser(exchange.getRequestHeaders().getFirst("Authorization")));
    if (account != null) {
      counters.exit(account);
    }
    LOG.debug("{} {} -> {}", method, path, outcome.status());
    if (outcome.reply() == null) {
      Exchanges.drop(exchange);
    } else {
      Exchanges.send(exchange, outcome.reply());
    }
  }

  /** Counts the request in flight (the caller leaves it), then limits, delays, faults, runs. */
  private Outcome admitted(
      HttpExchange exchange,
      String method,
      Router.Match match,
      String account,
      byte[] body,
      long received)
      throws InterruptedException {
    int inFlight = counters.enter(account);
    FaultSettings settings = faults.settings(account);
    if (settings.concurrencyLimit() > 0
        && inFlight + neighbour.occupied(account) > settings.concurrencyLimit()) {
      counters.recordFault("concurrency-429");
      return new Outcome(
          withRetryAfter(TwilioError.tooManyRequests().reply(), settings.retryAfterSeconds()));
    }
    long delay = faults.latencyMillis(account);
    if (delay > 0) {
      Thread.sleep(delay);
    }
    FaultInjector.Decision decision = faults.decide(method, match.route().template(), account);
    if (decision.kind() != null) {
      counters.recordFault(decision.kind().wireName);
      switch (decision.kind()) {
        case RESET_BEFORE:
          return Outcome.DROP;
        case TOO_MANY_REQUESTS:
          return new Outcome(
              withRetryAfter(TwilioError.tooManyRequests().reply(), decision.retryAfterSeconds()));
        case UNAVAILABLE:
          return new Outcome(
              withRetryAfter(TwilioError.unavailable().reply(), decision.retryAfterSeconds()));
        case INTERNAL_ERROR:
          return new Outcome(TwilioError.internal().reply());
        case HUGE_ERROR:
          return new Outcome(TwilioError.huge().reply());
        default:
          break; // processed first: reset-after and the spoiled answers
      }
    }
    Reply reply = dispatch(exchange, method, match, account, body);
    ProcessedRequest.Listener hook = listener.get();
    if (hook != null) {
      hook.processed(
          new ProcessedRequest(
              method,
              match.route().template(),
              account,
              reply.status(),
              basicUser(exchange.getRequestHeaders().getFirst("Authorization")),
              received));
    }
    if (decision.kind() == FaultKind.RESET_AFTER) {
      return Outcome.DROP;
    }
    return new Outcome(
        decision.kind() != null && decision.kind().spoilsAnswer()
            ? reply.spoiledBy(decision.kind())
            : reply);
  }

  private static Reply dispatch(
      HttpExchange exchange, String method, Router.Match match, String account, byte[] body) {
    Operation operation = match.route().operations().get(method);
    if (operation == null) {
      return TwilioError.methodNotAllowed()
          .reply()
          .withHeader(
              "Allow", String.join(", ", new TreeSet<>(match.route().operations().keySet())));
    }
    try {
      Params params =
          method.equals("POST")
              ? Params.parse(new String(body, StandardCharsets.UTF_8))
              : Params.parse(exchange.getRequestURI().getRawQuery());
      return operation.handle(
          new Call(method, exchange.getRequestURI().getPath(), account, match.vars(), params));
    } catch (TwilioError e) {
      return e.reply();
    }
  }

  private static Reply withRetryAfter(Reply reply, Integer seconds) {
    return seconds == null ? reply : reply.withHeader("Retry-After", String.valueOf(seconds));
  }

  /** The user of a Basic Authorization header (an Account or API Key SID), or null. */
  private static String basicUser(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded =
          new String(
              java.util.Base64.getDecoder().decode(header.substring(6).trim()),
              java.nio.charset.StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.substring(0, colon);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
