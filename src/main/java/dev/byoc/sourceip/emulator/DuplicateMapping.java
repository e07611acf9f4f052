package dev.byoc.sourceip.emulator;

import java.time.Instant;

/**
 * A create that asked for a second mapping of an IP record that already had one: refused by
 * default, let through when the emulator allows duplicates (then {@code createdSid} is set).
 *
 * @param accountSid the account
 * @param ipRecordSid the IP record asked for twice
 * @param existingSid the mapping that already held it
 * @param createdSid the second mapping, or null when the create was refused
 * @param at when the create arrived
 */
public record DuplicateMapping(
    String accountSid, String ipRecordSid, String existingSid, String createdSid, Instant at) {

  /** Whether two mappings of the IP record existed at once. */
  public boolean existed() {
    return createdSid != null;
  }
}
