package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import dev.uploaddashboard.contract.Env;
import dev.uploaddashboard.lambda.config.Settings;
import dev.uploaddashboard.lambda.http.Json;
import dev.uploaddashboard.lambda.log.JsonLog;
import dev.uploaddashboard.lambda.model.FileItem;
import dev.uploaddashboard.lambda.service.MetadataSyncService;
import dev.uploaddashboard.lambda.service.MetadataSyncService.Outcome;
import dev.uploaddashboard.lambda.service.MetadataSyncService.Result;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.ObjectStore;
import dev.uploaddashboard.lambda.store.RequestPriming;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * S3 notifications ({@code ObjectCreated:*}, {@code ObjectRemoved:*}) to metadata rows. Fails the
 * invocation if any record failed (after applying the rest) so Lambda retries it and finally hands
 * it to the on-failure destination.
 */
public final class MetadataSyncHandler extends PrimedHandler {
  private final MetadataSyncService service;
  private final Supplier<SnapStartPriming.Report> priming;

  public MetadataSyncHandler() {
    this(System::getenv);
    SnapStartPriming.register(this);
  }

  public MetadataSyncHandler(Function<String, String> env) {
    this(new Settings(env), new AwsClientFactory(env));
  }

  public MetadataSyncHandler(MetadataSyncService service) {
    this.service = Objects.requireNonNull(service, "service");
    this.priming = SnapStartPriming.Report::none;
  }

  private MetadataSyncHandler(Settings settings, AwsClientFactory clients) {
    String bucket = settings.required(Env.UPLOAD_BUCKET);
    FileMetadataStore metadata =
        new FileMetadataStore(clients.dynamoDb(), settings.required(Env.TABLE_NAME));
    ObjectStore objects = new ObjectStore(clients.s3(), bucket);
    this.service = new MetadataSyncService(metadata, objects, Clock.systemUTC());
    // An event without records (like S3's test event) runs decoding and logging; then the calls a
    // record makes are made, unsent, for a key outside incoming/.
    this.priming =
        () -> {
          invoke(Map.of("Records", List.of()));
          String sequencer = "0";
          return new SnapStartPriming.Report(
              0,
              clients
                  .priming()
                  .run(
                      () -> objects.head(RequestPriming.KEY),
                      () ->
                          metadata.putLive(
                              new FileItem(
                                  bucket,
                                  RequestPriming.KEY,
                                  "priming.txt",
                                  1,
                                  "text/plain",
                                  "1970-01-01T00:00:00.000Z"),
                              Optional.empty(),
                              "0",
                              sequencer),
                      () ->
                          metadata.putTombstone(
                              bucket,
                              RequestPriming.KEY,
                              sequencer,
                              "1970-01-01T00:00:00.000Z",
                              Instant.EPOCH)));
        };
  }

  private void invoke(Map<String, Object> event) {
    try {
      handleRequest(
          new ByteArrayInputStream(Json.writeBytes(event)),
          new ByteArrayOutputStream(),
          SnapStartPriming.QUIET);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  SnapStartPriming.Report prime() {
    return priming.get();
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    long started = System.nanoTime();
    JsonLog log = JsonLog.forInvocation(context);
    Object event = Json.read(input);
    if (FailedEventMessages.isSqsBatch(event)) {
      replay(FailedEventMessages.read(event), log, output, started);
      return;
    }
    List<Outcome> outcomes = service.apply(S3EventRecords.read(event));
    long failed = logOutcomes(log, outcomes);
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

  /**
   * Replays failed S3 events from the on-failure queue (an SQS batch): each message's records are
   * applied as if S3 had just sent them (the writes are sequencer-conditional, so an old event
   * cannot undo a newer change), and the ids of messages with a failed record, or with a body that
   * is not a failed S3 event, are returned as batch item failures: those stay in the queue, the
   * rest are deleted by Lambda. Never throws, so one bad message does not hold back the batch.
   */
  private void replay(
      List<FailedEventMessages.Message> messages, JsonLog log, OutputStream output, long started)
      throws IOException {
    List<Map<String, Object>> failures = new ArrayList<>();
    int records = 0;
    for (FailedEventMessages.Message message : messages) {
      long failed;
      if (message.records().isEmpty()) {
        failed = 1;
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("message_id", message.messageId());
        log.error("replayed message is not a failed S3 event; left in the queue", fields, null);
      } else {
        List<Outcome> outcomes = service.apply(message.records().get());
        records += outcomes.size();
        failed = logOutcomes(log, outcomes);
      }
      if (failed > 0 && message.messageId() != null) {
        failures.add(Map.of("itemIdentifier", message.messageId()));
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("replayed_messages", messages.size());
    summary.put("records", records);
    summary.put("failed_messages", failures.size());
    summary.put("duration_ms", (System.nanoTime() - started) / 1_000_000);
    log.info("failed events replayed", summary);
    output.write(Json.writeBytes(Map.of("batchItemFailures", failures)));
    output.flush();
  }

  /** Logs each record's outcome; returns how many failed. */
  private static long logOutcomes(JsonLog log, List<Outcome> outcomes) {
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
    return failed;
  }

  /** Signals Lambda to retry the event (and finally to use the on-failure destination). */
  public static final class SyncFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyncFailedException(String message) {
      super(message);
    }
  }
}
