package dev.byoc.sourceip.api.v1alpha1;

/** What happens at Twilio when the resource is deleted. */
public enum DeletionPolicy {
  /** Delete the mapping at Twilio, then release the resource. */
  Delete,
  /** Leave the mapping at Twilio untouched. */
  Orphan
}
