package dev.uploaddashboard.lambda.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
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

  /** The most keys one {@link #deleteAll} call takes (S3's limit for DeleteObjects). */
  public static final int MAX_DELETE_KEYS = 1000;

  /**
   * Deletes up to {@value #MAX_DELETE_KEYS} objects in one DeleteObjects call (quiet mode: S3
   * reports only the keys it could not delete) and returns those keys with S3's error code.
   * Deleting a missing object succeeds, as for one key.
   */
  public Map<String, String> deleteAll(List<String> keys) {
    if (keys.isEmpty() || keys.size() > MAX_DELETE_KEYS) {
      throw new IllegalArgumentException("1 to " + MAX_DELETE_KEYS + " keys per call");
    }
    List<ObjectIdentifier> objects = new ArrayList<>(keys.size());
    for (String key : keys) {
      objects.add(ObjectIdentifier.builder().key(key).build());
    }
    DeleteObjectsResponse response =
        s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(objects).quiet(true)));
    Map<String, String> failed = new LinkedHashMap<>();
    if (response.hasErrors()) {
      for (S3Error error : response.errors()) {
        failed.put(error.key(), error.code() == null ? "InternalError" : error.code());
      }
    }
    return failed;
  }

  /**
   * The object's current metadata, or empty when it does not exist (any more). Asks for the
   * object's checksum too (checksum mode): a full-object CRC32C comes back when it has one.
   */
  public Optional<ObjectInfo> head(String key) {
    try {
      HeadObjectResponse head =
          s3.headObject(r -> r.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
      String etag = head.eTag() == null ? "" : head.eTag().replace("\"", "");
      long size = head.contentLength() == null ? 0 : head.contentLength();
      String contentType =
          head.contentType() == null ? "application/octet-stream" : head.contentType();
      // A COMPOSITE checksum (of the parts' checksums, "...-<parts>") is not the file's: left out.
      Optional<String> crc32c =
          Optional.ofNullable(head.checksumCRC32C())
              .filter(c -> head.checksumType() != ChecksumType.COMPOSITE && !c.contains("-"));
      return Optional.of(new ObjectInfo(size, contentType, etag, head.metadata(), crc32c));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
