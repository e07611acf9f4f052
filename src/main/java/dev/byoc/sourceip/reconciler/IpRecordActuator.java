package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountSnapshot;
import dev.byoc.sourceip.reconciler.Applied.Action;
import dev.byoc.sourceip.reconciler.Applied.Step;
import dev.byoc.sourceip.twilio.TwilioApiException;
import dev.byoc.sourceip.twilio.TwilioIpRecord;
import dev.byoc.sourceip.twilio.TwilioOutcomeUnknownException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Does the Twilio work for IpRecords: the calls, keeping the account snapshot in step with each
 * write, and the create rule (an IP record is found again by its address and prefix, so a create
 * that failed or whose outcome is unknown is settled by looking, never sent again blindly).
 */
final class IpRecordActuator {
  private final Clock clock;

  IpRecordActuator(Clock clock) {
    this.clock = clock;
  }

  /** The IP record Twilio holds for the address and prefix, as the snapshot knows it. */
  Optional<TwilioIpRecord> observe(Account account, String address, int prefix) {
    return account.snapshot().ipRecordByAddress(address, prefix);
  }

  /** As {@link #observe}, once a create of unknown outcome for them has been looked at. */
  Optional<TwilioIpRecord> observeSettled(Account account, String address, int prefix) {
    account.snapshot().settleUnknownIpRecordCreate(address, prefix);
    return observe(account, address, prefix);
  }

  /** The IP record with this SID; one the snapshot lacks is looked for at Twilio (rate-limited). */
  Optional<TwilioIpRecord> observeSid(Account account, String sid) {
    AccountSnapshot snapshot = account.snapshot();
    Optional<TwilioIpRecord> found = snapshot.ipRecordBySid(sid);
    if (found.isEmpty()) {
      snapshot.refreshIfOlderThan(clock.instant().minus(SourceIpMappingActuator.LOOK_AGAIN_AFTER));
      found = snapshot.ipRecordBySid(sid);
    }
    return found;
  }

  /**
   * Makes Twilio hold the IP record when the snapshot shows none for the address and prefix:
   * creates it, or adopts (and renames, when a name is wanted) one a lost create or someone else
   * made.
   */
  Applied<TwilioIpRecord> create(Account account, String address, int prefix, String name) {
    AccountSnapshot snapshot = account.snapshot();
    Optional<TwilioIpRecord> settled = observeSettled(account, address, prefix);
    if (settled.isPresent()) {
      return adoptFound(account, settled.get(), name);
    }
    Instant before = clock.instant();
    try {
      TwilioIpRecord created = account.ipRecords().createIpRecord(address, name, prefix);
      snapshot.putIpRecord(created);
      return Applied.of(Action.CREATED, created);
    } catch (TwilioOutcomeUnknownException | TwilioApiException e) {
      if (e instanceof TwilioApiException api && !api.isClientError()) {
        throw e;
      }
      Instant lookAfter = before;
      if (e instanceof TwilioOutcomeUnknownException) {
        lookAfter = clock.instant();
        snapshot.ipRecordCreateOutcomeUnknown(address, prefix, lookAfter);
      }
      snapshot.refreshIfOlderThan(lookAfter);
      Optional<TwilioIpRecord> found = observe(account, address, prefix);
      if (found.isEmpty()) {
        throw e;
      }
      return adoptFound(account, found.get(), name);
    }
  }

  /** Renames the IP record; one deleted out of band meanwhile is made again. */
  Applied<TwilioIpRecord> rename(Account account, TwilioIpRecord observed, String name) {
    try {
      TwilioIpRecord updated = account.ipRecords().updateIpRecord(observed.sid(), name);
      account.snapshot().putIpRecord(updated);
      return new Applied<>(updated, List.of(new Step<>(Action.UPDATED, updated, observed)));
    } catch (TwilioApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
      account.snapshot().removeIpRecord(observed.sid());
      return create(account, observed.ipAddress(), prefixOf(observed), name);
    }
  }

  /** Deletes the IP record at Twilio; one already gone (404) counts as deleted. */
  void delete(Account account, String sid) {
    try {
      account.ipRecords().deleteIpRecord(sid);
    } catch (TwilioApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
    account.snapshot().removeIpRecord(sid);
  }

  /** Twilio's prefix length of the record: 32 when it reports none. */
  static int prefixOf(TwilioIpRecord record) {
    return record.cidrPrefixLength() == null ? 32 : record.cidrPrefixLength();
  }

  private Applied<TwilioIpRecord> adoptFound(Account account, TwilioIpRecord found, String name) {
    Applied<TwilioIpRecord> adopted = Applied.of(Action.FOUND, found);
    return name == null || Objects.equals(found.friendlyName(), name)
        ? adopted
        : adopted.then(rename(account, found, name));
  }
}
