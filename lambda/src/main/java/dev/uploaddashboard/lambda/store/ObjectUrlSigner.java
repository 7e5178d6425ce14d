package dev.uploaddashboard.lambda.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
    return upload(key, contentType, contentLength, metadata, Optional.empty(), ttl);
  }

  /**
   * {@link #upload(String, String, long, Map, Duration)} that also binds the body's CRC32C (base64,
   * {@code x-amz-checksum-crc32c}): S3 computes the checksum of what arrives and refuses the PUT
   * (400 BadDigest) when it differs, and the object keeps it as its full-object checksum.
   */
  public SignedUrl upload(
      String key,
      String contentType,
      long contentLength,
      Map<String, String> metadata,
      Optional<String> crc32c,
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
                                .ifNoneMatch(ANY_ETAG)
                                .checksumCRC32C(crc32c.orElse(null))));
    return toResult(presigned);
  }

  /**
   * A PUT URL for one part of a multipart upload that only accepts a body of exactly {@code
   * contentLength} bytes whose CRC32C is {@code crc32c} (signed as {@code x-amz-checksum-crc32c}:
   * S3 refuses a corrupted part with 400 BadDigest).
   */
  public SignedUrl uploadPart(
      String key,
      String uploadId,
      int partNumber,
      long contentLength,
      String crc32c,
      Duration ttl) {
    var presigned =
        presigner.presignUploadPart(
            r ->
                r.signatureDuration(ttl)
                    .uploadPartRequest(
                        p ->
                            p.bucket(bucket)
                                .key(key)
                                .uploadId(uploadId)
                                .partNumber(partNumber)
                                .contentLength(contentLength)
                                .checksumCRC32C(crc32c)));
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
