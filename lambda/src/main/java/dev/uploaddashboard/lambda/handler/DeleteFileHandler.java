package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import dev.uploaddashboard.contract.Env;
import dev.uploaddashboard.lambda.config.Settings;
import dev.uploaddashboard.lambda.http.ApiRequest;
import dev.uploaddashboard.lambda.http.ApiResponse;
import dev.uploaddashboard.lambda.http.HttpApiAdapter;
import dev.uploaddashboard.lambda.http.Json;
import dev.uploaddashboard.lambda.http.JsonObjectBody;
import dev.uploaddashboard.lambda.service.DeleteFileService;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.ObjectStore;
import dev.uploaddashboard.lambda.store.RequestPriming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code DELETE /metadata}: removes one of the caller's files ({@code {"bucket", "key"}}), or up to
 * 1,000 ({@code {"bucket", "keys": [...]}}), from S3 and from the metadata table.
 */
public final class DeleteFileHandler extends PrimedHandler {
  static final String MISSING_FIELDS = "Missing required fields: bucket and key";

  /**
   * The body limit of this route: a batch of 1,000 keys of up to 1,024 UTF-8 bytes each, even with
   * every character written as a JSON escape (at most three times its UTF-8 length), fits.
   */
  static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

  private final DeleteFileService service;
  private final Supplier<SnapStartPriming.Report> priming;

  public DeleteFileHandler() {
    this(System::getenv);
    SnapStartPriming.register(this);
  }

  public DeleteFileHandler(Function<String, String> env) {
    this(new Settings(env), new AwsClientFactory(env));
  }

  public DeleteFileHandler(DeleteFileService service) {
    this.service = Objects.requireNonNull(service, "service");
    this.priming = SnapStartPriming.Report::none;
  }

  private DeleteFileHandler(Settings settings, AwsClientFactory clients) {
    String bucket = settings.required(Env.UPLOAD_BUCKET);
    FileMetadataStore metadata =
        new FileMetadataStore(clients.dynamoDb(), settings.required(Env.TABLE_NAME));
    ObjectStore objects = new ObjectStore(clients.s3(), bucket);
    this.service = new DeleteFileService(metadata, objects);
    this.priming =
        () ->
            new SnapStartPriming.Report(
                SnapStartPriming.invoke(
                    this,
                    SnapStartPriming.httpEvent(
                        "DELETE",
                        "/metadata",
                        Map.of(),
                        Json.write(Map.of("bucket", bucket, "key", SnapStartPriming.FOREIGN_KEY)))),
                clients
                    .priming()
                    .run(
                        () -> objects.delete(RequestPriming.KEY),
                        () -> metadata.deleteLive(bucket, RequestPriming.KEY),
                        () -> objects.deleteAll(List.of(RequestPriming.KEY)),
                        () -> metadata.deleteLiveRows(bucket, List.of(RequestPriming.KEY))));
  }

  @Override
  SnapStartPriming.Report prime() {
    return priming.get();
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    HttpApiAdapter.handle(input, output, context, this::delete);
  }

  private ApiResponse delete(ApiRequest request) {
    JsonObjectBody body = request.jsonObjectBody(MAX_BODY_BYTES);
    if (body.has("keys")) {
      return deleteAll(request, body);
    }
    body.require(MISSING_FIELDS, "bucket", "key");
    DeleteFileService.Outcome outcome =
        service.delete(request.caller(), body.string("bucket"), body.string("key"));
    if (outcome.metadataExisted()) {
      return ApiResponse.json(
          200, new Deleted("Deleted successfully", outcome.bucket(), outcome.objectKey()));
    }
    return ApiResponse.json(
        404, new NotFound("File not found", "not_found", outcome.bucket(), outcome.objectKey()));
  }

  private ApiResponse deleteAll(ApiRequest request, JsonObjectBody body) {
    if (body.has("key")) {
      throw JsonObjectBody.invalidField("key", "must not be sent with 'keys'");
    }
    body.require("Missing required fields: bucket and keys", "bucket");
    List<DeleteFileService.KeyResult> results =
        service.deleteAll(request.caller(), body.string("bucket"), body.strings("keys"));
    Map<DeleteFileService.Status, Integer> counts = new EnumMap<>(DeleteFileService.Status.class);
    for (DeleteFileService.Status status : DeleteFileService.Status.values()) {
      counts.put(status, 0);
    }
    List<Map<String, String>> items = new ArrayList<>(results.size());
    for (DeleteFileService.KeyResult result : results) {
      Map<String, String> item = new LinkedHashMap<>();
      item.put("key", result.key());
      item.put("status", result.status().name().toLowerCase(Locale.ROOT));
      if (result.code() != null) {
        item.put("code", result.code());
        item.put("error", result.error());
      }
      items.add(item);
      counts.merge(result.status(), 1, Integer::sum);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("results", items);
    counts.forEach((status, count) -> answer.put(status.name().toLowerCase(Locale.ROOT), count));
    return ApiResponse.json(200, answer);
  }

  record Deleted(String message, String bucket, String objectKey) {}

  record NotFound(String error, String code, String bucket, String objectKey) {}
}
