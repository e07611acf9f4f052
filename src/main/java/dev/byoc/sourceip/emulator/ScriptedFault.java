package dev.byoc.sourceip.emulator;

import java.util.Locale;

/**
 * A one-shot fault: the first request that matches (method and path template, when given) consumes
 * it. fault is one of the {@link FaultKind} names: "429", "500", "503", "reset-before",
 * "reset-after", "huge-error", or a spoiled answer ("malformed-json", "html", ...).
 */
public record ScriptedFault(
    String fault, String method, String pathTemplate, Integer retryAfterSeconds) {

  public ScriptedFault {
    fault = FaultKind.parse(fault).wireName;
    method = method == null || method.isBlank() ? null : method.trim().toUpperCase(Locale.ROOT);
    pathTemplate = pathTemplate == null || pathTemplate.isBlank() ? null : pathTemplate;
    if (retryAfterSeconds != null && retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
    }
  }

  public static ScriptedFault of(String fault) {
    return new ScriptedFault(fault, null, null, null);
  }

  public ScriptedFault withRetryAfterSeconds(Integer seconds) {
    return new ScriptedFault(fault, method, pathTemplate, seconds);
  }

  public ScriptedFault forMethod(String httpMethod) {
    return new ScriptedFault(fault, httpMethod, pathTemplate, retryAfterSeconds);
  }

  /** Restricts the fault to a path template such as "/v1/SourceIpMappings/{Sid}". */
  public ScriptedFault forPath(String template) {
    return new ScriptedFault(fault, method, template, retryAfterSeconds);
  }

  boolean matches(String requestMethod, String template) {
    return (method == null || method.equalsIgnoreCase(requestMethod))
        && (pathTemplate == null || pathTemplate.equals(template));
  }

  FaultKind kind() {
    return FaultKind.parse(fault);
  }
}
