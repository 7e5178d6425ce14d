package dev.uploaddashboard.lambda.store;

import java.util.Map;

/**
 * What HeadObject tells about a stored object; {@code metadata} keys are lower-case, unprefixed.
 */
public record ObjectInfo(long size, String contentType, String etag, Map<String, String> metadata) {
  public ObjectInfo {
    metadata = Map.copyOf(metadata);
  }
}
