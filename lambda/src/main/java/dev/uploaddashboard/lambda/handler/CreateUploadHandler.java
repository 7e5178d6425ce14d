package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.uploaddashboard.lambda.config.Settings;
import dev.uploaddashboard.lambda.http.ApiRequest;
import dev.uploaddashboard.lambda.http.ApiResponse;
import dev.uploaddashboard.lambda.http.HttpApiAdapter;
import dev.uploaddashboard.lambda.http.JsonObjectBody;
import dev.uploaddashboard.lambda.service.UploadQuota;
import dev.uploaddashboard.lambda.service.UploadService;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.ObjectUrlSigner;
import dev.uploaddashboard.lambda.store.UploadQuotaStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;

/** {@code POST /uploads}: a presigned PUT for a new file under a server-chosen key. */
public final class CreateUploadHandler implements RequestStreamHandler {
  static final String MISSING_FIELDS = "Missing required fields: file_name, content_type and size";
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

  private final UploadService service;

  public CreateUploadHandler() {
    this(System::getenv);
  }

  public CreateUploadHandler(Function<String, String> env) {
    this(create(new Settings(env)));
  }

  public CreateUploadHandler(UploadService service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  private static UploadService create(Settings settings) {
    AwsClientFactory clients = new AwsClientFactory(settings.lookup());
    long uploadsPerHour =
        settings.positiveLong(
            Settings.UPLOADS_PER_USER_PER_HOUR, Settings.DEFAULT_UPLOADS_PER_USER_PER_HOUR);
    if (uploadsPerHour > Integer.MAX_VALUE) {
      throw new IllegalStateException(Settings.UPLOADS_PER_USER_PER_HOUR + " is too large");
    }
    return new UploadService(
        new ObjectUrlSigner(clients.s3Presigner(), settings.required(Settings.UPLOAD_BUCKET)),
        new UploadQuota(
            new UploadQuotaStore(
                clients.dynamoDb(), settings.required(Settings.UPLOAD_QUOTA_TABLE)),
            (int) uploadsPerHour,
            Clock.systemUTC()),
        settings.seconds(Settings.UPLOAD_URL_TTL_SECONDS, Settings.DEFAULT_UPLOAD_URL_TTL_SECONDS),
        settings.positiveLong(Settings.MAX_UPLOAD_BYTES, Settings.DEFAULT_MAX_UPLOAD_BYTES));
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
    JsonNode size = body.value("size").orElseThrow();
    if (!size.isIntegralNumber()) {
      throw JsonObjectBody.invalidField("size", "must be a positive integer");
    }
    BigInteger value = size.bigIntegerValue();
    return value.max(LONG_MIN).min(LONG_MAX).longValue();
  }
}
