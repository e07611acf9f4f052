package dev.byoc.sourceip.account;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Whether a namespace's labels satisfy a ClusterTwilioAccount's namespaceSelector, with the API
 * server's semantics (matchLabels and matchExpressions ANDed; In, NotIn, Exists, DoesNotExist).
 * Kubernetes gives clients no such matcher, and the server cannot do it for us: the labels of one
 * namespace are matched against many selectors.
 */
final class NamespaceSelector {
  private NamespaceSelector() {}

  /**
   * True when {@code labels} satisfy {@code selector}. A null selector admits nothing (an account
   * is offered on purpose); an empty one admits every namespace. An unknown operator admits
   * nothing.
   */
  static boolean admits(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!satisfies(r, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean satisfies(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String operator = r.getOperator() == null ? "" : r.getOperator();
    return switch (operator) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      default -> false;
    };
  }

  /** Says what the selector asks, for a condition message. */
  static String describe(LabelSelector selector) {
    if (selector == null) {
      return "no namespaceSelector (admits no namespace)";
    }
    StringBuilder out = new StringBuilder();
    if (selector.getMatchLabels() != null) {
      selector.getMatchLabels().forEach((k, v) -> append(out, k + "=" + v));
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        append(
            out,
            r.getKey()
                + " "
                + r.getOperator()
                + (r.getValues() == null || r.getValues().isEmpty() ? "" : " " + r.getValues()));
      }
    }
    return out.length() == 0 ? "{} (every namespace)" : out.toString();
  }

  private static void append(StringBuilder out, String part) {
    if (out.length() > 0) {
      out.append(", ");
    }
    out.append(part);
  }
}
