package dev.uploaddashboard.lambda.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Presigned GET and PUT URLs for objects in the upload bucket; signing is local, no S3 call. */
public final class ObjectUrlSigner {
  /** The value of {@code If-None-Match} that makes a PUT succeed only if the key is free. */
  public static final String ANY_ETAG = "*";

  private final S3Presigner presigner;
  private final String bucket;

  public ObjectUrlSigner(S3Presigner presigner, String bucket) {
    this.presigner = Objects.requireNonNull(presigner, "presigner");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  public String bucket() {
    return bucket;
  }

  /** A GET URL whose response carries the given Content-Disposition. */
  public SignedUrl download(String key, String contentDisposition, Duration ttl) {
    var presigned =
        presigner.presignGetObject(
            r ->
                r.signatureDuration(ttl)
                    .getObjectRequest(
                        g ->
                            g.bucket(bucket)
                                .key(key)
                                .responseContentDisposition(contentDisposition)));
    return toResult(presigned);
  }

  /**
   * A PUT URL that only accepts a body of exactly {@code contentLength} bytes sent with this
   * Content-Type and user metadata, and only creates the object: {@code If-None-Match: *} is signed
   * in, so S3 refuses (412) any PUT once the key exists, and a replayed URL cannot overwrite the
   * file or raise another event (the signature covers all these headers).
   */
  public SignedUrl upload(
      String key,
      String contentType,
      long contentLength,
      Map<String, String> metadata,
      Duration ttl) {
    var presigned =
        presigner.presignPutObject(
            r ->
                r.signatureDuration(ttl)
                    .putObjectRequest(
                        p ->
                            p.bucket(bucket)
                                .key(key)
                                .contentType(contentType)
                                .contentLength(contentLength)
                                .metadata(metadata)
                                .ifNoneMatch(ANY_ETAG)));
    return toResult(presigned);
  }

  private static SignedUrl toResult(PresignedRequest presigned) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> header : presigned.signedHeaders().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("host")) {
        headers.put(header.getKey(), String.join(",", header.getValue()));
      }
    }
    return new SignedUrl(presigned.url().toString(), headers, presigned.expiration());
  }
}
