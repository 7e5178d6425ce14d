package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.uploaddashboard.lambda.config.Settings;
import dev.uploaddashboard.lambda.http.Json;
import dev.uploaddashboard.lambda.log.JsonLog;
import dev.uploaddashboard.lambda.service.MetadataSyncService;
import dev.uploaddashboard.lambda.service.MetadataSyncService.ObjectEvent;
import dev.uploaddashboard.lambda.service.MetadataSyncService.Outcome;
import dev.uploaddashboard.lambda.service.MetadataSyncService.Result;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * S3 notifications ({@code ObjectCreated:*}, {@code ObjectRemoved:*}) to metadata rows. Fails the
 * invocation if any record failed (after applying the rest) so Lambda retries it and finally hands
 * it to the on-failure destination.
 */
public final class MetadataSyncHandler implements RequestStreamHandler {
  private final MetadataSyncService service;

  public MetadataSyncHandler() {
    this(System::getenv);
  }

  public MetadataSyncHandler(Function<String, String> env) {
    this(create(new Settings(env)));
  }

  public MetadataSyncHandler(MetadataSyncService service) {
    this.service = Objects.requireNonNull(service, "service");
  }

  private static MetadataSyncService create(Settings settings) {
    AwsClientFactory clients = new AwsClientFactory(settings.lookup());
    return new MetadataSyncService(
        new FileMetadataStore(clients.dynamoDb(), settings.required(Settings.TABLE_NAME)),
        new ObjectStore(clients.s3(), settings.required(Settings.UPLOAD_BUCKET)),
        Clock.systemUTC());
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    long started = System.nanoTime();
    JsonLog log = JsonLog.forInvocation(context);
    List<ObjectEvent> events = S3EventRecords.read(Json.read(input));
    List<Outcome> outcomes = service.apply(events);
    long failed = 0;
    for (Outcome outcome : outcomes) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("event_name", outcome.event().eventName());
      fields.put("bucket", outcome.event().bucket());
      fields.put("object_key", outcome.key());
      fields.put("result", outcome.result().name());
      fields.put("detail", outcome.detail());
      if (outcome.result() == Result.FAILED) {
        failed++;
        log.error("record failed", fields, outcome.failure());
      } else if (outcome.result() == Result.IGNORED) {
        log.warn("record ignored", fields);
      } else {
        log.info("record applied", fields);
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("records", outcomes.size());
    summary.put("failed", failed);
    summary.put("duration_ms", (System.nanoTime() - started) / 1_000_000);
    log.info("event processed", summary);
    if (failed > 0) {
      throw new SyncFailedException(failed + " of " + outcomes.size() + " records failed");
    }
    output.write(Json.writeBytes(Map.of("records", outcomes.size(), "failed", 0)));
    output.flush();
  }

  /** Signals Lambda to retry the event (and finally to use the on-failure destination). */
  public static final class SyncFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyncFailedException(String message) {
      super(message);
    }
  }
}
