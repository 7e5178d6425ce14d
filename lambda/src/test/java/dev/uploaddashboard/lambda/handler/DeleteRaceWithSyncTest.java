package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.lambda.service.DeleteFileService;
import dev.uploaddashboard.lambda.service.MetadataSyncService;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.ObjectStore;
import dev.uploaddashboard.lambda.testing.AwsMissingObjectAnswers;
import dev.uploaddashboard.lambda.testing.Emulators;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.TestBucket;
import dev.uploaddashboard.lambda.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;

/**
 * The delete function removes the S3 object before the row; the S3 removal event can reach sync
 * (which writes a tombstone) before the function reaches the table. The user's delete still
 * succeeded and must be answered as such, while a later repeat is still "not found".
 */
class DeleteRaceWithSyncTest {
  private static final String TARGET = "incoming/" + Events.USER_SUB + "/7a2e/minutes.txt";
  private static final AtomicLong SEQUENCER = new AtomicLong(0x0055AED6DCD90281L);

  private TestBucket bucket;
  private MetadataSyncHandler sync;

  @BeforeEach
  void setUp() {
    bucket = new TestBucket();
    Emulators emulators = bucket.emulators();
    sync =
        new MetadataSyncHandler(
            new MetadataSyncService(
                new FileMetadataStore(emulators.dynamoDb(), Emulators.TABLE),
                new ObjectStore(
                    emulators.s3(AwsMissingObjectAnswers.withListBucketOn("incoming/")),
                    bucket.name()),
                Clock.systemUTC()));
    bucket.putFile(TARGET, "minutes.txt", "2026-11-21T07:48:10.123Z");
  }

  @Test
  void syncApplyingTheRemovalFirstStillAnswersDeleted() {
    Emulators emulators = bucket.emulators();
    DeleteFileHandler racing =
        new DeleteFileHandler(
            new DeleteFileService(
                new FileMetadataStore(emulators.dynamoDb(), Emulators.TABLE),
                new ObjectStore(emulators.s3(new SyncRightAfterS3Delete()), bucket.name())));

    HttpResult result =
        HttpResult.invoke(racing, DeleteFileHandlerTest.deleteEvent(bucket.name(), TARGET));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body().path("message").asText()).isEqualTo("Deleted successfully");
    assertThat(bucket.objectExists(TARGET)).isFalse();
    // The tombstone stays (it guards against a late "created" event) and is not listed.
    assertThat(bucket.row(TARGET))
        .hasValueSatisfying(
            row -> {
              assertThat(row).doesNotContainKey("uploaded_at");
              assertThat(row.get("replaced_live").bool()).isTrue();
            });
  }

  @Test
  void aRepeatAfterTheRaceIsStillNotFound() {
    applyRemoval(Instant.now().minusSeconds(3600));

    HttpResult repeat =
        HttpResult.invoke(
            new DeleteFileHandler(bucket.envLookup()),
            DeleteFileHandlerTest.deleteEvent(bucket.name(), TARGET));

    assertThat(repeat.status()).isEqualTo(404);
    assertThat(repeat.code()).isEqualTo("not_found");
  }

  @Test
  void tombstonesRecordWhetherTheyReplacedALiveRow() {
    String neverListed = "incoming/" + Events.USER_SUB + "/7a2e/never-synced.txt";
    removalEvent(neverListed, Instant.now());
    applyRemoval(Instant.now());

    assertThat(bucket.row(TARGET).map(row -> row.get("replaced_live")))
        .hasValue(AttributeValue.fromBool(true));
    assertThat(bucket.row(neverListed).map(row -> row.get("replaced_live")))
        .hasValue(AttributeValue.fromBool(false));

    // A second removal of the same key (a repeated delete) replaces a tombstone, not a live row.
    applyRemoval(Instant.now());
    assertThat(bucket.row(TARGET).map(row -> row.get("replaced_live")))
        .hasValue(AttributeValue.fromBool(false));
  }

  /** S3 removes the object (outside the delete function), and sync applies the event. */
  private void applyRemoval(Instant time) {
    bucket.emulators().s3Client().deleteObject(r -> r.bucket(bucket.name()).key(TARGET));
    removalEvent(TARGET, time);
  }

  private void removalEvent(String key, Instant time) {
    ObjectNode event = Events.load("s3-object-removed");
    ObjectNode record = (ObjectNode) event.path("Records").get(0);
    record.put("eventTime", time.toString());
    ObjectNode s3 = (ObjectNode) record.get("s3");
    ((ObjectNode) s3.get("bucket")).put("name", bucket.name());
    ((ObjectNode) s3.get("bucket")).put("arn", "arn:aws:s3:::" + bucket.name());
    ((ObjectNode) s3.get("object")).put("key", key);
    ((ObjectNode) s3.get("object"))
        .put("sequencer", Long.toHexString(SEQUENCER.incrementAndGet()).toUpperCase());
    try {
      sync.handleRequest(
          new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)),
          new ByteArrayOutputStream(),
          new TestContext());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(bucket.row(key))
        .hasValueSatisfying(
            row -> assertThat(row).containsKey("deleted_at").doesNotContainKey("uploaded_at"));
  }

  /** Delivers the S3 removal event to sync as soon as S3 has deleted the object. */
  private final class SyncRightAfterS3Delete implements ExecutionInterceptor {
    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof DeleteObjectRequest delete) {
        removalEvent(delete.key(), Instant.now());
      }
    }
  }
}
