package dev.byoc.sourceip.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every attempt at a second mapping of an IP record, kept so a test can prove one never happened,
 * and the switch that decides whether such a create is refused (the default) or let through.
 */
final class DuplicateLedger {
  private volatile boolean allowed;
  private final List<DuplicateMapping> entries = new ArrayList<>();

  boolean allowed() {
    return allowed;
  }

  void allow(boolean value) {
    this.allowed = value;
  }

  synchronized void record(
      String accountSid, String ipRecordSid, String existingSid, String createdSid) {
    entries.add(
        new DuplicateMapping(accountSid, ipRecordSid, existingSid, createdSid, Instant.now()));
  }

  synchronized List<DuplicateMapping> entries() {
    return List.copyOf(entries);
  }

  synchronized void clear() {
    entries.clear();
  }
}
