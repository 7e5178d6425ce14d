package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.FileMetadataStore.RowRemoval;
import dev.uploaddashboard.lambda.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Deletes a file from storage and from the metadata table, in an order that is safe to retry. */
public final class DeleteFileService {
  /** Tolerance between this function's clock and S3's event times. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

  private final FileMetadataStore metadata;
  private final ObjectStore objects;
  private final Clock clock;

  public DeleteFileService(FileMetadataStore metadata, ObjectStore objects) {
    this(metadata, objects, Clock.systemUTC());
  }

  DeleteFileService(FileMetadataStore metadata, ObjectStore objects, Clock clock) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The result of a delete: whether a live metadata row existed (the object is gone either way).
   */
  public record Outcome(String bucket, String objectKey, boolean metadataExisted) {}

  /**
   * Deletes the S3 object first, then the live row. If the row delete fails the object is already
   * gone and the row still lists it, so the caller sees an error and a repeat completes the job;
   * the reverse order could leave an object nobody can see or delete from the dashboard.
   *
   * <p>A key the caller may not touch is answered exactly like a missing file, without any call to
   * S3 or DynamoDB, so the answer tells nothing about other users' files.
   */
  public Outcome delete(Caller caller, String bucket, String key) {
    if (!objects.bucket().equals(bucket)) {
      throw RequestRejectedException.invalid(
          "bucket_mismatch", "Bucket does not match configured upload bucket");
    }
    ObjectKeys.requireValid(key);
    if (!caller.mayAccess(key)) {
      return new Outcome(bucket, key, false);
    }
    Instant started = clock.instant();
    objects.delete(key);
    return new Outcome(bucket, key, existedBefore(metadata.deleteLive(bucket, key), started));
  }

  /**
   * Whether the file was there when this request started. Sync may apply the S3 removal this
   * request caused before the request reaches the table: a tombstone that replaced a live row at or
   * after the start is this request's own delete, not an earlier one.
   */
  private static boolean existedBefore(RowRemoval removal, Instant started) {
    if (removal instanceof RowRemoval.Removed) {
      return true;
    }
    return removal instanceof RowRemoval.Tombstoned tombstone
        && tombstone.replacedLive()
        && !tombstone.deletedAt().isBefore(started.minus(CLOCK_SKEW));
  }
}
