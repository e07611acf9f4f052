package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads a spec from whatever JSON arrived, never failing: a field it does not know or a value it
 * cannot use is kept aside as unreadable (and reported as InvalidSpec), because one odd object must
 * not stop the informer, and with it the whole operator.
 */
final class SpecReader extends StdDeserializer<SourceIpMappingSpec> {

  SpecReader() {
    super(SourceIpMappingSpec.class);
  }

  @Override
  public SourceIpMappingSpec deserialize(JsonParser parser, DeserializationContext context)
      throws IOException {
    JsonNode node = context.readTree(parser);
    // a spec that is not an object is read as no spec: reported, and never written to Twilio
    return node.isObject() ? read(node) : null;
  }

  static SourceIpMappingSpec read(JsonNode node) {
    SourceIpMappingSpec spec = new SourceIpMappingSpec();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      boolean read =
          switch (name) {
            case "ipRecordSid" -> text(value, spec::setIpRecordSid);
            case "sipDomainSid" -> text(value, spec::setSipDomainSid);
            case "ipRecordRef" -> reference(value, spec::setIpRecordRef);
            case "sipDomainName" -> text(value, spec::setSipDomainName);
            case "deletionPolicy" ->
                constant(value, DeletionPolicy::valueOf, spec::setDeletionPolicy);
            case "managementPolicy" ->
                constant(value, ManagementPolicy::valueOf, spec::setManagementPolicy);
            case "accountRef" -> accountReference(value, spec::setAccountRef);
            default -> false;
          };
      if (!read) {
        spec.putUnreadable(name, value);
      }
    }
    return spec;
  }

  static boolean text(JsonNode value, Consumer<String> setter) {
    if (value.isNull()) {
      return true; // the same as absent
    }
    if (!value.isTextual()) {
      return false;
    }
    setter.accept(value.textValue());
    return true;
  }

  /** An integer that fits an int (2, not 2.0 or "2"); anything else is kept. */
  static boolean integer(JsonNode value, Consumer<Integer> setter) {
    if (value.isNull()) {
      return true;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      return false;
    }
    setter.accept(value.intValue());
    return true;
  }

  /**
   * An object with a string name and nothing else; anything else is kept whole, since a reference
   * read in part could name another IpRecord than the one meant.
   */
  static boolean reference(JsonNode value, Consumer<IpRecordReference> setter) {
    if (value.isNull()) {
      return true;
    }
    if (!value.isObject() || value.size() != 1) {
      return false;
    }
    JsonNode name = value.get("name");
    if (name == null || !name.isTextual()) {
      return false;
    }
    setter.accept(new IpRecordReference(name.textValue()));
    return true;
  }

  /**
   * An object with a string name and at most a known kind; anything else is kept whole (and so no
   * account is used), since a reference read in part could name another account than the one meant.
   */
  static boolean accountReference(JsonNode value, Consumer<AccountReference> setter) {
    if (value.isNull()) {
      return true;
    }
    if (!value.isObject()) {
      return false;
    }
    JsonNode name = value.get("name");
    JsonNode kind = value.get("kind");
    int known = (name == null ? 0 : 1) + (kind == null ? 0 : 1);
    if (name == null || !name.isTextual() || value.size() != known) {
      return false;
    }
    AccountReference ref = new AccountReference(null, name.textValue());
    if (kind != null && !kind.isNull() && !constant(kind, AccountKind::valueOf, ref::setKind)) {
      return false;
    }
    setter.accept(ref);
    return true;
  }

  /** Exactly a constant's name, as Kubernetes enums are case-sensitive; anything else is kept. */
  static <E extends Enum<E>> boolean constant(
      JsonNode value, Function<String, E> valueOf, Consumer<E> setter) {
    if (value.isNull()) {
      return true;
    }
    if (!value.isTextual()) {
      return false;
    }
    try {
      setter.accept(valueOf.apply(value.textValue()));
      return true;
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }
}
