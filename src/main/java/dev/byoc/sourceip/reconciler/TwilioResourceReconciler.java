package dev.byoc.sourceip.reconciler;

import static dev.byoc.sourceip.api.v1alpha1.Reasons.*;

import dev.byoc.sourceip.account.Account;
import dev.byoc.sourceip.account.AccountKey;
import dev.byoc.sourceip.account.AccountUnavailableException;
import dev.byoc.sourceip.account.ReconcileGate;
import dev.byoc.sourceip.account.TwilioAccounts;
import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import dev.byoc.sourceip.api.v1alpha1.ConditionedStatus;
import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.EventReasons;
import dev.byoc.sourceip.api.v1alpha1.ManagementPolicy;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.twilio.ErrorClass;
import dev.byoc.sourceip.twilio.TwilioException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every kind's reconciler does the same way: error classes to conditions and retries, status
 * written only when it changed, Events for failures, and the annotations every kind honours.
 */
abstract class TwilioResourceReconciler<
        R extends CustomResource<?, S>, S extends ConditionedStatus, B extends StatusBuilder<S, B>>
    implements Reconciler<R>, Cleaner<R> {
  static final Duration CREDENTIALS_RETRY = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(TwilioResourceReconciler.class);

  protected final TwilioAccounts accounts;
  protected final EventSink events;
  protected final Duration resyncInterval;
  protected final Clock clock;
  private final StatusWriter<R, S> statusWriter;

  protected TwilioResourceReconciler(
      TwilioAccounts accounts,
      EventSink events,
      Duration resyncInterval,
      Clock clock,
      StatusWriter<R, S> statusWriter) {
    this.accounts = accounts;
    this.events = events;
    this.resyncInterval = resyncInterval;
    this.clock = clock;
    this.statusWriter = statusWriter;
  }

  /** A reconciler turned away by its account's gate tries again after about this long. */
  static final Duration GATE_RETRY = Duration.ofSeconds(2);

  /**
   * Reconciles within the account's share of the threads ({@link ReconcileGate}): a resource whose
   * account holds its share already is rescheduled, untouched, instead of waiting on a thread.
   */
  @Override
  public final UpdateControl<R> reconcile(R resource, Context<R> context) {
    ReconcileGate gate = gateOf(resource);
    if (!gate.tryEnter()) {
      return UpdateControl.<R>noUpdate().rescheduleAfter(gateRetry());
    }
    try {
      return statusWriter.answer(context, reconcileResource(resource, context));
    } finally {
      gate.exit();
    }
  }

  /** As {@link #reconcile}, for a deletion. */
  @Override
  public final DeleteControl cleanup(R resource, Context<R> context) {
    ReconcileGate gate = gateOf(resource);
    if (!gate.tryEnter()) {
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(gateRetry().toMillis());
    }
    try {
      return cleanupResource(resource, context);
    } finally {
      gate.exit();
    }
  }

  protected abstract UpdateControl<R> reconcileResource(R resource, Context<R> context);

  protected abstract DeleteControl cleanupResource(R resource, Context<R> context);

  /** The gate of the resource's account; none when it has no usable account (nothing is sent). */
  private ReconcileGate gateOf(R resource) {
    try {
      return accounts
          .forResource(resource.getMetadata().getNamespace(), accountRef(resource))
          .gate();
    } catch (AccountUnavailableException e) {
      return ReconcileGate.UNLIMITED;
    }
  }

  /** Spread over a second either side, so that turned-away reconciles do not come back at once. */
  private static Duration gateRetry() {
    return GATE_RETRY.plusMillis(
        java.util.concurrent.ThreadLocalRandom.current().nextLong(-1000, 1000));
  }

  /** A status builder starting from the resource's current status. */
  protected abstract B newStatus(R resource);

  // ---- errors -------------------------------------------------------------------------------

  /** Terminal and credential errors end here with a condition; recoverable ones go to retry. */
  protected UpdateControl<R> handled(R resource, B status, TwilioException e, String doing) {
    switch (e.errorClass()) {
      case CREDENTIALS -> {
        String message = "Twilio refused the credentials while " + doing + ": " + e.getMessage();
        status.failed(CREDENTIALS_INVALID, message);
        return finishWithEvent(resource, status, CREDENTIALS_INVALID, message, CREDENTIALS_RETRY);
      }
      case TERMINAL -> {
        String message = e.getMessage();
        status.synced(false, TWILIO_REJECTED, message);
        if (status.build().getSid() == null) {
          status.ready(false, TWILIO_REJECTED, message);
        }
        return finishWithEvent(resource, status, TWILIO_REJECTED, message, resyncInterval);
      }
      default -> throw e; // JOSDK retries with backoff; updateErrorStatus reports it
    }
  }

  /** The index of resources by the account object they ask for ({@link AccountKey#index()}). */
  static final String ACCOUNT_INDEX = "spec.accountRef";

  /** The index key of the account object {@code r} asks for. */
  protected String requestedAccount(R r) {
    return AccountKey.requested(r.getMetadata().getNamespace(), accountRef(r)).index();
  }

  /** The account reference of the resource's spec (null when it names none or has no spec). */
  protected abstract AccountReference accountRef(R resource);

  /**
   * The account the resource lives in, recorded in its status; one other than the account its
   * Twilio object is in is refused (Twilio cannot move objects between accounts).
   *
   * @throws AccountUnavailableException when it has none usable now
   */
  protected Account accountOf(R resource, B status) {
    Account account =
        accounts.forResource(resource.getMetadata().getNamespace(), accountRef(resource));
    S current = resource.getStatus();
    if (current != null
        && current.getSid() != null
        && current.getAccountSid() != null
        && !current.getAccountSid().equals(account.accountSid())) {
      throw new AccountUnavailableException(
          ACCOUNT_CHANGED,
          "Twilio object "
              + current.getSid()
              + " lives in account "
              + current.getAccountSid()
              + ", but the resource now resolves to account "
              + account.accountSid()
              + " (spec.accountRef, or the namespace's default TwilioAccount, changed). Restore"
              + " the account, or delete this resource and create a new one",
          false);
    }
    status.account(account.accountSid());
    return account;
  }

  /**
   * The account to delete the resource's Twilio object in: the one it resolves to, or when that
   * fails, any connected account with the Account SID its status records.
   */
  protected Account accountForCleanup(R resource, B status) {
    try {
      return accountOf(resource, status);
    } catch (AccountUnavailableException e) {
      String recorded = resource.getStatus() == null ? null : resource.getStatus().getAccountSid();
      if (recorded != null) {
        Optional<Account> held = accounts.bySid(recorded);
        if (held.isPresent()) {
          return held.get();
        }
      }
      throw e;
    }
  }

  /**
   * The account is unusable: nothing is sent to Twilio. One being connected is waited for (its
   * change wakes the resource); otherwise the condition says what to fix, looked at again in a
   * minute.
   */
  protected UpdateControl<R> accountUnavailable(
      R resource, B status, AccountUnavailableException e) {
    if (e.waiting()) {
      status.waiting(e.reason(), e.getMessage());
      return finish(resource, status, resyncInterval);
    }
    status.failed(e.reason(), e.getMessage());
    return finishWithEvent(resource, status, e.reason(), e.getMessage(), CREDENTIALS_RETRY);
  }

  @Override
  public ErrorStatusUpdateControl<R> updateErrorStatus(
      R resource, Context<R> context, Exception e) {
    Throwable cause = e;
    while (cause != null && !(cause instanceof TwilioException)) {
      cause = cause.getCause();
    }
    String message =
        cause != null
            ? "Twilio unavailable, retrying: " + cause.getMessage()
            : "Retrying after an error: " + e.getMessage();
    LOG.debug("Reconcile of {} failed: {}", describe(resource), message);
    B status = newStatus(resource).synced(false, TWILIO_UNAVAILABLE, message);
    if (resource.isMarkedForDeletion()) {
      status.ready(false, DELETING, message);
    } else if (resource.getStatus() == null || resource.getStatus().getSid() == null) {
      status.ready(false, CREATING, message);
    }
    events.warning(resource, TWILIO_UNAVAILABLE, message);
    if (!status.changed()) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    resource.setStatus(status.build());
    try {
      statusWriter.write(context, resource, resource.getStatus());
    } catch (KubernetesClientException written) {
      // the retry writes it again
      LOG.debug("Status of {} not written: {}", describe(resource), written.getMessage());
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * A cleanup that failed: the status says why, then the finalizer stays (credentials: looked at
   * again in a minute; refused: at the resync) or, for a recoverable error, JOSDK retries with
   * backoff. JOSDK calls no updateErrorStatus for a failed cleanup, so the status is written here
   * (once: the same error again changes nothing).
   */
  protected DeleteControl cleanupFailed(
      Context<R> context, R resource, B status, RuntimeException failure) {
    if (failure instanceof AccountUnavailableException e) {
      S current = resource.getStatus();
      // An account object this run has not connected yet may have served the resource in an
      // earlier run, killed before the status write recorded it: its Twilio object must be
      // looked for once the account is connected, not assumed absent.
      boolean neverServed =
          !e.connecting()
              && (current == null || (current.getSid() == null && current.getAccountSid() == null));
      if (neverServed
          && (ACCOUNT_NOT_ALLOWED.equals(e.reason()) || REFERENCE_NOT_READY.equals(e.reason()))) {
        // no account ever served it, so Twilio holds nothing of it
        return DeleteControl.defaultDelete();
      }
      String message = "deletion waits: " + e.getMessage();
      status.synced(false, e.reason(), message);
      if (status.changed()) {
        events.warning(resource, e.reason(), message);
      }
      patchStatusIfChanged(context, resource, status);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(CREDENTIALS_RETRY.toMillis());
    }
    TwilioException e = (TwilioException) failure;
    if (e.errorClass() == ErrorClass.RECOVERABLE) {
      String message = "Twilio unavailable, retrying: " + e.getMessage();
      status.synced(false, TWILIO_UNAVAILABLE, message).ready(false, DELETING, message);
      events.warning(resource, TWILIO_UNAVAILABLE, message);
      patchStatusIfChanged(context, resource, status);
      throw e;
    }
    String reason =
        e.errorClass() == ErrorClass.CREDENTIALS ? CREDENTIALS_INVALID : TWILIO_REJECTED;
    status.synced(false, reason, "deleting: " + e.getMessage());
    events.warning(resource, reason, "Could not delete at Twilio: " + e.getMessage());
    patchStatusIfChanged(context, resource, status);
    return DeleteControl.noFinalizerRemoval()
        .rescheduleAfter(
            (e.errorClass() == ErrorClass.CREDENTIALS ? CREDENTIALS_RETRY : resyncInterval)
                .toMillis());
  }

  /** A deletion that waits: Synced says why (an Event too when it is news); the finalizer stays. */
  protected DeleteControl deletionWaits(
      Context<R> context, R resource, B status, String reason, String message, boolean warn) {
    status.synced(false, reason, message);
    if (warn && status.changed()) {
      events.warning(resource, reason, message);
    }
    patchStatusIfChanged(context, resource, status);
    return DeleteControl.noFinalizerRemoval();
  }

  /**
   * Whether deleting the resource leaves its Twilio object in place (no spec, {@code Orphan}, or
   * {@code Observe}); if so, says so in an Event.
   */
  protected boolean orphans(
      R resource, DeletionPolicy deletion, ManagementPolicy management, String object) {
    boolean noSpec = resource.getSpec() == null;
    if (!noSpec && deletion != DeletionPolicy.Orphan && management != ManagementPolicy.Observe) {
      return false;
    }
    events.normal(
        resource,
        EventReasons.ORPHANED,
        "Left the Twilio "
            + object
            + " in place ("
            + (noSpec
                ? "no spec"
                : "deletionPolicy " + deletion + ", managementPolicy " + management)
            + ")");
    return true;
  }

  /** A deletion held by the paused annotation waits, saying so. */
  protected DeleteControl pausedDeletion(Context<R> context, R resource, B status) {
    return deletionWaits(
        context,
        resource,
        status,
        PAUSED,
        "deletion waits: the annotation "
            + SourceIpMapping.PAUSED_ANNOTATION
            + " stops all writes to Twilio",
        false);
  }

  /** What paused or Observe means, for a condition's message. */
  protected static String observeMode(String reason) {
    return reason.equals(PAUSED)
        ? "paused: no writes to Twilio until the annotation "
            + SourceIpMapping.PAUSED_ANNOTATION
            + " is removed"
        : "managementPolicy Observe: never writes to Twilio";
  }

  /**
   * Twilio lost an object this resource had adopted by its external-sid annotation, and the
   * operator made {@code madeSid} in its place: a Warning that the annotation (in Git) is stale.
   */
  protected void staleAnnotation(R resource, String object, String staleSid, String madeSid) {
    events.warning(
        resource,
        EventReasons.RECREATED,
        "Twilio no longer holds "
            + object
            + " "
            + staleSid
            + ", adopted earlier by the annotation "
            + SourceIpMapping.EXTERNAL_SID_ANNOTATION
            + "; made "
            + madeSid
            + " in its place. The annotation (in Git?) names one that is gone: update it to "
            + madeSid
            + " or remove it");
  }

  /** Whether {@code r} lives in {@code account}. */
  protected boolean sameAccount(R r, Account account) {
    try {
      return accounts
          .forResource(r.getMetadata().getNamespace(), accountRef(r))
          .accountSid()
          .equals(account.accountSid());
    } catch (AccountUnavailableException e) {
      return false;
    }
  }

  // ---- status -------------------------------------------------------------------------------

  protected UpdateControl<R> finishWithEvent(
      R resource, B status, String reason, String message, Duration reschedule) {
    if (status.changed()) {
      events.warning(resource, reason, message);
    }
    return finish(resource, status, reschedule);
  }

  protected UpdateControl<R> finish(R resource, B status, Duration reschedule) {
    return status.finish(resource, reschedule);
  }

  /** Cleanup cannot return a status: it is written directly (whole), when it changed. */
  protected void patchStatusIfChanged(Context<R> context, R resource, B status) {
    if (status.changed()) {
      S next = status.build();
      statusWriter.write(context, resource, next);
      resource.setStatus(next);
    }
  }

  // ---- annotations every kind honours -------------------------------------------------------

  /** The resync interval the resource asks for, else the operator's. */
  protected Duration resyncInterval(R resource) {
    String value = annotation(resource, SourceIpMapping.RESYNC_INTERVAL_ANNOTATION);
    Duration parsed = value == null ? null : SpecValidator.parseInterval(value);
    return parsed == null ? resyncInterval : parsed;
  }

  /** Reschedules at the resource's own interval only when it asked for one. */
  protected Duration ownReschedule(R resource, Duration interval) {
    return annotation(resource, SourceIpMapping.RESYNC_INTERVAL_ANNOTATION) == null
        ? null
        : interval;
  }

  protected static boolean hasResyncAnnotation(HasMetadata resource) {
    return annotation(resource, SourceIpMapping.RESYNC_INTERVAL_ANNOTATION) != null;
  }

  protected static boolean isPaused(HasMetadata resource) {
    return "true".equals(annotation(resource, SourceIpMapping.PAUSED_ANNOTATION));
  }

  static String annotation(HasMetadata resource, String key) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  protected static String statusSid(CustomResource<?, ? extends ConditionedStatus> resource) {
    return resource.getStatus() == null ? null : resource.getStatus().getSid();
  }

  protected static String adoptedExternalSid(
      CustomResource<?, ? extends ConditionedStatus> resource) {
    return resource.getStatus() == null ? null : resource.getStatus().getAdoptedExternalSid();
  }

  static boolean sameResource(HasMetadata a, HasMetadata b) {
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }

  static String describe(HasMetadata r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }
}
