package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uploaddashboard.lambda.service.MetadataSyncService;
import dev.uploaddashboard.lambda.service.MetadataSyncService.ObjectEvent;
import dev.uploaddashboard.lambda.service.ReconcileService;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.IncomingObjects;
import dev.uploaddashboard.lambda.store.MetadataRepairs;
import dev.uploaddashboard.lambda.store.ObjectStore;
import dev.uploaddashboard.lambda.testing.AwsMissingObjectAnswers;
import dev.uploaddashboard.lambda.testing.Emulators;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.TestBucket;
import dev.uploaddashboard.lambda.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The reconciler against the emulators: each kind of drift is found and repaired, a second run
 * finds nothing, the budget and checkpoint resume a long walk, and a repair never wins over a
 * concurrent sync (its writes are conditional on the row it read).
 */
class ReconcileHandlerTest {
  private static final String ALICE = TestBucket.newUserId("alice");
  private static final String TIME = "2026-11-21T07:48:10.123Z";

  private TestBucket bucket;
  private ByteArrayOutputStream metrics;

  @BeforeEach
  void setUp() {
    bucket = new TestBucket();
    metrics = new ByteArrayOutputStream();
  }

  private String key(String name) {
    return "incoming/" + ALICE + "/" + name;
  }

  private JsonNode reconcile(String input) {
    ReconcileHandler handler =
        new ReconcileHandler(
            bucket.envLookup(), new PrintStream(metrics, true, StandardCharsets.UTF_8));
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try {
      handler.handleRequest(
          new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
          output,
          new TestContext());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Events.parse(output.toString(StandardCharsets.UTF_8));
  }

  private MetadataSyncService sync() {
    Emulators emulators = bucket.emulators();
    return new MetadataSyncService(
        new FileMetadataStore(emulators.dynamoDb(), Emulators.TABLE),
        new ObjectStore(
            emulators.s3(AwsMissingObjectAnswers.withListBucketOn("incoming/")), bucket.name()),
        Clock.systemUTC());
  }

  private MetadataSyncService.Result syncEvent(String eventName, String key, String sequencer) {
    return sync()
        .apply(List.of(new ObjectEvent(eventName, bucket.name(), key, sequencer, TIME)))
        .get(0)
        .result();
  }

  private boolean isLive(String key) {
    return bucket.row(key).map(row -> row.containsKey("uploaded_at")).orElse(false);
  }

  @Test
  void eachKindOfDriftIsRepairedAndASecondRunFindsNothing() {
    String missing = key("missing-row.txt");
    bucket.putObject(missing, "no event ever came");

    String orphan = key("orphan-row.txt");
    bucket.putLiveRow(orphan, "orphan-row.txt", TIME);

    String hidden = key("hidden.txt");
    bucket.putObject(hidden, "uploaded again after its removal was recorded");
    bucket.putTombstone(hidden, "0".repeat(30) + "05");

    String stale = key("stale.txt");
    bucket.putObject(stale, "the real content, longer than seven bytes");
    bucket.putLiveRow(stale, "stale.txt", TIME); // size 7 and another ETag

    String fine = key("fine.txt");
    bucket.putObject(fine, "in step");
    syncEvent("ObjectCreated:Put", fine, "0A");
    Map<String, AttributeValue> fineRow = bucket.row(fine).orElseThrow();

    JsonNode report = reconcile("{}");

    assertThat(report.path("checked").asLong()).isEqualTo(5);
    assertThat(report.path("repaired").asLong()).isEqualTo(4);
    assertThat(report.path("repaired_by_kind").path("missing_row").asLong()).isEqualTo(1);
    assertThat(report.path("repaired_by_kind").path("orphan_row").asLong()).isEqualTo(1);
    assertThat(report.path("repaired_by_kind").path("hidden_object").asLong()).isEqualTo(1);
    assertThat(report.path("repaired_by_kind").path("stale_row").asLong()).isEqualTo(1);
    assertThat(report.path("failed").asLong()).isZero();
    assertThat(report.path("complete").asBoolean()).isTrue();

    assertThat(isLive(missing)).isTrue();
    assertThat(bucket.row(missing).orElseThrow().get("owner").s()).isEqualTo(ALICE);
    assertThat(bucket.row(missing).orElseThrow().get("size").n()).isEqualTo("18");
    assertThat(isLive(orphan)).isFalse();
    assertThat(bucket.row(orphan).orElseThrow()).containsKey("expires_at");
    assertThat(isLive(hidden)).isTrue();
    assertThat(bucket.row(stale).orElseThrow().get("size").n()).isEqualTo("41");
    assertThat(bucket.row(stale).orElseThrow().get("etag").s())
        .isNotEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(bucket.row(fine).orElseThrow()).isEqualTo(fineRow);

    JsonNode again = reconcile("{}");
    assertThat(again.path("checked").asLong()).isEqualTo(5);
    assertThat(again.path("repaired").asLong()).isZero();
  }

  @Test
  void theRunReportsCloudWatchMetricsInEmbeddedMetricFormat() {
    bucket.putObject(key("a.txt"), "a");

    reconcile("{}");

    JsonNode line = Events.parse(metrics.toString(StandardCharsets.UTF_8).strip());
    JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
    assertThat(directive.path("Namespace").asText()).isEqualTo("UploadDashboard");
    assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Bucket\"]]");
    List<String> names = new ArrayList<>();
    directive.path("Metrics").forEach(m -> names.add(m.path("Name").asText()));
    assertThat(names)
        .contains(
            "ReconcilerChecked",
            "ReconcilerRepairs",
            "ReconcilerFailures",
            "ReconcilerRepairs_MissingRow");
    for (String name : names) {
      assertThat(line.has(name)).as(name).isTrue();
    }
    assertThat(line.path("Bucket").asText()).isEqualTo(bucket.name());
    assertThat(line.path("ReconcilerRepairs").asLong()).isEqualTo(1);
    assertThat(line.path("_aws").path("Timestamp").isNumber()).isTrue();
  }

  @Test
  void aLongWalkStopsAtItsBudgetAndTheNextRunResumesFromTheCheckpoint() {
    for (int i = 0; i < 5; i++) {
      bucket.putObject(key("f" + i + ".txt"), "file " + i);
    }

    JsonNode first = reconcile("{\"max_keys\": 2}");
    assertThat(first.path("checked").asLong()).isEqualTo(2);
    assertThat(first.path("complete").asBoolean()).isFalse();
    assertThat(first.path("resume_after").asText()).isEqualTo(key("f1.txt"));
    assertThat(isLive(key("f2.txt"))).isFalse();

    JsonNode second = reconcile("{\"max_keys\": 2}");
    assertThat(second.path("repaired").asLong()).isEqualTo(2);
    assertThat(second.path("resume_after").asText()).isEqualTo(key("f3.txt"));

    JsonNode third = reconcile("{\"max_keys\": 2}");
    assertThat(third.path("checked").asLong()).isEqualTo(1);
    assertThat(third.path("complete").asBoolean()).isTrue();
    for (int i = 0; i < 5; i++) {
      assertThat(isLive(key("f" + i + ".txt"))).as("f" + i).isTrue();
    }
    // The walk wrapped: the next run starts from the first key again.
    assertThat(reconcile("{}").path("checked").asLong()).isEqualTo(5);
  }

  @Test
  void theObjectsOwnEventStillWinsOverARowTheReconcilerWrote() {
    String file = key("late-event.txt");
    bucket.putObject(file, "content");
    reconcile("{}");
    assertThat(isLive(file)).isTrue();

    // The event that was late after all arrives, then the file is deleted.
    assertThat(syncEvent("ObjectCreated:Put", file, "10"))
        .isEqualTo(MetadataSyncService.Result.CREATED);
    bucket.emulators().s3Client().deleteObject(r -> r.bucket(bucket.name()).key(file));
    assertThat(syncEvent("ObjectRemoved:Delete", file, "20"))
        .isEqualTo(MetadataSyncService.Result.REMOVED);
    assertThat(isLive(file)).isFalse();
  }

  @Test
  void aRepairNeverOverwritesARowThatChangedAfterItWasRead() {
    Emulators emulators = bucket.emulators();
    MetadataRepairs repairs = new MetadataRepairs(emulators.dynamoDb(), Emulators.TABLE);
    String file = key("race.txt");
    bucket.putObject(file, "content");
    bucket.putLiveRow(file, "race.txt", TIME);
    MetadataRepairs.Row seen =
        repairs.rows(bucket.name(), "incoming/", Optional.empty(), 10).rows().get(0);

    // Sync writes a newer row between the reconciler's read and its write.
    assertThat(syncEvent("ObjectCreated:Put", file, "30"))
        .isEqualTo(MetadataSyncService.Result.CREATED);
    Map<String, AttributeValue> synced = bucket.row(file).orElseThrow();

    assertThat(
            repairs.replaceWithTombstone(
                bucket.name(), seen, TIME, Instant.now().plus(Duration.ofDays(7))))
        .isFalse();
    assertThat(
            repairs.createLive(
                new dev.uploaddashboard.lambda.model.FileItem(
                    bucket.name(), file, "x", 1, "text/plain", TIME),
                Optional.of(ALICE),
                "etag"))
        .isFalse();
    assertThat(bucket.row(file).orElseThrow()).isEqualTo(synced);
  }

  @Test
  void abandonedMultipartUploadsAreAborted() {
    Emulators emulators = bucket.emulators();
    String abandoned = key("big.bin");
    String uploadId =
        emulators
            .s3Client()
            .createMultipartUpload(r -> r.bucket(bucket.name()).key(abandoned))
            .uploadId();
    ReconcileService service =
        new ReconcileService(
            new IncomingObjects(emulators.s3(), bucket.name(), "incoming/"),
            new ObjectStore(emulators.s3(), bucket.name()),
            new MetadataRepairs(emulators.dynamoDb(), Emulators.TABLE),
            Clock.offset(Clock.systemUTC(), Duration.ofDays(2)),
            Duration.ofDays(1));

    ReconcileService.Report report =
        service.run(
            Optional.empty(), new ReconcileService.Budget(100, Instant.now().plusSeconds(60)));

    assertThat(report.repairs())
        .containsExactly(
            new ReconcileService.Repair(ReconcileService.Kind.ABANDONED_UPLOAD, abandoned));
    assertThat(emulators.s3Client().listMultipartUploads(r -> r.bucket(bucket.name())).uploads())
        .noneMatch(u -> u.uploadId().equals(uploadId));
  }
}
