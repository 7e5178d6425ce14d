package dev.uploaddashboard.lambda.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a newest-first listing stopped: the index key of the last item returned. {@code owner} is
 * present exactly when the listing ran on {@code owner_uploaded_at_index}, whose partition it is.
 */
public record PagePosition(
    String bucket, String objectKey, String uploadedAt, Optional<String> owner) {
  public PagePosition {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(objectKey, "objectKey");
    Objects.requireNonNull(uploadedAt, "uploadedAt");
    Objects.requireNonNull(owner, "owner");
  }
}
