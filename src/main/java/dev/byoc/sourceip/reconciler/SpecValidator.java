package dev.byoc.sourceip.reconciler;

import dev.byoc.sourceip.api.v1alpha1.SourceIpMapping;
import dev.byoc.sourceip.api.v1alpha1.SourceIpMappingSpec;
import dev.byoc.sourceip.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a resource against the rules its schema states, since an API server (or the test mock
 * server) may not have enforced them; returns every problem, each naming the field.
 */
final class SpecValidator {
  private static final Pattern IP_RECORD =
      Pattern.compile(SourceIpMappingSpec.IP_RECORD_SID_PATTERN);
  private static final Pattern SIP_DOMAIN =
      Pattern.compile(SourceIpMappingSpec.SIP_DOMAIN_SID_PATTERN);
  private static final Pattern MAPPING = Pattern.compile("^IB[0-9a-fA-F]{32}$");

  private SpecValidator() {}

  static List<String> problems(SourceIpMapping resource) {
    List<String> problems = new ArrayList<>();
    SourceIpMappingSpec spec = resource.getSpec();
    if (spec == null) {
      problems.add("spec is missing");
      return problems;
    }
    check(problems, "spec.ipRecordSid", spec.getIpRecordSid(), IP_RECORD, "IL");
    check(problems, "spec.sipDomainSid", spec.getSipDomainSid(), SIP_DOMAIN, "SD");
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    if (annotations != null) {
      String external = annotations.get(SourceIpMapping.EXTERNAL_SID_ANNOTATION);
      if (external != null) {
        check(
            problems,
            "annotation " + SourceIpMapping.EXTERNAL_SID_ANNOTATION,
            external,
            MAPPING,
            "IB");
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
    return problems;
  }

  private static void check(
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

  /** A duration such as 30s, 5m or 1h of at least 10 seconds, or null. */
  static Duration parseInterval(String text) {
    return Settings.parseDuration(text)
        .filter(d -> d.compareTo(Duration.ofSeconds(10)) >= 0)
        .orElse(null);
  }

  private static String abbreviate(String value) {
    return value.length() > 64 ? value.substring(0, 64) + "..." : value;
  }
}
