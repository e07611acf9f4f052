package dev.byoc.sourceip.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * Reads a status, or none when someone wrote one of the wrong shape: status is the operator's own
 * report and cache, rewritten at the next reconcile, so an unreadable one costs a lookup at most,
 * while failing here would stop the informer and with it the whole operator.
 */
final class StatusReader extends StdDeserializer<SourceIpMappingStatus> {

  StatusReader() {
    super(SourceIpMappingStatus.class);
  }

  @Override
  public SourceIpMappingStatus deserialize(JsonParser parser, DeserializationContext context)
      throws IOException {
    JsonNode node = context.readTree(parser);
    if (!node.isObject()) {
      return null;
    }
    try {
      return context.readTreeAsValue(node, SourceIpMappingStatus.class);
    } catch (IOException | IllegalArgumentException unreadable) {
      return null;
    }
  }
}
