package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import dev.uploaddashboard.contract.Env;
import dev.uploaddashboard.contract.Functions;
import dev.uploaddashboard.lambda.config.Settings;
import dev.uploaddashboard.lambda.http.ApiRequest;
import dev.uploaddashboard.lambda.http.ApiResponse;
import dev.uploaddashboard.lambda.http.HttpApiAdapter;
import dev.uploaddashboard.lambda.service.FileDetailService;
import dev.uploaddashboard.lambda.service.RequestRejectedException;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.ObjectUrlSigner;
import dev.uploaddashboard.lambda.store.RequestPriming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@code GET /metadata/file?key=}: one of the caller's live files and a presigned download URL. */
public final class FileDetailHandler extends PrimedHandler {
  private final FileDetailService service;
  private final Supplier<SnapStartPriming.Report> priming;

  public FileDetailHandler() {
    this(System::getenv);
    SnapStartPriming.register(this);
  }

  public FileDetailHandler(Function<String, String> env) {
    this(new Settings(env), new AwsClientFactory(env));
  }

  public FileDetailHandler(FileDetailService service) {
    this.service = Objects.requireNonNull(service, "service");
    this.priming = SnapStartPriming.Report::none;
  }

  private FileDetailHandler(Settings settings, AwsClientFactory clients) {
    String bucket = settings.required(Env.UPLOAD_BUCKET);
    FileMetadataStore metadata =
        new FileMetadataStore(clients.dynamoDb(), settings.required(Env.TABLE_NAME));
    ObjectUrlSigner signer = new ObjectUrlSigner(clients.s3Presigner(), bucket);
    this.service =
        new FileDetailService(
            metadata,
            signer,
            settings.seconds(Env.DOWNLOAD_URL_TTL_SECONDS, Functions.DOWNLOAD_URL_TTL_SECONDS));
    // Another user's key is answered as not found before any AWS call; the read is then made,
    // unsent, and a download URL is signed (locally) for a key no file can have.
    this.priming =
        () -> {
          int status =
              SnapStartPriming.invoke(
                  this,
                  SnapStartPriming.httpEvent(
                      "GET", "/metadata/file", Map.of("key", SnapStartPriming.FOREIGN_KEY), null));
          signer.download(RequestPriming.KEY, "attachment", Duration.ofMinutes(5));
          return new SnapStartPriming.Report(
              status, clients.priming().run(() -> metadata.findLive(bucket, RequestPriming.KEY)));
        };
  }

  @Override
  SnapStartPriming.Report prime() {
    return priming.get();
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
