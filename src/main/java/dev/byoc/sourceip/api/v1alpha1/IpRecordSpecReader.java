package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads an IpRecord's spec from whatever JSON arrived, never failing, as {@link SpecReader} does
 * for a mapping: what it cannot use is kept aside as unreadable, since one odd object must not stop
 * the informer.
 */
final class IpRecordSpecReader extends StdDeserializer<IpRecordSpec> {

  IpRecordSpecReader() {
    super(IpRecordSpec.class);
  }

  @Override
  public IpRecordSpec deserialize(JsonParser parser, DeserializationContext context)
      throws IOException {
    JsonNode node = context.readTree(parser);
    return node.isObject() ? read(node) : null;
  }

  static IpRecordSpec read(JsonNode node) {
    IpRecordSpec spec = new IpRecordSpec();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      boolean read =
          switch (name) {
            case "ipAddress" -> SpecReader.text(value, spec::setIpAddress);
            case "cidrPrefixLength" -> SpecReader.integer(value, spec::setCidrPrefixLength);
            case "friendlyName" -> SpecReader.text(value, spec::setFriendlyName);
            case "deletionPolicy" ->
                SpecReader.constant(value, DeletionPolicy::valueOf, spec::setDeletionPolicy);
            case "managementPolicy" ->
                SpecReader.constant(value, ManagementPolicy::valueOf, spec::setManagementPolicy);
            case "accountRef" -> SpecReader.accountReference(value, spec::setAccountRef);
            default -> false;
          };
      if (!read) {
        spec.putUnreadable(name, value);
      }
    }
    return spec;
  }
}
