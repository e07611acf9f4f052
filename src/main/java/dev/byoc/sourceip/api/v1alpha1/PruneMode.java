package dev.byoc.sourceip.api.v1alpha1;

/** What an account does with Twilio objects that no resource claims. */
public enum PruneMode {
  /** Nothing: they are neither counted by name nor deleted. */
  Off,
  /** Named in the account's status, one Event each; never deleted. */
  Report,
  /** Reported, then deleted once unclaimed for the grace period, within the guards. */
  Delete
}
