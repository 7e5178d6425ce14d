package dev.uploaddashboard.lambda.handler;

import dev.uploaddashboard.lambda.http.Json;
import dev.uploaddashboard.lambda.service.MetadataSyncService.ObjectEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a batch from the sync function's on-failure queue, as Lambda's SQS event source delivers it
 * when an operator replays that queue (README, "Operations"). Each message body is the record
 * Lambda wrote when it gave up on an S3 event: {@code {"requestContext": ..., "requestPayload":
 * <the S3 event>, "responseContext": ..., "responsePayload": ...}}; a body that is the S3 event
 * itself is read too.
 */
final class FailedEventMessages {
  private FailedEventMessages() {}

  /**
   * One message: its id, and the S3 records of the event it carries, or empty when the body is not
   * a failed S3 event (such a message stays in the queue for a person to look at).
   */
  record Message(String messageId, Optional<List<ObjectEvent>> records) {}

  /** Whether the invocation is an SQS batch rather than an S3 notification. */
  static boolean isSqsBatch(Object event) {
    return Json.member(event, "Records") instanceof List<?> records
        && !records.isEmpty()
        && "aws:sqs".equals(Json.member(records.get(0), "eventSource"));
  }

  static List<Message> read(Object event) {
    List<Message> messages = new ArrayList<>();
    if (Json.member(event, "Records") instanceof List<?> records) {
      for (Object record : records) {
        messages.add(
            new Message(
                Json.text(Json.member(record, "messageId")),
                s3Records(Json.text(Json.member(record, "body")))));
      }
    }
    return messages;
  }

  private static Optional<List<ObjectEvent>> s3Records(String body) {
    if (body == null) {
      return Optional.empty();
    }
    Object parsed;
    try {
      parsed = Json.read(body);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    Object payload = Json.member(parsed, "requestPayload");
    Object s3Event = payload != null ? payload : parsed;
    if (!(Json.member(s3Event, "Records") instanceof List<?>)) {
      return Optional.empty();
    }
    return Optional.of(S3EventRecords.read(s3Event));
  }
}
