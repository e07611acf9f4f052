package dev.byoc.sourceip.twilio;

import java.util.List;

/** API 2010 SIP Domains of one account: read only, to resolve a domain name to its SID. */
public interface SipDomainsClient {

  /** Every SIP domain of the account, page by page. */
  List<SipDomain> listSipDomains();
}
