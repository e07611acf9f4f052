package dev.byoc.sourceip.emulator;

import java.util.List;

/** One authenticated Twilio API request as the handlers see it. */
record Call(String method, String path, String accountSid, List<String> pathVars, Params params) {

  /** The path variable at index i, which must be a SID with this prefix; otherwise 404. */
  String pathSid(int i, String prefix) {
    String value = pathVars.get(i);
    if (!Sids.matches(prefix, value)) {
      throw TwilioError.notFound(path);
    }
    return value;
  }

  /** A 2010 path's AccountSid, which must be the authenticated account; otherwise 404. */
  String pathAccount(int i) {
    String value = pathVars.get(i);
    if (!value.equals(accountSid)) {
      throw TwilioError.notFound(path);
    }
    return value;
  }
}
