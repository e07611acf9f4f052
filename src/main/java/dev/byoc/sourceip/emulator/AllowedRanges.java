package dev.byoc.sourceip.emulator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The address ranges each account's Interconnect allows IP records in (empty: everything), so that
 * tests can show Twilio refusing an address outside them. An account without its own list has the
 * default one.
 */
final class AllowedRanges {
  private final Map<String, List<Ipv4Block>> byAccount = new ConcurrentHashMap<>();
  private volatile List<Ipv4Block> defaults = List.of();

  void setDefault(List<Ipv4Block> ranges) {
    defaults = List.copyOf(ranges);
  }

  void set(String accountSid, List<Ipv4Block> ranges) {
    byAccount.put(accountSid, List.copyOf(ranges));
  }

  List<Ipv4Block> of(String accountSid) {
    return byAccount.getOrDefault(accountSid, defaults);
  }

  /** Refuses, as a Twilio 400 on IpAddress, an IP record outside the account's ranges. */
  void check(String accountSid, String ip, int cidr) {
    List<Ipv4Block> ranges = of(accountSid);
    if (ranges.isEmpty() || ranges.stream().anyMatch(r -> r.contains(ip, cidr))) {
      return;
    }
    throw TwilioError.invalidParameter(
        "IpAddress",
        ip
            + "/"
            + cidr
            + " is outside the address ranges the Interconnect of account "
            + accountSid
            + " allows ("
            + ranges.stream().map(Ipv4Block::toString).collect(Collectors.joining(", "))
            + ")");
  }
}
