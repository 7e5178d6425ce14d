package dev.uploaddashboard.lambda.store;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What HeadObject tells about a stored object; {@code metadata} keys are lower-case, unprefixed.
 * {@code checksumCrc32c} is the object's full-object CRC32C when it was uploaded with one.
 */
public record ObjectInfo(
    long size,
    String contentType,
    String etag,
    Map<String, String> metadata,
    Optional<String> checksumCrc32c) {
  public ObjectInfo {
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(checksumCrc32c, "checksumCrc32c");
  }

  public ObjectInfo(long size, String contentType, String etag, Map<String, String> metadata) {
    this(size, contentType, etag, metadata, Optional.empty());
  }
}
