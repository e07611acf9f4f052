package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.api.v1alpha1.ConditionedStatus;
import dev.byoc.sourceip.api.v1alpha1.Reasons;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status a reconcile ends with, built from a copy of the current one, so that it is written
 * only when its content changed. The conditions are every kind's; a subclass adds what its kind
 * reports from Twilio.
 */
abstract class StatusBuilder<S extends ConditionedStatus, B extends StatusBuilder<S, B>> {
  private final CustomResource<?, S> resource;
  protected final S status;
  private final long generation;
  private final Instant now;
  private boolean waiting;

  /** {@code copy} is a copy of the resource's status (a new one when it has none). */
  protected StatusBuilder(CustomResource<?, S> resource, S copy, Instant now) {
    this.resource = resource;
    this.status = copy;
    this.now = now;
    Long gen = resource.getMetadata().getGeneration();
    this.generation = gen == null ? 0 : gen;
    if (resource.getStatus() != null) {
      status.setAdoptedExternalSid(resource.getStatus().getAdoptedExternalSid());
      status.setAccountSid(resource.getStatus().getAccountSid());
      status.setConditions(new ArrayList<>(resource.getStatus().getConditions()));
    }
    status.setObservedGeneration(generation);
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /** Records the account the resource's Twilio object lives in. */
  B account(String accountSid) {
    status.setAccountSid(accountSid);
    return self();
  }

  /** Records that the object named by the external-sid annotation was adopted. */
  B adoptedExternal(String sid) {
    status.setAdoptedExternalSid(sid);
    return self();
  }

  B ready(boolean value, String reason, String message) {
    status.setConditions(
        Conditions.with(
            status.getConditions(), Conditions.READY, value, reason, message, generation, now));
    return self();
  }

  B synced(boolean value, String reason, String message) {
    status.setConditions(
        Conditions.with(
            status.getConditions(), Conditions.SYNCED, value, reason, message, generation, now));
    return self();
  }

  /** Both conditions false with the same reason and message. */
  B failed(String reason, String message) {
    return ready(false, reason, message).synced(false, reason, message);
  }

  /**
   * Both conditions false, for something that ends by itself (another resource becoming Ready):
   * kstatus reads {@code Reconciling=True}, not {@code Stalled}, whatever the reason.
   */
  B waiting(String reason, String message) {
    waiting = true;
    return failed(reason, message);
  }

  boolean changed() {
    settleKstatus();
    return !Objects.equals(resource.getStatus(), status);
  }

  /**
   * The reconcile's answer for {@code resource} (the one this status is built for): its status
   * patched when it changed, nothing otherwise; rescheduled when {@code reschedule} is given.
   */
  <R extends CustomResource<?, S>> UpdateControl<R> finish(R resource, Duration reschedule) {
    UpdateControl<R> control;
    if (changed()) {
      resource.setStatus(build());
      control = UpdateControl.patchStatus(resource);
    } else {
      control = UpdateControl.noUpdate();
    }
    return reschedule == null ? control : control.rescheduleAfter(reschedule);
  }

  S build() {
    settleKstatus();
    return status;
  }

  /**
   * Derives kstatus's abnormal-true conditions from Synced (the outcome of the last attempt) and
   * Ready: {@code Stalled=True} when that outcome is one only a change by someone can end, {@code
   * Reconciling=True} while a create, delete or update is being retried; otherwise both False with
   * Synced's reason. Always present once Synced is, so the list of conditions keeps its length and
   * order: a JSON patch computed against a stale copy never removes an index that is gone (a real
   * API server answers such a patch 422, fabric8's CRUD mock, which the sandbox embeds, never
   * answers it). Paused and Observing set neither True: a user's choice, not a failure. Idempotent,
   * so {@link #changed()} stays a plain comparison. See docs/status.md.
   */
  private void settleKstatus() {
    Condition synced = Conditions.find(status.getConditions(), Conditions.SYNCED);
    String stalled = null;
    String reconciling = null;
    if (synced != null && "False".equals(synced.getStatus())) {
      if (waiting) {
        reconciling = synced.getReason();
      } else if (Reasons.STALLING.contains(synced.getReason())) {
        stalled = synced.getReason();
      } else if (Reasons.TWILIO_UNAVAILABLE.equals(synced.getReason())) {
        Condition ready = Conditions.find(status.getConditions(), Conditions.READY);
        boolean creatingOrDeleting =
            ready != null
                && "False".equals(ready.getStatus())
                && (Reasons.CREATING.equals(ready.getReason())
                    || Reasons.DELETING.equals(ready.getReason()));
        reconciling = creatingOrDeleting ? ready.getReason() : Reasons.TWILIO_UNAVAILABLE;
      }
    }
    if (synced == null) {
      return; // no status reported yet
    }
    status.setConditions(abnormal(Conditions.STALLED, stalled, synced));
    status.setConditions(abnormal(Conditions.RECONCILING, reconciling, synced));
  }

  private List<Condition> abnormal(String type, String reason, Condition synced) {
    return reason == null
        ? Conditions.with(
            status.getConditions(), type, false, synced.getReason(), "", generation, now)
        : Conditions.with(
            status.getConditions(), type, true, reason, synced.getMessage(), generation, now);
  }
}
