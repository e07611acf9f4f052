package dev.byoc.sourceip.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What every kind's status shares: the Twilio SID it manages, the external-sid annotation value it
 * adopted, its conditions and the generation they describe. The reconcilers' common code reads and
 * writes statuses through it.
 */
public interface ConditionedStatus {
  String getSid();

  /** The account that holds the Twilio object {@link #getSid()} names. */
  String getAccountSid();

  void setAccountSid(String accountSid);

  String getAdoptedExternalSid();

  void setAdoptedExternalSid(String adoptedExternalSid);

  Long getObservedGeneration();

  void setObservedGeneration(Long observedGeneration);

  List<Condition> getConditions();

  void setConditions(List<Condition> conditions);
}
