package dev.byoc.sourceip.emulator;

/**
 * The paging parameters of a list request: PageSize (1..1000, default 50), Page (client state) and
 * PageToken ("PA" + sid = after that sid, "PB" + sid = before it).
 */
record PageRequest(int pageSize, int page, String token) {
  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 1000;

  /** Reads and checks the paging parameters; sidPrefix is the listed resource's SID prefix. */
  static PageRequest parse(Params query, String sidPrefix) {
    int pageSize = query.get("PageSize").map(PageRequest::pageSize).orElse(DEFAULT_PAGE_SIZE);
    int page = query.get("Page").map(PageRequest::page).orElse(0);
    String token = query.get("PageToken").filter(t -> !t.isEmpty()).orElse(null);
    if (token != null
        && !((token.startsWith("PA") || token.startsWith("PB"))
            && Sids.matches(sidPrefix, token.substring(2)))) {
      throw TwilioError.invalidParameter("PageToken", "'" + token + "' is not a valid page token");
    }
    return new PageRequest(pageSize, page, token);
  }

  private static int pageSize(String text) {
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw TwilioError.invalidParameter("PageSize", "'" + text + "' is not an integer");
    }
    if (value > MAX_PAGE_SIZE) {
      throw TwilioError.pageSizeTooLarge(value);
    }
    if (value < 1) {
      throw TwilioError.invalidParameter("PageSize", value + " is less than 1");
    }
    return (int) value;
  }

  private static int page(String text) {
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw TwilioError.invalidParameter("Page", "'" + text + "' is not an integer");
    }
    if (value < 0) {
      throw TwilioError.invalidParameter("Page", value + " is negative");
    }
    return value;
  }

  boolean after() {
    return token != null && token.startsWith("PA");
  }

  boolean before() {
    return token != null && token.startsWith("PB");
  }

  String tokenSid() {
    return token == null ? null : token.substring(2);
  }
}
