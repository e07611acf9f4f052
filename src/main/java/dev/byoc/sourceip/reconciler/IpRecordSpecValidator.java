package dev.byoc.sourceip.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import dev.byoc.sourceip.api.v1alpha1.IpRecord;
import dev.byoc.sourceip.api.v1alpha1.IpRecordSpec;
import dev.byoc.sourceip.api.v1alpha1.ManagementPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks an IpRecord against the rules its schema states, as {@link SpecValidator} does for a
 * mapping, since an API server (or the test mock server) may not have enforced them.
 */
final class IpRecordSpecValidator {
  private static final Pattern IP_ADDRESS = Pattern.compile(IpRecordSpec.IP_ADDRESS_PATTERN);
  private static final Pattern IP_RECORD = Pattern.compile("^IL[0-9a-fA-F]{32}$");
  private static final String FIELDS =
      "ipAddress, cidrPrefixLength, friendlyName, deletionPolicy, managementPolicy, accountRef";

  private IpRecordSpecValidator() {}

  static List<String> problems(IpRecord resource) {
    List<String> problems = new ArrayList<>();
    IpRecordSpec spec = resource.getSpec();
    if (spec == null) {
      problems.add("spec is missing or not an object");
      return problems;
    }
    Map<String, JsonNode> unreadable = spec.getUnreadable();
    if (!unreadable.containsKey("ipAddress")) {
      ipAddress(problems, spec.getIpAddress());
    }
    Integer prefix = spec.getCidrPrefixLength();
    if (prefix != null
        && (prefix < IpRecordSpec.MIN_CIDR_PREFIX_LENGTH
            || prefix > IpRecordSpec.MAX_CIDR_PREFIX_LENGTH)) {
      problems.add(
          "spec.cidrPrefixLength "
              + prefix
              + " is out of range: expected "
              + IpRecordSpec.MIN_CIDR_PREFIX_LENGTH
              + " to "
              + IpRecordSpec.MAX_CIDR_PREFIX_LENGTH
              + " (omitted means 32)");
    }
    String friendlyName = spec.getFriendlyName();
    if (friendlyName != null) {
      int length = friendlyName.codePointCount(0, friendlyName.length());
      if (length > IpRecordSpec.FRIENDLY_NAME_MAX_LENGTH) {
        problems.add(
            "spec.friendlyName is "
                + length
                + " characters long: Twilio takes at most "
                + IpRecordSpec.FRIENDLY_NAME_MAX_LENGTH);
      }
    }
    SpecValidator.accountRef(problems, spec.getAccountRef());
    unreadable.forEach((name, value) -> problems.add(unreadable(name, value)));
    SpecValidator.annotations(problems, resource.getMetadata().getAnnotations(), IP_RECORD, "IL");
    return problems;
  }

  private static void ipAddress(List<String> problems, String address) {
    if (address == null || address.isEmpty()) {
      problems.add("spec.ipAddress is required");
    } else if (address.length() > 15 || !IP_ADDRESS.matcher(address).matches()) {
      problems.add(
          "spec.ipAddress '"
              + SpecValidator.abbreviate(address)
              + "' is not an IPv4 address in dotted decimal notation: four numbers 0-255"
              + " without leading zeros, such as 203.0.113.10 (Twilio takes IPv4 only)");
    }
  }

  /** What is wrong with a spec field the reader could not use. */
  private static String unreadable(String name, JsonNode value) {
    return switch (name) {
      case "ipAddress", "friendlyName" ->
          "spec." + name + " must be a string, not " + SpecValidator.kind(value);
      case "cidrPrefixLength" ->
          "spec.cidrPrefixLength must be a whole number from 1 to 32, not "
              + (value.isNumber()
                  ? SpecValidator.abbreviate(value.toString())
                  : SpecValidator.kind(value));
      case "deletionPolicy" -> SpecValidator.notOneOf(name, value, DeletionPolicy.values());
      case "managementPolicy" -> SpecValidator.notOneOf(name, value, ManagementPolicy.values());
      case "accountRef" -> SpecValidator.unreadableAccountRef(value);
      default ->
          "spec."
              + SpecValidator.abbreviate(name)
              + " is not a field of IpRecord "
              + IpRecord.VERSION
              + " ("
              + FIELDS
              + "): a typo, or a CRD newer than this operator";
    };
  }
}
