package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.ObjectStore;
import java.util.Objects;

/** Deletes a file from storage and from the metadata table, in an order that is safe to retry. */
public final class DeleteFileService {
  private final FileMetadataStore metadata;
  private final ObjectStore objects;

  public DeleteFileService(FileMetadataStore metadata, ObjectStore objects) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.objects = Objects.requireNonNull(objects, "objects");
  }

  /** The result of a delete: whether a live metadata row existed (the object is gone either way). */
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
    objects.delete(key);
    boolean existed = metadata.deleteLive(bucket, key).isPresent();
    return new Outcome(bucket, key, existed);
  }
}
