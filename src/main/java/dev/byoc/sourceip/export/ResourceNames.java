package dev.byoc.sourceip.export;

import dev.byoc.sourceip.twilio.TwilioIpRecord;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Readable, unique Kubernetes names for exported resources: DNS-1123 labels (lower-case letters,
 * digits and '-', at most 63 characters, starting and ending with a letter or digit), derived from
 * what a person called the thing at Twilio, and the same on every run for the same input.
 */
public final class ResourceNames {
  /** The longest DNS-1123 label. */
  public static final int MAX_LENGTH = 63;

  /** The longest {@code --name-prefix}, so that a prefixed name keeps room for its own part. */
  public static final int MAX_PREFIX_LENGTH = 30;

  private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern PREFIX = Pattern.compile("^[a-z0-9][-a-z0-9]*$");
  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-z0-9]+");
  private static final Pattern EDGE_DASHES = Pattern.compile("^-+|-+$");

  private ResourceNames() {}

  /** Whether {@code name} is a DNS-1123 label, as namespaces and these resources' names are. */
  public static boolean isValid(String name) {
    return name != null && name.length() <= MAX_LENGTH && LABEL.matcher(name).matches();
  }

  /** Whether {@code prefix} may start a name: a letter or digit first, then also '-'. */
  public static boolean isValidPrefix(String prefix) {
    return prefix != null
        && (prefix.isEmpty()
            || (prefix.length() <= MAX_PREFIX_LENGTH && PREFIX.matcher(prefix).matches()));
  }

  /**
   * The name an IP record suggests: its friendly name when that leaves any letter or digit ("PBX
   * East (NYC)" becomes {@code pbx-east-nyc}), else its address and, unless 32, its prefix length
   * ({@code ip-203-0-113-10}, {@code ip-198-51-100-0-24}). Not yet unique and not yet shortened.
   */
  public static String forIpRecord(TwilioIpRecord record) {
    String fromFriendlyName = sanitize(record.friendlyName());
    return fromFriendlyName.isEmpty()
        ? forAddress(record.ipAddress(), record.cidrPrefixLength())
        : fromFriendlyName;
  }

  /** {@code ip-203-0-113-10} for a single address, {@code ip-198-51-100-0-24} for a range. */
  public static String forAddress(String ipAddress, Integer cidrPrefixLength) {
    String address = sanitize(ipAddress);
    String range = cidrPrefixLength == null || cidrPrefixLength == 32 ? "" : "-" + cidrPrefixLength;
    return "ip-" + (address.isEmpty() ? "unknown" : address) + range;
  }

  /**
   * Lower case, accents dropped, every run of other characters one '-', no '-' at either end; empty
   * when nothing usable is left (null, blank, only symbols or non-Latin script).
   */
  public static String sanitize(String text) {
    if (text == null) {
      return "";
    }
    String plain = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("");
    String dashed = NOT_ALLOWED.matcher(plain.toLowerCase(Locale.ROOT)).replaceAll("-");
    return EDGE_DASHES.matcher(dashed).replaceAll("");
  }

  /**
   * Unique names for {@code bases} (each from {@link #sanitize} or {@link #forIpRecord}, not
   * empty), in the same order: {@code prefix + base} shortened to {@value #MAX_LENGTH}; a repeat
   * gets the first free suffix {@code -2}, {@code -3}, ... A suffixed name never takes a name that
   * another base yields by itself, so a resource whose name is unique keeps it whatever else is
   * exported. The result depends only on the list, so a stable order gives stable names.
   */
  public static List<String> unique(String prefix, List<String> bases) {
    if (!isValidPrefix(prefix)) {
      throw new IllegalArgumentException("not a name prefix: '" + prefix + "'");
    }
    List<String> texts = new ArrayList<>(bases.size());
    for (String base : bases) {
      if (Objects.requireNonNull(base, "base").isEmpty() || !sanitize(base).equals(base)) {
        throw new IllegalArgumentException("not a sanitized base name: '" + base + "'");
      }
      texts.add(prefix + base);
    }
    return unique(texts);
  }

  /**
   * Unique names for {@code texts} that are already prefixed (a prefix and a base, or another
   * kind's exported name, which a resource naming it should share), by the same rule as {@link
   * #unique(String, List)}: each shortened to {@value #MAX_LENGTH}, a repeat suffixed {@code -2},
   * {@code -3}, ... but never with a name that another text yields by itself.
   */
  public static List<String> unique(List<String> texts) {
    List<String> natural = new ArrayList<>(texts.size());
    for (String text : texts) {
      if (!LABEL.matcher(Objects.requireNonNull(text, "text")).matches()) {
        throw new IllegalArgumentException("not a name but for its length: '" + text + "'");
      }
      natural.add(fit(text, ""));
    }
    Set<String> reserved = new HashSet<>(natural);
    Set<String> taken = new HashSet<>();
    List<String> names = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      String name = natural.get(i);
      for (int n = 2; taken.contains(name); n++) {
        String candidate = fit(texts.get(i), "-" + n);
        if (!reserved.contains(candidate)) { // else it is another text's own name: look further
          name = candidate;
        }
      }
      taken.add(name);
      names.add(name);
    }
    return names;
  }

  /** {@code text} cut so that it and {@code suffix} fit in a label, with no '-' left at the cut. */
  private static String fit(String text, String suffix) {
    String cut = text.substring(0, Math.min(text.length(), MAX_LENGTH - suffix.length()));
    return EDGE_DASHES.matcher(cut).replaceAll("") + suffix;
  }
}
