package dev.byoc.sourceip.api.v1alpha1;

/** Whether the operator may write to Twilio for this resource. */
public enum ManagementPolicy {
  /** Create, update and delete at Twilio to match the spec. */
  Manage,
  /** Never write; report what Twilio holds for the same IP record. */
  Observe
}
