package dev.byoc.sourceip.account;

import java.util.Collection;

/**
 * Which Twilio account holds the resources of a namespace. Today one account from the operator's
 * environment; the seam for per-namespace accounts.
 */
public interface TwilioAccounts {

  /**
   * The account for resources in {@code namespace}.
   *
   * @throws AccountUnavailableException when no usable credentials exist for it
   */
  TwilioAccount forNamespace(String namespace);

  /** Every account known so far (for resyncs). */
  Collection<TwilioAccount> all();
}
