package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.store.ObjectUrlSigner;
import dev.uploaddashboard.lambda.store.SignedUrl;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Hands out presigned PUT URLs for new uploads under server-chosen keys. */
public final class UploadService {
  public static final int MAX_FIELD_LENGTH = 255;

  /** The name travels as user metadata, which S3 caps at 2 KB per object. */
  static final int MAX_ENCODED_NAME_LENGTH = 1900;

  public static final String FILE_NAME_METADATA = "file-name";
  public static final String FILE_NAME_HEADER = "x-amz-meta-" + FILE_NAME_METADATA;

  /** Signed into every upload URL: the PUT only creates, it never overwrites (one object each). */
  public static final String CREATE_ONLY_HEADER = "If-None-Match";

  private static final String TOKEN = "[A-Za-z0-9!#$&^_.+-]+";
  private static final Pattern MEDIA_TYPE =
      Pattern.compile(
          TOKEN
              + "/"
              + TOKEN
              + "(\\s*;\\s*"
              + TOKEN
              + "=("
              + TOKEN
              + "|\"[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*\"))*");

  private final ObjectUrlSigner signer;
  private final UploadQuota quota;
  private final Duration uploadTtl;
  private final long maxBytes;
  private final Supplier<UUID> ids;

  public UploadService(
      ObjectUrlSigner signer, UploadQuota quota, Duration uploadTtl, long maxBytes) {
    this(signer, quota, uploadTtl, maxBytes, UUID::randomUUID);
  }

  public UploadService(
      ObjectUrlSigner signer,
      UploadQuota quota,
      Duration uploadTtl,
      long maxBytes,
      Supplier<UUID> ids) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.quota = Objects.requireNonNull(quota, "quota");
    this.uploadTtl = Objects.requireNonNull(uploadTtl, "uploadTtl");
    this.maxBytes = maxBytes;
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /**
   * A requested upload; {@code size} saturates at Long.MIN/MAX_VALUE for out-of-range numbers.
   * {@code checksumCrc32c}, when given, is the body's CRC32C (base64), signed into the PUT.
   */
  public record Request(
      String fileName, String contentType, long size, Optional<String> checksumCrc32c) {
    public Request {
      Objects.requireNonNull(checksumCrc32c, "checksumCrc32c");
    }

    public Request(String fileName, String contentType, long size) {
      this(fileName, contentType, size, Optional.empty());
    }
  }

  /** What the browser needs: the URL, the method and exactly the headers it must send. */
  public record Ticket(
      String bucket,
      String key,
      String uploadUrl,
      String method,
      Map<String, String> headers,
      String expiresAt,
      long maxBytes) {}

  /** A new object's server-chosen key, its checked content type and its percent-encoded name. */
  record NewObject(String key, String contentType, String encodedName) {
    Map<String, String> metadata() {
      return Map.of(FILE_NAME_METADATA, encodedName);
    }
  }

  /**
   * A ticket for an upload under the caller's prefix: {@code incoming/<user id>/<uuid>/<name>}.
   * Takes one upload from the caller's quota (429 when it is used up).
   */
  public Ticket create(Caller caller, Request request) {
    request.checksumCrc32c().ifPresent(c -> Checksums.requireCrc32c("checksum_crc32c", c));
    NewObject object = newObject(caller, request, maxBytes);
    SignedUrl url =
        signer.upload(
            object.key(),
            object.contentType(),
            request.size(),
            object.metadata(),
            request.checksumCrc32c(),
            uploadTtl);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", object.contentType());
    headers.put(FILE_NAME_HEADER, object.encodedName());
    headers.put(CREATE_ONLY_HEADER, ObjectUrlSigner.ANY_ETAG);
    request.checksumCrc32c().ifPresent(c -> headers.put(Checksums.CRC32C_HEADER, c));
    return new Ticket(
        signer.bucket(),
        object.key(),
        url.url(),
        "PUT",
        headers,
        Timestamps.format(url.expiresAt()),
        maxBytes);
  }

  /**
   * Checks the request (name, content type, 1 to {@code limit} bytes), takes one upload from the
   * caller's quota and draws the key. Nothing is counted for a request refused for another reason.
   */
  NewObject newObject(Caller caller, Request request, long limit) {
    String fileName = request.fileName();
    if (fileName.codePointCount(0, fileName.length()) > MAX_FIELD_LENGTH) {
      throw invalidField("file_name", "must be at most " + MAX_FIELD_LENGTH + " characters");
    }
    if (!isPrintableUnicode(fileName)) {
      throw invalidField("file_name", "must not contain control characters");
    }
    if (DisplayNames.hasFormatCharacters(fileName)) {
      throw invalidField(
          "file_name",
          "must not contain invisible formatting characters"
              + " (bidirectional overrides, zero-width characters, byte order marks)");
    }
    String encodedName = PercentEncoding.encode(fileName);
    if (encodedName.length() > MAX_ENCODED_NAME_LENGTH) {
      throw invalidField("file_name", "is too long");
    }
    String contentType = request.contentType();
    if (contentType.length() > MAX_FIELD_LENGTH || !MEDIA_TYPE.matcher(contentType).matches()) {
      throw invalidField("content_type", "must be a media type such as 'image/png'");
    }
    if (request.size() < 1) {
      throw invalidField("size", "must be a positive integer");
    }
    if (request.size() > limit) {
      throw new RequestRejectedException(
          RequestRejectedException.Reason.TOO_LARGE,
          "too_large",
          "File is larger than the maximum upload size of " + limit + " bytes");
    }
    // Counted only for a request that would get a ticket: a rejected one costs nothing.
    quota.take(caller);
    String key = caller.keyPrefix() + ids.get() + "/" + SafeFileNames.of(fileName);
    return new NewObject(key, contentType, encodedName);
  }

  private static boolean isPrintableUnicode(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.isLowSurrogate(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }

  private static RequestRejectedException invalidField(String name, String problem) {
    return RequestRejectedException.invalid("invalid_field", "Field '" + name + "' " + problem);
  }
}
