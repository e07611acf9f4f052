package dev.byoc.sourceip.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The unauthenticated control API under /_emulator/: health, faults, scripted faults, the
 * neighbour, counters, reset, accounts and their allowed IP ranges. Its requests are not counted.
 */
final class AdminHandler implements HttpHandler {
  static final String PREFIX = "/_emulator/";
  private static final String ALLOWED_RANGES = "/allowed-ip-ranges";
  private static final String ACCOUNT_FAULTS = "faults/accounts/";

  private final TwilioEmulator emulator;

  AdminHandler(TwilioEmulator emulator) {
    this.emulator = emulator;
  }

  /** An admin error: a status and a message, answered as {"status": s, "message": m}. */
  private static final class AdminError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    AdminError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Reply reply;
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
      if (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      reply = route(method, path, body);
    } catch (AdminError e) {
      reply = error(e.status, e.getMessage());
    } catch (RuntimeException e) {
      reply = error(500, "internal error: " + e);
    }
    Exchanges.send(exchange, reply);
  }

  private Reply route(String method, String path, byte[] body) {
    switch (path) {
      case "":
      case "health":
        requireMethod(method, "GET");
        return ok(Json.MAPPER.createObjectNode().put("status", "ok"));
      case "faults":
        return faults(method, body);
      case "faults/script":
        return script(method, body);
      case "neighbour":
        return neighbour(method, body);
      case "counters":
        if (method.equals("DELETE")) {
          emulator.counters().reset();
          return Reply.noContent();
        }
        requireMethod(method, "GET");
        return ok(emulator.counters().toJson());
      case "reset":
        requireMethod(method, "POST");
        emulator.reset();
        return Reply.noContent();
      case "accounts":
        return accounts(method, body);
      case "seed":
        requireMethod(method, "POST");
        return seed(object(body));
      default:
        if (path.startsWith(ACCOUNT_FAULTS)) {
          return accountFaults(method, path.substring(ACCOUNT_FAULTS.length()), body);
        }
        if (path.startsWith("accounts/") && path.endsWith(ALLOWED_RANGES)) {
          String sid = path.substring(9, path.length() - ALLOWED_RANGES.length());
          return allowedRanges(method, sid, body);
        }
        throw new AdminError(404, "no admin endpoint " + PREFIX + path);
    }
  }

  private Reply faults(String method, byte[] body) {
    FaultInjector faults = emulator.faults();
    switch (method) {
      case "GET":
        return ok(Json.MAPPER.valueToTree(faults.settings()));
      case "PUT":
        faults.update(settingsFrom(object(body)));
        return ok(Json.MAPPER.valueToTree(faults.settings()));
      case "PATCH":
      case "POST":
        ObjectNode merged = Json.MAPPER.valueToTree(faults.settings());
        merged.setAll(object(body));
        faults.update(settingsFrom(merged));
        return ok(Json.MAPPER.valueToTree(faults.settings()));
      default:
        throw new AdminError(405, "method " + method + " not allowed; use GET, PUT, PATCH or POST");
    }
  }

  /**
   * One account's own fault settings: GET the settings its requests get (its own, else the
   * emulator-wide ones); PUT replaces its own (missing fields = default); PATCH or POST merges into
   * the settings it gets now; DELETE: it follows the emulator-wide settings again. 404 for an
   * unknown account.
   */
  private Reply accountFaults(String method, String sid, byte[] body) {
    if (emulator.accounts().stream().noneMatch(a -> a.sid().equals(sid))) {
      throw new AdminError(404, "no account " + sid);
    }
    FaultInjector faults = emulator.faults();
    switch (method) {
      case "GET":
        break;
      case "PUT":
        faults.update(sid, settingsFrom(object(body)));
        break;
      case "PATCH":
      case "POST":
        ObjectNode merged = Json.MAPPER.valueToTree(faults.settings(sid));
        merged.setAll(object(body));
        faults.update(sid, settingsFrom(merged));
        break;
      case "DELETE":
        faults.clear(sid);
        return Reply.noContent();
      default:
        throw new AdminError(
            405, "method " + method + " not allowed; use GET, PUT, PATCH, POST or DELETE");
    }
    return ok(Json.MAPPER.valueToTree(faults.settings(sid)));
  }

  /**
   * GET: {"settings": NeighbourSettings, "heldSlots": n, "counters": {attempted, served, refused,
   * byAccount}}; PUT: replaces the settings (400 on bad values or slots above the limit); DELETE:
   * turns the neighbour off.
   */
  private Reply neighbour(String method, byte[] body) {
    Neighbour neighbour = emulator.neighbour();
    switch (method) {
      case "GET":
        break;
      case "PUT":
        NeighbourSettings settings = convert(object(body), NeighbourSettings.class);
        try {
          neighbour.update(settings);
        } catch (IllegalArgumentException e) {
          throw new AdminError(400, e.getMessage());
        }
        break;
      case "DELETE":
        neighbour.update(NeighbourSettings.off());
        return Reply.noContent();
      default:
        throw new AdminError(405, "method " + method + " not allowed; use GET, PUT or DELETE");
    }
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.set("settings", Json.MAPPER.valueToTree(neighbour.settings()));
    node.put("heldSlots", neighbour.heldSlots());
    node.set("counters", neighbour.counters().toJson());
    return ok(node);
  }

  private Reply script(String method, byte[] body) {
    FaultInjector faults = emulator.faults();
    switch (method) {
      case "GET":
        return ok(Json.MAPPER.valueToTree(faults.pendingScript()));
      case "POST":
        JsonNode tree = parse(body);
        List<ScriptedFault> entries = new ArrayList<>();
        if (tree.isArray()) {
          for (JsonNode entry : tree) {
            entries.add(convert(entry, ScriptedFault.class));
          }
        } else if (tree.isObject()) {
          entries.add(convert(tree, ScriptedFault.class));
        } else {
          throw new AdminError(400, "expected a JSON array of scripted faults (or one object)");
        }
        faults.script(entries);
        return ok(Json.MAPPER.valueToTree(faults.pendingScript()));
      case "DELETE":
        faults.clearScript();
        return Reply.noContent();
      default:
        throw new AdminError(405, "method " + method + " not allowed; use GET, POST or DELETE");
    }
  }

  private Reply accounts(String method, byte[] body) {
    if (method.equals("GET")) {
      ArrayNode list = Json.MAPPER.createArrayNode();
      emulator.accounts().forEach(a -> list.addObject().put("sid", a.sid()));
      return ok(list);
    }
    requireMethod(method, "POST");
    JsonNode tree = body.length == 0 ? Json.MAPPER.createObjectNode() : object(body);
    String sid = text(tree, "sid");
    String token = text(tree, "token");
    EmulatorAccount account;
    try {
      account =
          emulator.addAccount(
              sid == null ? Sids.next("AC") : sid, token == null ? Sids.secret() : token);
    } catch (IllegalArgumentException e) {
      throw new AdminError(400, e.getMessage());
    }
    ObjectNode created = Json.MAPPER.createObjectNode();
    created.put("sid", account.sid());
    created.put("token", account.authToken());
    return Reply.json(201, created);
  }

  /**
   * GET: the CIDR blocks the account's IP records must lie in, as a JSON array of strings (empty:
   * everything); PUT: replaces them with the array given.
   */
  private Reply allowedRanges(String method, String accountSid, byte[] body) {
    if (emulator.accounts().stream().noneMatch(a -> a.sid().equals(accountSid))) {
      throw new AdminError(404, "unknown account " + accountSid);
    }
    if (method.equals("PUT")) {
      JsonNode tree = parse(body);
      if (!tree.isArray()) {
        throw new AdminError(
            400, "expected a JSON array of CIDR blocks, e.g. [\"203.0.113.0/24\"]");
      }
      List<String> ranges = new ArrayList<>();
      for (JsonNode range : tree) {
        if (!range.isTextual()) {
          throw new AdminError(400, "a CIDR block must be a string: " + range);
        }
        ranges.add(range.asText());
      }
      try {
        emulator.allowedIpRanges(accountSid, ranges);
      } catch (IllegalArgumentException e) {
        throw new AdminError(400, e.getMessage());
      }
    } else if (!method.equals("GET")) {
      throw new AdminError(405, "method " + method + " not allowed; use GET or PUT");
    }
    return ok(Json.MAPPER.valueToTree(emulator.allowedIpRanges(accountSid)));
  }

  /**
   * Creates IP records and SIP domains under given SIDs (idempotent), so that manifests naming
   * fixed SIDs work against this emulator: {"accountSid": "AC…", "ipRecords": [{"sid", "ipAddress",
   * "cidrPrefixLength", "friendlyName"}], "sipDomains": [{"sid", "domainName"}]}.
   */
  private Reply seed(JsonNode tree) {
    String account = text(tree, "accountSid");
    if (account == null) {
      throw new AdminError(400, "field 'accountSid' is required");
    }
    try {
      for (JsonNode r : tree.path("ipRecords")) {
        int cidr = r.path("cidrPrefixLength").asInt(32);
        emulator.seedIpRecord(
            account, text(r, "sid"), text(r, "ipAddress"), cidr, text(r, "friendlyName"));
      }
      for (JsonNode d : tree.path("sipDomains")) {
        emulator.seedSipDomain(account, text(d, "sid"), text(d, "domainName"));
      }
    } catch (IllegalArgumentException e) {
      throw new AdminError(400, e.getMessage());
    }
    return Reply.noContent();
  }

  private static String text(JsonNode tree, String field) {
    JsonNode node = tree.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new AdminError(400, "field '" + field + "' must be a string");
    }
    return node.asText();
  }

  private static FaultSettings settingsFrom(JsonNode tree) {
    return convert(tree, FaultSettings.class);
  }

  private static <T> T convert(JsonNode tree, Class<T> type) {
    try {
      return Json.MAPPER.treeToValue(tree, type);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new AdminError(400, "invalid " + type.getSimpleName() + ": " + cause.getMessage());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      String message =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new AdminError(400, "invalid " + type.getSimpleName() + ": " + message);
    }
  }

  private static ObjectNode object(byte[] body) {
    JsonNode tree = parse(body);
    if (!tree.isObject()) {
      throw new AdminError(400, "expected a JSON object");
    }
    return (ObjectNode) tree;
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw new AdminError(400, "expected a JSON body");
    }
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      String message =
          e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new AdminError(400, "malformed JSON: " + message);
    }
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new AdminError(405, "method " + method + " not allowed; use " + allowed);
    }
  }

  private static Reply ok(JsonNode body) {
    return Reply.json(200, body);
  }

  private static Reply error(int status, String message) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("status", status);
    node.put("message", message);
    return Reply.json(status, node);
  }
}
