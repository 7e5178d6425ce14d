package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.uploaddashboard.lambda.config.Settings;
import dev.uploaddashboard.lambda.http.ApiRequest;
import dev.uploaddashboard.lambda.http.ApiResponse;
import dev.uploaddashboard.lambda.http.HttpApiAdapter;
import dev.uploaddashboard.lambda.service.FileDetailService;
import dev.uploaddashboard.lambda.service.RequestRejectedException;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.ObjectUrlSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Function;

/** {@code GET /metadata/file?key=}: one of the caller's live files and a presigned download URL. */
public final class FileDetailHandler implements RequestStreamHandler {
  private final FileDetailService service;

  public FileDetailHandler() {
    this(System::getenv);
  }

  public FileDetailHandler(Function<String, String> env) {
    this(create(new Settings(env)));
  }

  public FileDetailHandler(FileDetailService service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  private static FileDetailService create(Settings settings) {
    AwsClientFactory clients = new AwsClientFactory(settings.lookup());
    return new FileDetailService(
        new FileMetadataStore(clients.dynamoDb(), settings.required(Settings.TABLE_NAME)),
        new ObjectUrlSigner(clients.s3Presigner(), settings.required(Settings.UPLOAD_BUCKET)),
        settings.seconds(Settings.DOWNLOAD_URL_TTL_SECONDS, Settings.DEFAULT_URL_TTL_SECONDS));
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    HttpApiAdapter.handle(input, output, context, this::detail);
  }

  private ApiResponse detail(ApiRequest request) {
    String key =
        request
            .queryParameter("key")
            .orElseThrow(
                () ->
                    RequestRejectedException.invalid(
                        "invalid_key", "Missing query parameter: key"));
    return service
        .find(request.caller(), key)
        .map(detail -> ApiResponse.json(200, detail))
        .orElseGet(() -> ApiResponse.error(404, "not_found", "File not found"));
  }
}
