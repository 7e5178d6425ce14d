package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import dev.uploaddashboard.contract.Env;
import dev.uploaddashboard.contract.Functions;
import dev.uploaddashboard.lambda.config.Settings;
import dev.uploaddashboard.lambda.http.ApiRequest;
import dev.uploaddashboard.lambda.http.ApiResponse;
import dev.uploaddashboard.lambda.http.HttpApiAdapter;
import dev.uploaddashboard.lambda.http.Json;
import dev.uploaddashboard.lambda.http.JsonObjectBody;
import dev.uploaddashboard.lambda.service.MultipartUploadService;
import dev.uploaddashboard.lambda.service.RequestRejectedException;
import dev.uploaddashboard.lambda.service.UploadQuota;
import dev.uploaddashboard.lambda.service.UploadService;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.MultipartUploads;
import dev.uploaddashboard.lambda.store.ObjectUrlSigner;
import dev.uploaddashboard.lambda.store.RequestPriming;
import dev.uploaddashboard.lambda.store.UploadQuotaStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code POST /uploads}: a presigned PUT for a new file under a server-chosen key; and the
 * multipart routes for big files under {@code /uploads/multipart} (start, part URLs, list parts,
 * complete, abort), routed by the event's route key.
 */
public final class CreateUploadHandler extends PrimedHandler {
  static final String MISSING_FIELDS = "Missing required fields: file_name, content_type and size";
  static final String MISSING_UPLOAD = "Missing required fields: key and upload_id";

  /** A completion lists up to 10,000 parts of about 50 bytes each. */
  static final int COMPLETE_BODY_BYTES = 1024 * 1024;

  public static final String CREATE_ROUTE = "POST /uploads";
  public static final String START_MULTIPART_ROUTE = "POST /uploads/multipart";
  public static final String SIGN_PARTS_ROUTE = "POST /uploads/multipart/parts";
  public static final String LIST_PARTS_ROUTE = "GET /uploads/multipart/parts";
  public static final String COMPLETE_MULTIPART_ROUTE = "POST /uploads/multipart/complete";
  public static final String ABORT_MULTIPART_ROUTE = "DELETE /uploads/multipart";

  /** Every route this handler serves. */
  public static final List<String> ROUTES =
      List.of(
          CREATE_ROUTE,
          START_MULTIPART_ROUTE,
          SIGN_PARTS_ROUTE,
          LIST_PARTS_ROUTE,
          COMPLETE_MULTIPART_ROUTE,
          ABORT_MULTIPART_ROUTE);

  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

  private final UploadService service;
  private final MultipartUploadService multipart;
  private final Supplier<SnapStartPriming.Report> priming;

  public CreateUploadHandler() {
    this(System::getenv);
    SnapStartPriming.register(this);
  }

  public CreateUploadHandler(Function<String, String> env) {
    this(new Settings(env), new AwsClientFactory(env));
  }

  public CreateUploadHandler(UploadService service, MultipartUploadService multipart) {
    this.service = Objects.requireNonNull(service, "service");
    this.multipart = Objects.requireNonNull(multipart, "multipart");
    this.priming = SnapStartPriming.Report::none;
  }

  private CreateUploadHandler(Settings settings, AwsClientFactory clients) {
    ObjectUrlSigner signer =
        new ObjectUrlSigner(clients.s3Presigner(), settings.required(Env.UPLOAD_BUCKET));
    var ttl = settings.seconds(Env.UPLOAD_URL_TTL_SECONDS, Functions.UPLOAD_URL_TTL_SECONDS);
    long maxBytes = settings.positiveLong(Env.MAX_UPLOAD_BYTES, Functions.DEFAULT_MAX_UPLOAD_BYTES);
    long uploadsPerHour =
        settings.positiveLong(
            Env.UPLOADS_PER_USER_PER_HOUR, Functions.DEFAULT_UPLOADS_PER_USER_PER_HOUR);
    if (uploadsPerHour > Integer.MAX_VALUE) {
      throw new IllegalStateException(Env.UPLOADS_PER_USER_PER_HOUR + " is too large");
    }
    UploadQuotaStore quotaStore =
        new UploadQuotaStore(clients.dynamoDb(), settings.required(Env.UPLOAD_QUOTA_TABLE));
    this.service =
        new UploadService(
            signer,
            new UploadQuota(quotaStore, (int) uploadsPerHour, Clock.systemUTC()),
            ttl,
            maxBytes);
    long maxMultipartBytes =
        settings.positiveLong(
            Env.MAX_MULTIPART_UPLOAD_BYTES, Functions.DEFAULT_MAX_MULTIPART_UPLOAD_BYTES);
    this.multipart =
        new MultipartUploadService(
            service,
            new MultipartUploads(clients.s3(), signer.bucket()),
            signer,
            settings.seconds(Env.PART_URL_TTL_SECONDS, Functions.PART_URL_TTL_SECONDS),
            maxMultipartBytes);
    // A file over the limit is refused before the quota is counted, an id drawn or a URL signed;
    // then an upload URL is signed (locally, nothing is sent) for a key no file can have, and the
    // quota's UpdateItem runs up to the network for a user id no token can carry.
    this.priming =
        () -> {
          String body =
              Json.write(
                  Map.of(
                      "file_name",
                      "priming.txt",
                      "content_type",
                      "text/plain",
                      "size",
                      maxBytes + 1));
          int status =
              SnapStartPriming.invoke(
                  this, SnapStartPriming.httpEvent("POST", "/uploads", Map.of(), body));
          signer.upload(
              RequestPriming.KEY,
              "text/plain",
              1,
              Map.of(UploadService.FILE_NAME_METADATA, "priming.txt"),
              ttl);
          List<String> calls =
              clients
                  .priming()
                  .run(
                      () ->
                          quotaStore.tryCount(
                              RequestPriming.KEY, Instant.EPOCH, 1, Instant.EPOCH.plusSeconds(1)));
          return new SnapStartPriming.Report(status, calls);
        };
  }

  @Override
  SnapStartPriming.Report prime() {
    return priming.get();
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    HttpApiAdapter.handle(input, output, context, this::route);
  }

  private ApiResponse route(ApiRequest request) {
    return switch (request.routeKey()) {
      case START_MULTIPART_ROUTE -> startMultipart(request);
      case SIGN_PARTS_ROUTE -> signParts(request);
      case LIST_PARTS_ROUTE -> listParts(request);
      case COMPLETE_MULTIPART_ROUTE -> completeMultipart(request);
      case ABORT_MULTIPART_ROUTE -> abortMultipart(request);
      default -> createUpload(request);
    };
  }

  private ApiResponse createUpload(ApiRequest request) {
    JsonObjectBody body =
        request.jsonObjectBody().require(MISSING_FIELDS, "file_name", "content_type", "size");
    return ApiResponse.json(201, service.create(request.caller(), newFile(body)));
  }

  private ApiResponse startMultipart(ApiRequest request) {
    JsonObjectBody body =
        request.jsonObjectBody().require(MISSING_FIELDS, "file_name", "content_type", "size");
    if (body.has("checksum_crc32c")) {
      throw JsonObjectBody.invalidField(
          "checksum_crc32c", "is sent on completion of a multipart upload, not at its start");
    }
    List<MultipartUploadService.PartRequest> parts = body.has("parts") ? parts(body) : List.of();
    return ApiResponse.json(201, multipart.start(request.caller(), newFile(body), parts));
  }

  private ApiResponse signParts(ApiRequest request) {
    JsonObjectBody body =
        request
            .jsonObjectBody()
            .require(
                "Missing required fields: key, upload_id and parts", "key", "upload_id", "parts");
    return ApiResponse.json(
        200,
        multipart.signParts(
            request.caller(), body.string("key"), body.string("upload_id"), parts(body)));
  }

  private ApiResponse listParts(ApiRequest request) {
    String key = request.queryParameter("key").orElse("");
    String uploadId = request.queryParameter("upload_id").orElse("");
    if (key.isEmpty() || uploadId.isEmpty()) {
      throw RequestRejectedException.invalid("missing_fields", MISSING_UPLOAD);
    }
    return ApiResponse.json(200, multipart.listParts(request.caller(), key, uploadId));
  }

  private ApiResponse completeMultipart(ApiRequest request) {
    JsonObjectBody body =
        request
            .jsonObjectBody(COMPLETE_BODY_BYTES)
            .require(
                "Missing required fields: key, upload_id and parts", "key", "upload_id", "parts");
    Optional<String> checksum =
        body.has("checksum_crc32c")
            ? Optional.of(body.string("checksum_crc32c"))
            : Optional.empty();
    return ApiResponse.json(
        200,
        multipart.complete(
            request.caller(),
            body.string("key"),
            body.string("upload_id"),
            partChecksums(body),
            checksum));
  }

  private ApiResponse abortMultipart(ApiRequest request) {
    JsonObjectBody body = request.jsonObjectBody().require(MISSING_UPLOAD, "key", "upload_id");
    return ApiResponse.json(
        200, multipart.abort(request.caller(), body.string("key"), body.string("upload_id")));
  }

  private static UploadService.Request newFile(JsonObjectBody body) {
    Optional<String> checksum =
        body.has("checksum_crc32c")
            ? Optional.of(body.string("checksum_crc32c"))
            : Optional.empty();
    return new UploadService.Request(
        body.string("file_name"), body.string("content_type"), size(body), checksum);
  }

  /** {@code parts}: an array of {@code {"part_number", "size", "checksum_crc32c"}} objects. */
  private static List<MultipartUploadService.PartRequest> parts(JsonObjectBody body) {
    String shape = "must be an array of {\"part_number\", \"size\", \"checksum_crc32c\"} objects";
    List<MultipartUploadService.PartRequest> parts = new ArrayList<>();
    for (Map<?, ?> part : objects(body, shape)) {
      parts.add(
          new MultipartUploadService.PartRequest(
              partNumber(part, shape),
              integer(part.get("size"), "parts", shape),
              checksum(part, shape)));
    }
    return parts;
  }

  /** {@code parts} of a completion: {@code {"part_number", "checksum_crc32c"}} objects. */
  private static List<MultipartUploadService.PartChecksum> partChecksums(JsonObjectBody body) {
    String shape = "must be an array of {\"part_number\", \"checksum_crc32c\"} objects";
    List<MultipartUploadService.PartChecksum> parts = new ArrayList<>();
    for (Map<?, ?> part : objects(body, shape)) {
      parts.add(
          new MultipartUploadService.PartChecksum(partNumber(part, shape), checksum(part, shape)));
    }
    return parts;
  }

  private static List<Map<?, ?>> objects(JsonObjectBody body, String shape) {
    if (!(body.value("parts").orElse(null) instanceof List<?> list)) {
      throw JsonObjectBody.invalidField("parts", shape);
    }
    List<Map<?, ?>> objects = new ArrayList<>(list.size());
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> object)) {
        throw JsonObjectBody.invalidField("parts", shape);
      }
      objects.add(object);
    }
    return objects;
  }

  private static int partNumber(Map<?, ?> part, String shape) {
    long number = integer(part.get("part_number"), "parts", shape);
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, number));
  }

  private static String checksum(Map<?, ?> part, String shape) {
    if (!(part.get("checksum_crc32c") instanceof String checksum)) {
      throw JsonObjectBody.invalidField("parts", shape);
    }
    return checksum;
  }

  /**
   * The size as a long; integers beyond the long range saturate (they are out of bounds anyway).
   */
  private static long size(JsonObjectBody body) {
    return integer(body.value("size").orElseThrow(), "size", "must be a positive integer");
  }

  /** A JSON integer as a long, saturating beyond the long range; anything else is a 400. */
  private static long integer(Object size, String field, String problem) {
    BigInteger value;
    if (size instanceof Integer || size instanceof Long) {
      value = BigInteger.valueOf(((Number) size).longValue());
    } else if (size instanceof BigInteger big) {
      value = big;
    } else {
      throw JsonObjectBody.invalidField(field, problem);
    }
    return value.max(LONG_MIN).min(LONG_MAX).longValue();
  }
}
