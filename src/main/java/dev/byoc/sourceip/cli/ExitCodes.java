package dev.byoc.sourceip.cli;

/** Exit codes shared by every command. */
final class ExitCodes {
  static final int OK = 0;

  /** The product ran and failed (unreachable API, refused credentials, ...). */
  static final int FAILURE = 1;

  /** The command line or configuration is wrong. */
  static final int USAGE = 2;

  private ExitCodes() {}
}
