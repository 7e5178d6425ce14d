package dev.uploaddashboard.lambda.store;

import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Objects in the upload bucket (the calls that need S3 itself, not a presigned URL). */
public final class ObjectStore {
  private final S3Client s3;
  private final String bucket;

  public ObjectStore(S3Client s3, String bucket) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  public String bucket() {
    return bucket;
  }

  /** Deletes the object; deleting a missing object succeeds (S3 semantics, unversioned bucket). */
  public void delete(String key) {
    s3.deleteObject(r -> r.bucket(bucket).key(key));
  }

  /** The object's current metadata, or empty when it does not exist (any more). */
  public Optional<ObjectInfo> head(String key) {
    try {
      HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
      String etag = head.eTag() == null ? "" : head.eTag().replace("\"", "");
      long size = head.contentLength() == null ? 0 : head.contentLength();
      String contentType =
          head.contentType() == null ? "application/octet-stream" : head.contentType();
      return Optional.of(new ObjectInfo(size, contentType, etag, head.metadata()));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
