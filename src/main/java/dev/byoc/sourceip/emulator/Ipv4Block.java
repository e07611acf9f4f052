package dev.byoc.sourceip.emulator;

import java.util.regex.Pattern;

/** An IPv4 CIDR block such as 203.0.113.0/24, to tell whether an IP record lies inside it. */
public record Ipv4Block(int network, int prefixLength) {
  private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

  public Ipv4Block {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length must be within 0..32: " + prefixLength);
    }
    if ((network & ~mask(prefixLength)) != 0) {
      throw new IllegalArgumentException(
          "host bits set in " + dotted(network) + "/" + prefixLength);
    }
  }

  /**
   * Parses "a.b.c.d/n" (or "a.b.c.d", meaning /32) with the network address exact, e.g. not
   * 203.0.113.7/24.
   *
   * @throws IllegalArgumentException naming the value if it is not such a block
   */
  public static Ipv4Block parse(String value) {
    String text = value == null ? "" : value.trim();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    Integer address32 = address(address);
    int length = -1;
    if (slash < 0) {
      length = 32;
    } else if (text.substring(slash + 1).matches("[0-9]{1,2}")) {
      length = Integer.parseInt(text.substring(slash + 1));
    }
    if (address32 == null || length < 0 || length > 32) {
      throw new IllegalArgumentException(
          "'" + value + "' is not an IPv4 CIDR block such as 203.0.113.0/24");
    }
    if ((address32 & ~mask(length)) != 0) {
      throw new IllegalArgumentException(
          "'"
              + value
              + "' has host bits set; the block is "
              + dotted(address32 & mask(length))
              + "/"
              + length);
    }
    return new Ipv4Block(address32, length);
  }

  /** The 32-bit value of a dotted-decimal IPv4 address without leading zeros, or null. */
  static Integer address(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    int value = 0;
    for (String part : parts) {
      if (!OCTET.matcher(part).matches() || Integer.parseInt(part) > 255) {
        return null;
      }
      value = (value << 8) | Integer.parseInt(part);
    }
    return value;
  }

  /** Whether the block ip/length (an IP record) lies wholly inside this block. */
  boolean contains(String ip, int length) {
    Integer value = address(ip);
    return value != null && length >= prefixLength && (value & mask(prefixLength)) == network;
  }

  private static int mask(int length) {
    return length == 0 ? 0 : -1 << (32 - length);
  }

  private static String dotted(int value) {
    return (value >>> 24)
        + "."
        + ((value >>> 16) & 255)
        + "."
        + ((value >>> 8) & 255)
        + "."
        + (value & 255);
  }

  @Override
  public String toString() {
    return dotted(network) + "/" + prefixLength;
  }
}
