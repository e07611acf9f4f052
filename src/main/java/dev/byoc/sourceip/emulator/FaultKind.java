package dev.byoc.sourceip.emulator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The faults the emulator can inject, by the names the admin API and scripts use. */
enum FaultKind {
  TOO_MANY_REQUESTS("429"),
  INTERNAL_ERROR("500"),
  UNAVAILABLE("503"),
  RESET_BEFORE("reset-before"),
  RESET_AFTER("reset-after");

  final String wireName;

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
