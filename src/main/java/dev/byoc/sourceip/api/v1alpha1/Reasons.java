package dev.byoc.sourceip.api.v1alpha1;

/**
 * The condition reasons every kind uses. A reason is part of the API: each has a row in the
 * README's troubleshooting table.
 */
public final class Reasons {
  /** Ready=True: the mapping exists at Twilio as the spec wants. */
  public static final String AVAILABLE = "Available";

  /** Synced=True: the last reconcile made Twilio match the spec. */
  public static final String RECONCILE_SUCCESS = "ReconcileSuccess";

  /** A create is under way or its outcome is being looked up. */
  public static final String CREATING = "Creating";

  /** The resource is being deleted and Twilio has not confirmed yet. */
  public static final String DELETING = "Deleting";

  /** Another resource already manages the same IP record in the same account. */
  public static final String CONFLICT = "Conflict";

  /** Something the spec points at does not exist at Twilio (yet). */
  public static final String REFERENCE_NOT_READY = "ReferenceNotReady";

  /** The spec breaks a rule the schema states (the API server may not have enforced it). */
  public static final String INVALID_SPEC = "InvalidSpec";

  /** Twilio refused the request with a 4xx; retried only when the spec changes or at resync. */
  public static final String TWILIO_REJECTED = "TwilioRejected";

  /** Twilio refused the credentials, or none are configured. */
  public static final String CREDENTIALS_INVALID = "CredentialsInvalid";

  /** Rate limits, server errors or the network: retried with backoff. */
  public static final String TWILIO_UNAVAILABLE = "TwilioUnavailable";

  /** A ClusterTwilioAccount's namespaceSelector does not admit the resource's namespace. */
  public static final String ACCOUNT_NOT_ALLOWED = "AccountNotAllowed";

  /**
   * The resource's Twilio object lives in another account than the one it resolves to now; Twilio
   * cannot move objects between accounts.
   */
  public static final String ACCOUNT_CHANGED = "AccountChanged";

  /** The paused annotation stops all writes. */
  public static final String PAUSED = "Paused";

  /** managementPolicy Observe: the operator only reports what Twilio holds. */
  public static final String OBSERVING = "Observing";

  /** The reasons a Ready condition can give, in the order the metrics list them. */
  public static final java.util.List<String> READY =
      java.util.List.of(
          AVAILABLE,
          CREATING,
          DELETING,
          CONFLICT,
          REFERENCE_NOT_READY,
          INVALID_SPEC,
          TWILIO_REJECTED,
          CREDENTIALS_INVALID,
          ACCOUNT_NOT_ALLOWED,
          ACCOUNT_CHANGED,
          TWILIO_UNAVAILABLE,
          PAUSED,
          OBSERVING);

  /**
   * The reasons that make {@code Stalled=True}: the resource cannot converge until someone changes
   * the spec, the credentials, Twilio's data or the other claimant.
   */
  public static final java.util.Set<String> STALLING =
      java.util.Set.of(
          INVALID_SPEC,
          TWILIO_REJECTED,
          CONFLICT,
          CREDENTIALS_INVALID,
          REFERENCE_NOT_READY,
          ACCOUNT_NOT_ALLOWED,
          ACCOUNT_CHANGED);

  private Reasons() {}
}
