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
abstract class StatusReader<T> extends StdDeserializer<T> {
  private final Class<T> type;

  StatusReader(Class<T> type) {
    super(type);
    this.type = type;
  }

  @Override
  public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNode node = context.readTree(parser);
    if (!node.isObject()) {
      return null;
    }
    try {
      return context.readTreeAsValue(node, type);
    } catch (IOException | IllegalArgumentException unreadable) {
      return null;
    }
  }

  /** A SourceIpMapping's status. */
  static final class OfMapping extends StatusReader<SourceIpMappingStatus> {
    OfMapping() {
      super(SourceIpMappingStatus.class);
    }
  }

  /** An IpRecord's status. */
  static final class OfIpRecord extends StatusReader<IpRecordStatus> {
    OfIpRecord() {
      super(IpRecordStatus.class);
    }
  }
}
