package dev.uploaddashboard.lambda.handler;

import dev.uploaddashboard.lambda.http.Json;
import dev.uploaddashboard.lambda.service.MetadataSyncService.ObjectEvent;
import java.util.ArrayList;
import java.util.List;

/** Reads the records of an S3 event notification (as delivered to Lambda) into plain values. */
final class S3EventRecords {
  private S3EventRecords() {}

  /** The records; an event without {@code Records} (such as {@code s3:TestEvent}) has none. */
  static List<ObjectEvent> read(Object event) {
    List<ObjectEvent> records = new ArrayList<>();
    if (!(Json.member(event, "Records") instanceof List<?> list)) {
      return records;
    }
    for (Object record : list) {
      Object s3 = Json.member(record, "s3");
      records.add(
          new ObjectEvent(
              Json.text(Json.member(record, "eventName")),
              Json.text(Json.path(s3, "bucket", "name")),
              Json.text(Json.path(s3, "object", "key")),
              Json.text(Json.path(s3, "object", "sequencer")),
              Json.text(Json.member(record, "eventTime"))));
    }
    return records;
  }
}
