package dev.uploaddashboard.lambda.handler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uploaddashboard.lambda.service.MetadataSyncService.ObjectEvent;
import java.util.ArrayList;
import java.util.List;

/** Reads the records of an S3 event notification (as delivered to Lambda) into plain values. */
final class S3EventRecords {
  private S3EventRecords() {}

  /** The records; an event without {@code Records} (such as {@code s3:TestEvent}) has none. */
  static List<ObjectEvent> read(JsonNode event) {
    List<ObjectEvent> records = new ArrayList<>();
    for (JsonNode record : event.path("Records")) {
      JsonNode s3 = record.path("s3");
      records.add(
          new ObjectEvent(
              text(record, "eventName"),
              text(s3.path("bucket"), "name"),
              text(s3.path("object"), "key"),
              text(s3.path("object"), "sequencer"),
              text(record, "eventTime")));
    }
    return records;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
  }
}
