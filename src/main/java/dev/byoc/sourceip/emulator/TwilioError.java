package dev.byoc.sourceip.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Twilio API error as the wire carries it: HTTP status plus {code, message, more_info}. */
final class TwilioError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final int code;

  TwilioError(int status, int code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static TwilioError missingParameter(String name) {
    return new TwilioError(400, 20001, "Missing required parameter " + name + " in the post body");
  }

  static TwilioError invalidParameter(String name, String why) {
    return new TwilioError(400, 20001, "Invalid parameter " + name + ": " + why);
  }

  static TwilioError badRequest(String message) {
    return new TwilioError(400, 20001, message);
  }

  static TwilioError pageSizeTooLarge(long pageSize) {
    return new TwilioError(
        400, 20007, "Invalid parameter PageSize: " + pageSize + " exceeds the maximum of 1000");
  }

  static TwilioError notFound(String path) {
    return new TwilioError(404, 20404, "The requested resource " + path + " was not found");
  }

  static TwilioError unauthorized() {
    return new TwilioError(401, 20003, "Authenticate");
  }

  static TwilioError methodNotAllowed() {
    return new TwilioError(405, 20004, "Method not allowed");
  }

  /** A 400 as Twilio would send for a bad parameter, with a message of 100 KiB. */
  static TwilioError huge() {
    return new TwilioError(
        400,
        20001,
        "Invalid parameter (emulated huge error): " + "lorem ipsum ".repeat(100 * 1024 / 12));
  }

  static TwilioError tooManyRequests() {
    return new TwilioError(429, 20429, "Too Many Requests");
  }

  static TwilioError internal() {
    return new TwilioError(500, 20500, "Internal Server Error");
  }

  static TwilioError unavailable() {
    return new TwilioError(503, 20503, "Service Unavailable");
  }

  /** Twilio's error body: code, message, more_info, status. */
  ObjectNode body() {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("code", code);
    node.put("message", getMessage());
    node.put("more_info", "https://www.twilio.com/docs/errors/" + code);
    node.put("status", status);
    return node;
  }

  Reply reply() {
    Reply reply = Reply.json(status, body());
    if (status == 401) {
      return reply.withHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
    }
    return reply;
  }
}
