package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountSnapshot;
import dev.byoc.sourceip.reconciler.Applied.Action;
import dev.byoc.sourceip.reconciler.Applied.Step;
import dev.byoc.sourceip.twilio.TwilioApiException;
import dev.byoc.sourceip.twilio.TwilioMapping;
import dev.byoc.sourceip.twilio.TwilioOutcomeUnknownException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Does the Twilio work for SourceIpMappings: the calls, keeping the account snapshot in step with
 * each write, and the create rule (a create that failed or whose outcome is unknown is settled by
 * looking at Twilio, never sent again blindly). It decides nothing about resources.
 */
final class SourceIpMappingActuator {
  /** A SID the snapshot does not know is looked for again at most this often. */
  static final Duration LOOK_AGAIN_AFTER = Duration.ofSeconds(10);

  private final Clock clock;

  SourceIpMappingActuator(Clock clock) {
    this.clock = clock;
  }

  /** The mapping Twilio holds for the IP record, as the snapshot knows it. */
  Optional<TwilioMapping> observe(Account account, String ipRecordSid) {
    return account.snapshot().byIpRecord(ipRecordSid);
  }

  /**
   * The mapping Twilio holds for the IP record once a create of unknown outcome for it (whose look
   * failed before) has been looked at: what a delete must not leave behind.
   */
  Optional<TwilioMapping> observeSettled(Account account, String ipRecordSid) {
    account.snapshot().settleUnknownCreate(ipRecordSid);
    return observe(account, ipRecordSid);
  }

  /** The mapping with this SID; one the snapshot lacks is looked for at Twilio (rate-limited). */
  Optional<TwilioMapping> observeSid(Account account, String sid) {
    AccountSnapshot snapshot = account.snapshot();
    Optional<TwilioMapping> found = snapshot.bySid(sid);
    if (found.isEmpty()) {
      snapshot.refreshIfOlderThan(clock.instant().minus(LOOK_AGAIN_AFTER));
      found = snapshot.bySid(sid);
    }
    return found;
  }

  /**
   * Makes Twilio map the IP record to the domain when the snapshot shows no mapping for it: creates
   * one, or adopts (and points at the domain) one that a lost create or someone else made.
   */
  Applied<TwilioMapping> create(Account account, String ipRecordSid, String sipDomainSid) {
    AccountSnapshot snapshot = account.snapshot();
    Optional<TwilioMapping> settled = observeSettled(account, ipRecordSid);
    if (settled.isPresent()) {
      return adoptFound(account, settled.get(), sipDomainSid);
    }
    Instant before = clock.instant();
    try {
      TwilioMapping created = account.mappings().createSourceIpMapping(ipRecordSid, sipDomainSid);
      snapshot.put(created);
      return Applied.of(Action.CREATED, created);
    } catch (TwilioOutcomeUnknownException | TwilioApiException e) {
      if (e instanceof TwilioApiException api && !api.isClientError()) {
        throw e;
      }
      // Never create blindly again: look at Twilio first. A lost create, or a mapping made out of
      // band since the last list, shows up here and is adopted. If this look fails, the next
      // attempt looks again before it may create (observeSettled above).
      Instant lookAfter = before;
      if (e instanceof TwilioOutcomeUnknownException) {
        lookAfter = clock.instant();
        snapshot.createOutcomeUnknown(ipRecordSid, lookAfter);
      }
      snapshot.refreshIfOlderThan(lookAfter);
      Optional<TwilioMapping> found = observe(account, ipRecordSid);
      if (found.isEmpty()) {
        throw e;
      }
      return adoptFound(account, found.get(), sipDomainSid);
    }
  }

  /** Points the mapping at the domain; one deleted out of band meanwhile is made again. */
  Applied<TwilioMapping> update(Account account, TwilioMapping observed, String sipDomainSid) {
    try {
      TwilioMapping updated =
          account.mappings().updateSourceIpMapping(observed.sid(), sipDomainSid);
      account.snapshot().put(updated);
      return new Applied<>(updated, List.of(new Step<>(Action.UPDATED, updated, observed)));
    } catch (TwilioApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
      account.snapshot().remove(observed.sid()); // deleted out of band since the last list
      return create(account, observed.ipRecordSid(), sipDomainSid);
    }
  }

  /** Deletes the mapping at Twilio; one already gone (404) counts as deleted. */
  void delete(Account account, String sid) {
    try {
      account.mappings().deleteSourceIpMapping(sid);
    } catch (TwilioApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
    account.snapshot().remove(sid);
  }

  private Applied<TwilioMapping> adoptFound(
      Account account, TwilioMapping found, String sipDomainSid) {
    Applied<TwilioMapping> adopted = Applied.of(Action.FOUND, found);
    return found.sipDomainSid().equals(sipDomainSid)
        ? adopted
        : adopted.then(update(account, found, sipDomainSid));
  }
}
