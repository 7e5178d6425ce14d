package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.uploaddashboard.lambda.config.Settings;
import dev.uploaddashboard.lambda.http.ApiRequest;
import dev.uploaddashboard.lambda.http.ApiResponse;
import dev.uploaddashboard.lambda.http.HttpApiAdapter;
import dev.uploaddashboard.lambda.service.FileListService;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Function;

/** {@code GET /metadata?limit=&cursor=}: the caller's live files (an admin: all), newest first. */
public final class ListFilesHandler implements RequestStreamHandler {
  private final FileListService service;

  public ListFilesHandler() {
    this(System::getenv);
  }

  public ListFilesHandler(Function<String, String> env) {
    this(create(new Settings(env)));
  }

  public ListFilesHandler(FileListService service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  private static FileListService create(Settings settings) {
    AwsClientFactory clients = new AwsClientFactory(settings.lookup());
    return new FileListService(
        new FileMetadataStore(clients.dynamoDb(), settings.required(Settings.TABLE_NAME)),
        settings.required(Settings.UPLOAD_BUCKET));
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    HttpApiAdapter.handle(input, output, context, this::list);
  }

  private ApiResponse list(ApiRequest request) {
    return ApiResponse.json(
        200,
        service.list(
            request.caller(), request.queryParameter("limit"), request.queryParameter("cursor")));
  }
}
