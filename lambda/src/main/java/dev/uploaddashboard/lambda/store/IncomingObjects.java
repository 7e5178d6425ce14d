package dev.uploaddashboard.lambda.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/**
 * What the reconciler reads of the bucket below {@code incoming/}: the objects, a page at a time in
 * S3's order (UTF-8 binary order of the keys), and the multipart uploads that were started and
 * never completed.
 */
public final class IncomingObjects {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  public IncomingObjects(S3Client s3, String bucket, String prefix) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
  }

  /** One listed object (the ETag without quotes). */
  public record Listed(String key, long size, String etag, Instant lastModified) {}

  /** A page of objects and whether more follow. */
  public record Page(List<Listed> objects, boolean truncated) {}

  /** An upload that was started and not completed or aborted. */
  public record Upload(String key, String uploadId, Instant initiated) {}

  /** Up to {@code limit} objects after {@code startAfter} (or from the first). */
  public Page list(Optional<String> startAfter, int limit) {
    ListObjectsV2Response response =
        s3.listObjectsV2(
            r -> {
              r.bucket(bucket).prefix(prefix).maxKeys(limit);
              startAfter.ifPresent(r::startAfter);
            });
    List<Listed> objects =
        response.contents().stream()
            .map(
                o ->
                    new Listed(
                        o.key(),
                        o.size() == null ? 0 : o.size(),
                        o.eTag() == null ? "" : o.eTag().replace("\"", ""),
                        o.lastModified()))
            .toList();
    return new Page(objects, Boolean.TRUE.equals(response.isTruncated()));
  }

  /** Incomplete multipart uploads under the prefix started before {@code before}, up to 1,000. */
  public List<Upload> uploadsStartedBefore(Instant before) {
    ListMultipartUploadsResponse response =
        s3.listMultipartUploads(r -> r.bucket(bucket).prefix(prefix));
    return response.uploads().stream()
        .filter(u -> u.initiated() != null && u.initiated().isBefore(before))
        .map(u -> new Upload(u.key(), u.uploadId(), u.initiated()))
        .toList();
  }

  /** Aborts an upload: its parts are deleted and it can no longer complete. */
  public void abort(Upload upload) {
    s3.abortMultipartUpload(r -> r.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
  }
}
