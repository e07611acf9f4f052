package dev.byoc.sourceip.api.v1alpha1;

/** The two kinds of account a resource's spec.accountRef can name. */
public enum AccountKind {
  /** A TwilioAccount in the resource's own namespace. */
  TwilioAccount,
  /** A ClusterTwilioAccount whose namespaceSelector admits the resource's namespace. */
  ClusterTwilioAccount
}
