package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.api.v1alpha1.Reasons;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingStatus;
import dev.byoc.sourceip.twilio.TwilioMapping;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status a reconcile ends with, built from a copy of the current one, so that it is written
 * only when its content changed.
 */
final class StatusBuilder {
  private final SourceIpMapping resource;
  private final SourceIpMappingStatus status = new SourceIpMappingStatus();
  private final long generation;
  private final Instant now;

  StatusBuilder(SourceIpMapping resource, Instant now) {
    this.resource = resource;
    this.now = now;
    Long gen = resource.getMetadata().getGeneration();
    this.generation = gen == null ? 0 : gen;
    SourceIpMappingStatus current = resource.getStatus();
    if (current != null) {
      status.setSid(current.getSid());
      status.setIpRecordSid(current.getIpRecordSid());
      status.setSipDomainSid(current.getSipDomainSid());
      status.setUrl(current.getUrl());
      status.setDateCreated(current.getDateCreated());
      status.setDateUpdated(current.getDateUpdated());
      status.setAdoptedExternalSid(current.getAdoptedExternalSid());
      status.setConditions(new ArrayList<>(current.getConditions()));
    }
    status.setObservedGeneration(generation);
  }

  /** Reports the mapping Twilio holds (or, with null, that it holds none). */
  StatusBuilder observed(TwilioMapping mapping) {
    status.setSid(mapping == null ? null : mapping.sid());
    status.setIpRecordSid(mapping == null ? null : mapping.ipRecordSid());
    status.setSipDomainSid(mapping == null ? null : mapping.sipDomainSid());
    status.setUrl(mapping == null ? null : mapping.url());
    status.setDateCreated(
        mapping == null || mapping.dateCreated() == null ? null : mapping.dateCreated().toString());
    status.setDateUpdated(
        mapping == null || mapping.dateUpdated() == null ? null : mapping.dateUpdated().toString());
    return this;
  }

  /** Records that the mapping named by the external-sid annotation was adopted. */
  StatusBuilder adoptedExternal(String sid) {
    status.setAdoptedExternalSid(sid);
    return this;
  }

  StatusBuilder ready(boolean value, String reason, String message) {
    status.setConditions(
        Conditions.with(
            status.getConditions(), Conditions.READY, value, reason, message, generation, now));
    return this;
  }

  StatusBuilder synced(boolean value, String reason, String message) {
    status.setConditions(
        Conditions.with(
            status.getConditions(), Conditions.SYNCED, value, reason, message, generation, now));
    return this;
  }

  /** Both conditions false with the same reason and message. */
  StatusBuilder failed(String reason, String message) {
    return ready(false, reason, message).synced(false, reason, message);
  }

  boolean changed() {
    settleKstatus();
    return !Objects.equals(resource.getStatus(), status);
  }

  SourceIpMappingStatus build() {
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
      if (Reasons.STALLING.contains(synced.getReason())) {
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
