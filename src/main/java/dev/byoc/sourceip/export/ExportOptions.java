package dev.byoc.sourceip.export;

import dev.byoc.sourceip.api.v1alpha1.DeletionPolicy;
import java.util.Objects;

/**
 * How exported resources are written, whatever their kind.
 *
 * @param namespace the namespace of every resource (a DNS-1123 label)
 * @param namePrefix put before every generated name, e.g. {@code twilio-}; empty for none
 * @param deletionPolicy written into every spec, or null to leave the field unset (the default,
 *     {@code Delete}, then applies)
 */
public record ExportOptions(String namespace, String namePrefix, DeletionPolicy deletionPolicy) {

  public ExportOptions {
    if (!ResourceNames.isValid(namespace)) {
      throw new IllegalArgumentException("not a namespace name: '" + namespace + "'");
    }
    namePrefix = Objects.requireNonNullElse(namePrefix, "");
    if (!ResourceNames.isValidPrefix(namePrefix)) {
      throw new IllegalArgumentException("not a name prefix: '" + namePrefix + "'");
    }
  }

  /** Namespace {@code default}, no prefix, no deletion policy. */
  public static ExportOptions defaults() {
    return new ExportOptions("default", "", null);
  }
}
