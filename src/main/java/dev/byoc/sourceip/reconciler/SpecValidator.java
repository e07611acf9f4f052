package dev.byoc.sourceip.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoc.sourceip.api.v1alpha1.AccountReference;
import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.IpRecordReference;
import dev.byoc.sourceip.api.v1alpha1.ManagementPolicy;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a resource against the rules its schema states, since an API server (or the test mock
 * server) may not have enforced them; returns every problem, each naming the field.
 */
final class SpecValidator {
  private static final Pattern IP_RECORD =
      Pattern.compile(SourceIpMappingSpec.IP_RECORD_SID_PATTERN);
  private static final Pattern SIP_DOMAIN =
      Pattern.compile(SourceIpMappingSpec.SIP_DOMAIN_SID_PATTERN);
  private static final Pattern SIP_DOMAIN_NAME =
      Pattern.compile(SourceIpMappingSpec.SIP_DOMAIN_NAME_PATTERN);
  private static final Pattern MAPPING = Pattern.compile("^IB[0-9a-fA-F]{32}$");
  private static final String FIELDS =
      "ipRecordSid, ipRecordRef, sipDomainSid, sipDomainName, deletionPolicy, managementPolicy,"
          + " accountRef";
  private static final int MAX_NAME_LENGTH = 253;

  private SpecValidator() {}

  static List<String> problems(SourceIpMapping resource) {
    List<String> problems = new ArrayList<>();
    SourceIpMappingSpec spec = resource.getSpec();
    if (spec == null) {
      problems.add("spec is missing or not an object");
      return problems;
    }
    Map<String, JsonNode> unreadable = spec.getUnreadable();
    if (!unreadable.containsKey("ipRecordSid") && !unreadable.containsKey("ipRecordRef")) {
      ipRecord(problems, spec.getIpRecordSid(), spec.getIpRecordRef());
    }
    if (!unreadable.containsKey("sipDomainSid") && !unreadable.containsKey("sipDomainName")) {
      sipDomain(problems, spec.getSipDomainSid(), spec.getSipDomainName());
    }
    accountRef(problems, spec.getAccountRef());
    unreadable.forEach((name, value) -> problems.add(unreadable(name, value)));
    annotations(problems, resource.getMetadata().getAnnotations(), MAPPING, "IB");
    return problems;
  }

  /** Exactly one of ipRecordSid and ipRecordRef, and that one sound. */
  private static void ipRecord(List<String> problems, String sid, IpRecordReference ref) {
    boolean hasSid = sid != null && !sid.isEmpty();
    if (hasSid == (ref != null)) {
      problems.add(
          hasSid
              ? "spec.ipRecordSid and spec.ipRecordRef are both set: set exactly one"
              : "spec.ipRecordSid or spec.ipRecordRef is required: set exactly one");
    } else if (hasSid) {
      check(problems, "spec.ipRecordSid", sid, IP_RECORD, "IL");
    } else if (ref.getName() == null || ref.getName().isEmpty()) {
      problems.add("spec.ipRecordRef.name is required: the name of an IpRecord in this namespace");
    } else if (ref.getName().length() > MAX_NAME_LENGTH) {
      problems.add(
          "spec.ipRecordRef.name '"
              + abbreviate(ref.getName())
              + "' is longer than "
              + MAX_NAME_LENGTH
              + " characters, so it names no IpRecord");
    }
  }

  /** Exactly one of sipDomainSid and sipDomainName, and that one sound. */
  private static void sipDomain(List<String> problems, String sid, String name) {
    boolean hasSid = sid != null && !sid.isEmpty();
    boolean hasName = name != null && !name.isEmpty();
    if (hasSid == hasName) {
      problems.add(
          hasSid
              ? "spec.sipDomainSid and spec.sipDomainName are both set: set exactly one"
              : "spec.sipDomainSid or spec.sipDomainName is required: set exactly one");
    } else if (hasSid) {
      check(problems, "spec.sipDomainSid", sid, SIP_DOMAIN, "SD");
    } else if (name.length() > SourceIpMappingSpec.SIP_DOMAIN_NAME_MAX_LENGTH
        || !SIP_DOMAIN_NAME.matcher(name).matches()) {
      problems.add(
          "spec.sipDomainName '"
              + abbreviate(name)
              + "' is not a domain name such as acme.sip.twilio.com: labels of letters, digits"
              + " and inner '-', separated by dots, at most "
              + SourceIpMappingSpec.SIP_DOMAIN_NAME_MAX_LENGTH
              + " characters");
    }
  }

  /** The annotations both kinds share; an external-sid must be a SID with the kind's prefix. */
  static void annotations(
      List<String> problems, Map<String, String> annotations, Pattern sid, String sidPrefix) {
    if (annotations != null) {
      String external = annotations.get(SourceIpMapping.EXTERNAL_SID_ANNOTATION);
      if (external != null) {
        check(
            problems,
            "annotation " + SourceIpMapping.EXTERNAL_SID_ANNOTATION,
            external,
            sid,
            sidPrefix);
      }
      String paused = annotations.get(SourceIpMapping.PAUSED_ANNOTATION);
      if (paused != null && !paused.equals("true") && !paused.equals("false")) {
        problems.add(
            "annotation " + SourceIpMapping.PAUSED_ANNOTATION + " must be \"true\" or \"false\"");
      }
      String resync = annotations.get(SourceIpMapping.RESYNC_INTERVAL_ANNOTATION);
      if (resync != null && parseInterval(resync) == null) {
        problems.add(
            "annotation "
                + SourceIpMapping.RESYNC_INTERVAL_ANNOTATION
                + " must be a duration of at least 10s such as 30s, 5m or 1h");
      }
    }
  }

  static void check(
      List<String> problems, String field, String value, Pattern pattern, String prefix) {
    if (value == null || value.isEmpty()) {
      problems.add(field + " is required");
    } else if (!pattern.matcher(value).matches()) {
      problems.add(
          field
              + " '"
              + abbreviate(value)
              + "' is not a SID: expected "
              + prefix
              + " followed by 32 hexadecimal digits");
    }
  }

  /** What is wrong with a spec field the reader could not use. */
  private static String unreadable(String name, JsonNode value) {
    return switch (name) {
      case "ipRecordSid", "sipDomainSid", "sipDomainName" ->
          "spec." + name + " must be a string, not " + kind(value);
      case "ipRecordRef" ->
          value.isObject()
              ? "spec.ipRecordRef must hold exactly one field, name, a string, not "
                  + abbreviate(value.toString())
              : "spec.ipRecordRef must be an object with a string name, not " + kind(value);
      case "deletionPolicy" -> notOneOf(name, value, DeletionPolicy.values());
      case "managementPolicy" -> notOneOf(name, value, ManagementPolicy.values());
      case "accountRef" -> unreadableAccountRef(value);
      default ->
          "spec."
              + abbreviate(name)
              + " is not a field of SourceIpMapping "
              + SourceIpMapping.VERSION
              + " ("
              + FIELDS
              + "): a typo, or a CRD newer than this operator";
    };
  }

  /**
   * What is wrong with an accountRef the reader could not use. No account is used then, not even
   * the namespace's default: a reference read in part could send writes to another account.
   */
  static String unreadableAccountRef(JsonNode value) {
    return value.isObject()
        ? "spec.accountRef must hold a string name and at most a kind, TwilioAccount or"
            + " ClusterTwilioAccount (case matters), not "
            + abbreviate(value.toString())
        : "spec.accountRef must be an object with a string name, not " + kind(value);
  }

  /** An accountRef that was read must name something. */
  static void accountRef(List<String> problems, AccountReference ref) {
    if (ref == null) {
      return;
    }
    if (ref.getName() == null || ref.getName().isEmpty()) {
      problems.add("spec.accountRef.name is required: the name of the account to use");
    } else if (ref.getName().length() > MAX_NAME_LENGTH) {
      problems.add(
          "spec.accountRef.name is longer than "
              + MAX_NAME_LENGTH
              + " characters, so it names no account");
    }
  }

  static String notOneOf(String name, JsonNode value, Enum<?>[] constants) {
    String allowed = Arrays.stream(constants).map(Enum::name).collect(Collectors.joining(", "));
    return value.isTextual()
        ? "spec."
            + name
            + " '"
            + abbreviate(value.textValue())
            + "' is not one of "
            + allowed
            + " (case matters)"
        : "spec." + name + " must be one of " + allowed + ", not " + kind(value);
  }

  static String kind(JsonNode value) {
    return switch (value.getNodeType()) {
      case OBJECT, POJO -> "an object";
      case ARRAY -> "an array";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** A duration such as 30s, 5m or 1h30m ({@link Durations#parse}) of at least 10s, or null. */
  static Duration parseInterval(String text) {
    try {
      Duration d = Durations.parse(text);
      return d.compareTo(Duration.ofSeconds(10)) >= 0 ? d : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String abbreviate(String value) {
    return value.length() > 64 ? value.substring(0, 64) + "..." : value;
  }
}
