package dev.byoc.sourceip.twilio;

/** The three kinds of failure that decide what every caller does next (see docs/design.md). */
public enum ErrorClass {
  /** Will fail again until the desired state changes: do not retry, report why. */
  TERMINAL,
  /** Twilio refused the credentials (401/403): mark the account, let resources wait. */
  CREDENTIALS,
  /** Rate limits, server errors, I/O: back off and try again later. */
  RECOVERABLE
}
