package dev.uploaddashboard.lambda.store;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a listing stopped: the index key of the last row it read ({@code sortValue} is the value of
 * the index's sort attribute, as text). {@code owner} is present exactly when the listing ran on an
 * owner index, whose partition it is.
 */
public record PagePosition(
    String bucket, String objectKey, String sortValue, Optional<String> owner) {
  public PagePosition {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(objectKey, "objectKey");
    Objects.requireNonNull(sortValue, "sortValue");
    Objects.requireNonNull(owner, "owner");
  }
}
