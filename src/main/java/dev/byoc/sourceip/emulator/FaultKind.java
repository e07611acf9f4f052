package dev.byoc.sourceip.emulator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The faults the emulator can inject, by the names the admin API and scripts use. */
enum FaultKind {
  TOO_MANY_REQUESTS("429"),
  INTERNAL_ERROR("500"),
  UNAVAILABLE("503"),
  RESET_BEFORE("reset-before"),
  RESET_AFTER("reset-after"),
  /** Not processed: a 400 in Twilio's form whose message is 100 KiB long. */
  HUGE_ERROR("huge-error"),
  /** Processed, then answered with the JSON cut in half. */
  MALFORMED_JSON("malformed-json"),
  /** Processed, then answered 502 with an HTML page, as a proxy in front of Twilio might. */
  HTML("html"),
  /** Processed, then answered with the right status and no body at all. */
  EMPTY_BODY("empty-body"),
  /** Processed, then answered with a 20 MB body. */
  HUGE_BODY("huge-body"),
  /** Processed, then answered with a body that trickles in and never ends. */
  ENDLESS_BODY("endless-body");

  final String wireName;

  /** Whether the request is processed first and only the answer is spoiled. */
  boolean spoilsAnswer() {
    return ordinal() >= MALFORMED_JSON.ordinal();
  }

  FaultKind(String wireName) {
    this.wireName = wireName;
  }

  static FaultKind parse(String name) {
    for (FaultKind kind : values()) {
      if (kind.wireName.equalsIgnoreCase(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown fault '"
            + name
            + "'; expected one of "
            + Arrays.stream(values()).map(k -> k.wireName).collect(Collectors.joining(", ")));
  }
}
