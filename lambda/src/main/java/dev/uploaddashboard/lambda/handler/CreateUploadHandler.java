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
import dev.uploaddashboard.lambda.service.UploadQuota;
import dev.uploaddashboard.lambda.service.UploadService;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.ObjectUrlSigner;
import dev.uploaddashboard.lambda.store.RequestPriming;
import dev.uploaddashboard.lambda.store.UploadQuotaStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@code POST /uploads}: a presigned PUT for a new file under a server-chosen key. */
public final class CreateUploadHandler extends PrimedHandler {
  static final String MISSING_FIELDS = "Missing required fields: file_name, content_type and size";
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

  private final UploadService service;
  private final Supplier<SnapStartPriming.Report> priming;

  public CreateUploadHandler() {
    this(System::getenv);
    SnapStartPriming.register(this);
  }

  public CreateUploadHandler(Function<String, String> env) {
    this(new Settings(env), new AwsClientFactory(env));
  }

  public CreateUploadHandler(UploadService service) {
    this.service = Objects.requireNonNull(service, "service");
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
    HttpApiAdapter.handle(input, output, context, this::createUpload);
  }

  private ApiResponse createUpload(ApiRequest request) {
    JsonObjectBody body =
        request.jsonObjectBody().require(MISSING_FIELDS, "file_name", "content_type", "size");
    UploadService.Request upload =
        new UploadService.Request(
            body.string("file_name"), body.string("content_type"), size(body));
    return ApiResponse.json(201, service.create(request.caller(), upload));
  }

  /**
   * The size as a long; integers beyond the long range saturate (they are out of bounds anyway).
   */
  private static long size(JsonObjectBody body) {
    Object size = body.value("size").orElseThrow();
    BigInteger value;
    if (size instanceof Integer || size instanceof Long) {
      value = BigInteger.valueOf(((Number) size).longValue());
    } else if (size instanceof BigInteger big) {
      value = big;
    } else {
      throw JsonObjectBody.invalidField("size", "must be a positive integer");
    }
    return value.max(LONG_MIN).min(LONG_MAX).longValue();
  }
}
