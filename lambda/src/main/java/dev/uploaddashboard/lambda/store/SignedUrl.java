package dev.uploaddashboard.lambda.store;

import java.time.Instant;
import java.util.Map;

/** A presigned URL, the headers its signature covers (besides Host), and when it expires. */
public record SignedUrl(String url, Map<String, String> signedHeaders, Instant expiresAt) {
  public SignedUrl {
    signedHeaders = Map.copyOf(signedHeaders);
  }
}
