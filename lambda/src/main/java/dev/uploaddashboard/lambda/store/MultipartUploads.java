package dev.uploaddashboard.lambda.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Multipart uploads in the upload bucket, each created with a CRC32C full-object checksum: every
 * part carries its CRC32C and S3 combines them into the CRC32C of the whole object (CRC32C, CRC32
 * and CRC64NVME can be FULL_OBJECT on a multipart upload; SHA-256 only COMPOSITE).
 */
public final class MultipartUploads {
  /** S3 answers at most this many parts per ListParts page. */
  static final int PARTS_PER_PAGE = 1000;

  private final S3Client s3;
  private final String bucket;

  public MultipartUploads(S3Client s3, String bucket) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  public String bucket() {
    return bucket;
  }

  /** One stored part, as ListParts reports it. */
  public record StoredPart(int partNumber, long size, String eTag, Optional<String> crc32c) {}

  /** What CompleteMultipartUpload answered: the object's full-object CRC32C when S3 gave one. */
  public record Completed(String eTag, Optional<String> crc32c) {}

  /** Starts an upload of {@code key}; returns S3's upload id. */
  public String create(String key, String contentType, Map<String, String> metadata) {
    return s3.createMultipartUpload(
            r ->
                r.bucket(bucket)
                    .key(key)
                    .contentType(contentType)
                    .metadata(metadata)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
                    .checksumType(ChecksumType.FULL_OBJECT))
        .uploadId();
  }

  /** Every part stored so far, in part-number order (ListParts, page by page). */
  public List<StoredPart> parts(String key, String uploadId) {
    List<StoredPart> parts = new ArrayList<>();
    Integer marker = null;
    while (true) {
      Integer after = marker;
      ListPartsResponse page =
          s3.listParts(
              r -> {
                r.bucket(bucket).key(key).uploadId(uploadId).maxParts(PARTS_PER_PAGE);
                if (after != null) {
                  r.partNumberMarker(after);
                }
              });
      for (Part part : page.parts()) {
        parts.add(
            new StoredPart(
                part.partNumber(),
                part.size() == null ? 0L : part.size(),
                part.eTag(),
                Optional.ofNullable(part.checksumCRC32C())));
      }
      if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextPartNumberMarker() == null) {
        return parts;
      }
      marker = page.nextPartNumberMarker();
    }
  }

  /**
   * Completes the upload from these parts (each with its CRC32C, which S3 compares with what it
   * stored); {@code crc32c}, when present, is the whole file's, which S3 checks against the
   * combination of the parts'.
   */
  public Completed complete(
      String key, String uploadId, List<StoredPart> parts, Optional<String> crc32c) {
    List<CompletedPart> completed = new ArrayList<>(parts.size());
    for (StoredPart part : parts) {
      completed.add(
          CompletedPart.builder()
              .partNumber(part.partNumber())
              .eTag(part.eTag())
              .checksumCRC32C(part.crc32c().orElse(null))
              .build());
    }
    CompleteMultipartUploadResponse response =
        s3.completeMultipartUpload(
            r ->
                r.bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed))
                    .checksumType(ChecksumType.FULL_OBJECT)
                    .checksumCRC32C(crc32c.orElse(null)));
    return new Completed(response.eTag(), Optional.ofNullable(response.checksumCRC32C()));
  }

  /** Aborts the upload: S3 deletes its parts. */
  public void abort(String key, String uploadId) {
    s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
  }
}
