package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.store.MultipartUploads;
import dev.uploaddashboard.lambda.store.MultipartUploads.StoredPart;
import dev.uploaddashboard.lambda.store.ObjectUrlSigner;
import dev.uploaddashboard.lambda.store.SignedUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Multipart uploads for big files, owned like single uploads: the server chooses the key under the
 * caller's prefix, and every later call names that key and S3's upload id. A key outside the
 * caller's prefix is answered 404 before any AWS call; S3 itself ties an upload id to its key, so
 * another user's upload id with one's own key is S3's NoSuchUpload, also 404.
 *
 * <p>Stateless: nothing is stored besides the upload in S3. Each part URL binds the part's length
 * and CRC32C; the deployment's maximum is enforced when signing (part numbers and part lengths are
 * bounded) and again, exactly, on completion (the parts S3 holds are summed; an upload over the
 * maximum is aborted, not completed).
 */
public final class MultipartUploadService {
  public static final long MIB = 1024L * 1024;

  /** S3's smallest part (every part but the last). */
  public static final long MIN_PART_BYTES = 5 * MIB;

  /** The part size this service hands out unless a file needs bigger parts. */
  public static final long DEFAULT_PART_BYTES = 8 * MIB;

  /** S3's largest part. */
  public static final long MAX_PART_BYTES = 5 * 1024 * MIB;

  public static final int MAX_PARTS = 10_000;

  /** Part URLs per request: a batch the browser needs a minute or two to send. */
  public static final int MAX_PARTS_PER_REQUEST = 100;

  public static final String CHECKSUM_ALGORITHM = "CRC32C";
  public static final String CHECKSUM_TYPE = "FULL_OBJECT";

  /** S3 upload ids are URL-safe text; anything else cannot be one. */
  private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9._~+/=-]{1,1024}");

  private final UploadService uploads;
  private final MultipartUploads store;
  private final ObjectUrlSigner signer;
  private final Duration partUrlTtl;
  private final long maxBytes;

  public MultipartUploadService(
      UploadService uploads,
      MultipartUploads store,
      ObjectUrlSigner signer,
      Duration partUrlTtl,
      long maxBytes) {
    this.uploads = Objects.requireNonNull(uploads, "uploads");
    this.store = Objects.requireNonNull(store, "store");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.partUrlTtl = Objects.requireNonNull(partUrlTtl, "partUrlTtl");
    if (maxBytes < 1 || maxBytes > MAX_PARTS * MAX_PART_BYTES) {
      throw new IllegalArgumentException("maxBytes out of range: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** A part the caller wants a URL for: its number, its length and its CRC32C (base64). */
  public record PartRequest(int partNumber, long size, String checksumCrc32c) {}

  /** A presigned PUT for one part, with exactly the headers to send. */
  public record PartUrl(
      int partNumber, String url, Map<String, String> headers, String expiresAt) {}

  /** A started upload. */
  public record Started(
      String bucket,
      String key,
      String uploadId,
      long partSize,
      int partCount,
      long maxBytes,
      String checksumAlgorithm,
      String checksumType,
      List<PartUrl> parts) {}

  /** URLs for the parts asked for. */
  public record SignedParts(String key, String uploadId, List<PartUrl> parts) {}

  /** One stored part, for resuming. */
  public record UploadedPart(int partNumber, long size, String etag, String checksumCrc32c) {}

  public record Parts(String key, String uploadId, List<UploadedPart> parts) {}

  public record Completed(String bucket, String key, long size, String checksumCrc32c) {}

  public record Aborted(String key, String uploadId, String message) {}

  /**
   * The part size for a file: {@value #DEFAULT_PART_BYTES} bytes, or, for files that would need
   * more than {@value #MAX_PARTS} parts, the smallest whole number of MiB that fits them.
   */
  public static long partSize(long size) {
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    long wholeMib = (needed + MIB - 1) / MIB * MIB;
    return Math.max(DEFAULT_PART_BYTES, wholeMib);
  }

  /** The largest part any upload of this deployment has. */
  long largestPart() {
    return partSize(maxBytes);
  }

  /** The highest part number any upload of this deployment can need. */
  int highestPartNumber() {
    return (int) Math.min(MAX_PARTS, (maxBytes + MIN_PART_BYTES - 1) / MIN_PART_BYTES);
  }

  /**
   * Starts an upload (one from the caller's quota, like a single upload) and signs {@code
   * firstParts}, which may be empty.
   */
  public Started start(Caller caller, UploadService.Request request, List<PartRequest> firstParts) {
    checkPartRequests(firstParts, true);
    UploadService.NewObject object = uploads.newObject(caller, request, maxBytes);
    long partSize = partSize(request.size());
    int partCount = (int) ((request.size() + partSize - 1) / partSize);
    for (PartRequest part : firstParts) {
      if (part.partNumber() > partCount) {
        throw invalid("parts", "part_number must be 1 to " + partCount + " for this file");
      }
    }
    String uploadId = store.create(object.key(), object.contentType(), object.metadata());
    return new Started(
        store.bucket(),
        object.key(),
        uploadId,
        partSize,
        partCount,
        maxBytes,
        CHECKSUM_ALGORITHM,
        CHECKSUM_TYPE,
        sign(object.key(), uploadId, firstParts));
  }

  /**
   * URLs for more parts. Signing is local: an unknown upload id gets URLs that S3 refuses (404
   * NoSuchUpload), and nothing is written.
   */
  public SignedParts signParts(
      Caller caller, String key, String uploadId, List<PartRequest> parts) {
    requireOwnUpload(caller, key, uploadId);
    checkPartRequests(parts, false);
    return new SignedParts(key, uploadId, sign(key, uploadId, parts));
  }

  /** The parts S3 holds, so that a resumed upload sends only the others. */
  public Parts listParts(Caller caller, String key, String uploadId) {
    requireOwnUpload(caller, key, uploadId);
    List<UploadedPart> parts = new ArrayList<>();
    for (StoredPart part : stored(key, uploadId)) {
      parts.add(
          new UploadedPart(
              part.partNumber(), part.size(), part.eTag(), part.crc32c().orElse(null)));
    }
    return new Parts(key, uploadId, parts);
  }

  /** A part of the file as the browser sent it: its number and its CRC32C. */
  public record PartChecksum(int partNumber, String checksumCrc32c) {}

  /**
   * Completes the upload from {@code parts}, which must be 1 to n without a gap, each with the
   * CRC32C it was sent with (S3 compares each with the one it stored), each one S3 holds, and at
   * most the deployment's maximum in all (else the upload is aborted: 413). {@code checksumCrc32c},
   * the whole file's CRC32C as the browser computed it, is checked by S3 against the combination of
   * the parts'.
   */
  public Completed complete(
      Caller caller,
      String key,
      String uploadId,
      List<PartChecksum> parts,
      Optional<String> checksumCrc32c) {
    requireOwnUpload(caller, key, uploadId);
    checksumCrc32c.ifPresent(c -> Checksums.requireCrc32c("checksum_crc32c", c));
    if (parts.isEmpty() || parts.size() > MAX_PARTS) {
      throw invalid("parts", "must list 1 to " + MAX_PARTS + " parts");
    }
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).partNumber() != i + 1) {
        throw invalid("parts", "must list parts 1 to n in order, without a gap");
      }
      Checksums.requireCrc32c("checksum_crc32c", parts.get(i).checksumCrc32c());
    }
    Map<Integer, StoredPart> held = new java.util.HashMap<>();
    for (StoredPart part : stored(key, uploadId)) {
      held.put(part.partNumber(), part);
    }
    List<Integer> missing = new ArrayList<>();
    List<StoredPart> completing = new ArrayList<>(parts.size());
    long total = 0;
    for (PartChecksum part : parts) {
      StoredPart stored = held.get(part.partNumber());
      if (stored == null) {
        if (missing.size() < 10) {
          missing.add(part.partNumber());
        }
        continue;
      }
      total += stored.size();
      completing.add(
          new StoredPart(
              part.partNumber(), stored.size(), stored.eTag(), Optional.of(part.checksumCrc32c())));
    }
    if (!missing.isEmpty()) {
      throw RequestRejectedException.invalid(
          "incomplete_upload", "Parts not uploaded yet, first of them: " + missing);
    }
    if (total > maxBytes) {
      store.abort(key, uploadId);
      throw new RequestRejectedException(
          RequestRejectedException.Reason.TOO_LARGE,
          "too_large",
          "File is larger than the maximum upload size of "
              + maxBytes
              + " bytes; the upload was aborted");
    }
    MultipartUploads.Completed completed;
    try {
      completed = store.complete(key, uploadId, completing, checksumCrc32c);
    } catch (NoSuchUploadException e) {
      throw noSuchUpload();
    } catch (S3Exception e) {
      throw rejectedCompletion(e);
    }
    return new Completed(store.bucket(), key, total, completed.crc32c().orElse(null));
  }

  /** Aborts the upload; S3 deletes its parts. Aborting twice answers 404 the second time. */
  public Aborted abort(Caller caller, String key, String uploadId) {
    requireOwnUpload(caller, key, uploadId);
    try {
      store.abort(key, uploadId);
    } catch (NoSuchUploadException e) {
      throw noSuchUpload();
    }
    return new Aborted(key, uploadId, "Upload aborted");
  }

  private List<StoredPart> stored(String key, String uploadId) {
    try {
      return store.parts(key, uploadId);
    } catch (NoSuchUploadException e) {
      throw noSuchUpload();
    }
  }

  private List<PartUrl> sign(String key, String uploadId, List<PartRequest> parts) {
    List<PartUrl> urls = new ArrayList<>(parts.size());
    for (PartRequest part : parts) {
      SignedUrl url =
          signer.uploadPart(
              key, uploadId, part.partNumber(), part.size(), part.checksumCrc32c(), partUrlTtl);
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put(Checksums.CRC32C_HEADER, part.checksumCrc32c());
      urls.add(
          new PartUrl(part.partNumber(), url.url(), headers, Timestamps.format(url.expiresAt())));
    }
    return urls;
  }

  private void checkPartRequests(List<PartRequest> parts, boolean mayBeEmpty) {
    if (parts.isEmpty() && !mayBeEmpty) {
      throw invalid("parts", "must list 1 to " + MAX_PARTS_PER_REQUEST + " parts");
    }
    if (parts.size() > MAX_PARTS_PER_REQUEST) {
      throw RequestRejectedException.invalid(
          "too_many_parts", "At most " + MAX_PARTS_PER_REQUEST + " part URLs per request");
    }
    Set<Integer> seen = new HashSet<>();
    for (PartRequest part : parts) {
      if (part.partNumber() < 1 || part.partNumber() > highestPartNumber()) {
        throw invalid("parts", "part_number must be 1 to " + highestPartNumber());
      }
      if (!seen.add(part.partNumber())) {
        throw invalid("parts", "lists part " + part.partNumber() + " twice");
      }
      if (part.size() < 1 || part.size() > largestPart()) {
        throw invalid("parts", "size must be 1 to " + largestPart() + " bytes");
      }
      Checksums.requireCrc32c("checksum_crc32c", part.checksumCrc32c());
    }
  }

  /**
   * The key must be a valid key under the caller's own prefix (admins too: nobody completes or
   * aborts someone else's upload); otherwise 404, exactly as for a missing upload, with no AWS
   * call. The upload id must look like one (400).
   */
  private static void requireOwnUpload(Caller caller, String key, String uploadId) {
    ObjectKeys.requireValid(key);
    if (uploadId == null || !UPLOAD_ID.matcher(uploadId).matches()) {
      throw RequestRejectedException.invalid("invalid_upload_id", "Invalid upload id");
    }
    if (!key.startsWith(caller.keyPrefix())) {
      throw noSuchUpload();
    }
  }

  private static RequestRejectedException noSuchUpload() {
    return new RequestRejectedException(
        RequestRejectedException.Reason.NOT_FOUND, "not_found", "No such upload");
  }

  /** S3's answers to a completion the client can fix (or must restart), as 400s. */
  private static RuntimeException rejectedCompletion(S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    if (code == null) {
      return e;
    }
    return switch (code) {
      case "BadDigest", "InvalidChecksum" ->
          RequestRejectedException.invalid(
              "checksum_mismatch",
              "The file's checksum does not match the parts S3 received; upload it again");
      case "EntityTooSmall" ->
          RequestRejectedException.invalid(
              "part_too_small", "Every part but the last must be at least 5 MiB");
      case "InvalidPart", "InvalidPartOrder" ->
          RequestRejectedException.invalid(
              "checksum_mismatch",
              "A part's checksum is not the one it was uploaded with; upload that part again");
      default -> e;
    };
  }

  private static RequestRejectedException invalid(String field, String problem) {
    return RequestRejectedException.invalid("invalid_field", "Field '" + field + "' " + problem);
  }
}
