package dev.uploaddashboard.local.events;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One change to one object, as S3 reports it to a notification target.
 *
 * @param eventName S3's name without the {@code s3:} prefix, e.g. {@code ObjectCreated:Put}
 * @param key the object key as stored (not yet URL-encoded)
 * @param size bytes, for created objects only
 * @param eTag unquoted entity tag, for created objects only; empty string otherwise
 * @param sequencer hex string that orders events for the same key
 */
public record S3ObjectEvent(
    String eventName,
    String bucket,
    String key,
    OptionalLong size,
    String eTag,
    String sequencer,
    Instant eventTime) {

  public S3ObjectEvent {
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(eTag, "eTag");
    Objects.requireNonNull(sequencer, "sequencer");
    Objects.requireNonNull(eventTime, "eventTime");
  }

  public static S3ObjectEvent created(
      String eventName,
      String bucket,
      String key,
      long size,
      String eTag,
      String sequencer,
      Instant time) {
    // Unquoted as lambda's stores do it (an ETag has no quotes inside).
    String unquoted = eTag == null ? "" : eTag.replace("\"", "");
    return new S3ObjectEvent(
        eventName, bucket, key, OptionalLong.of(size), unquoted, sequencer, time);
  }

  public static S3ObjectEvent removed(String bucket, String key, String sequencer, Instant time) {
    return new S3ObjectEvent(
        "ObjectRemoved:Delete", bucket, key, OptionalLong.empty(), "", sequencer, time);
  }

  public boolean isCreated() {
    return eventName.startsWith("ObjectCreated:");
  }
}
