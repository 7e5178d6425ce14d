package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import dev.uploaddashboard.contract.Env;
import dev.uploaddashboard.lambda.config.Settings;
import dev.uploaddashboard.lambda.http.ApiRequest;
import dev.uploaddashboard.lambda.http.ApiResponse;
import dev.uploaddashboard.lambda.http.HttpApiAdapter;
import dev.uploaddashboard.lambda.service.FileListService;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.FileListings;
import dev.uploaddashboard.lambda.store.FileListings.Listing;
import dev.uploaddashboard.lambda.store.ListSort;
import dev.uploaddashboard.lambda.store.RequestPriming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code GET /metadata?q=&sort=&order=&limit=&cursor=}: a page of the caller's live files (an
 * admin: all), newest first unless asked otherwise, optionally only those whose name contains q.
 */
public final class ListFilesHandler extends PrimedHandler {
  private final FileListService service;
  private final Supplier<SnapStartPriming.Report> priming;

  public ListFilesHandler() {
    this(System::getenv);
    SnapStartPriming.register(this);
  }

  public ListFilesHandler(Function<String, String> env) {
    this(new Settings(env), new AwsClientFactory(env));
  }

  public ListFilesHandler(FileListService service) {
    this.service = Objects.requireNonNull(service, "service");
    this.priming = SnapStartPriming.Report::none;
  }

  private ListFilesHandler(Settings settings, AwsClientFactory clients) {
    String bucket = settings.required(Env.UPLOAD_BUCKET);
    FileListings listings = new FileListings(clients.dynamoDb(), settings.required(Env.TABLE_NAME));
    this.service =
        new FileListService(
            listings,
            bucket,
            FileListService.SEARCH_READ_BUDGET,
            FileListService.sortOrders(settings.optional(Env.SORT_ORDERS)));
    // An unreadable cursor is answered before any query; the queries are then made, unsent.
    this.priming =
        () ->
            new SnapStartPriming.Report(
                SnapStartPriming.invoke(
                    this,
                    SnapStartPriming.httpEvent(
                        "GET", "/metadata", Map.of("limit", "25", "cursor", "priming"), null)),
                clients
                    .priming()
                    .run(
                        () ->
                            listings.page(
                                new Listing(
                                    bucket,
                                    Optional.of(SnapStartPriming.CALLER),
                                    ListSort.UPLOADED,
                                    false),
                                FileListService.DEFAULT_LIMIT,
                                Optional.empty()),
                        () ->
                            listings.page(
                                new Listing(
                                    RequestPriming.KEY, Optional.empty(), ListSort.NAME, true),
                                1,
                                Optional.empty(),
                                Optional.of(RequestPriming.KEY),
                                FileListService.SEARCH_READ_BUDGET)));
  }

  @Override
  SnapStartPriming.Report prime() {
    return priming.get();
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
            request.caller(),
            new FileListService.Request(
                request.queryParameter("limit"),
                request.queryParameter("cursor"),
                request.queryParameter("q"),
                request.queryParameter("sort"),
                request.queryParameter("order"))));
  }
}
