package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

class MetadataSyncHandlerTest {
  private static final String KEY = "incoming/5b0e/Quarterly-report.pdf";
  private static final String CREATED = "ObjectCreated:Put";
  private static final String REMOVED = "ObjectRemoved:Delete";
  private static final String TIME = "2026-11-21T07:48:10.123Z";
  private static final String ADMIN = TestBucket.newUserId("admin");

  private TestBucket bucket;
  private MetadataSyncHandler handler;

  @BeforeEach
  void setUp() {
    bucket = new TestBucket();
    handler = syncHandler(AwsMissingObjectAnswers.withListBucketOn("incoming/"));
  }

  /**
   * The sync handler as deployed, with S3 answering a missing object the way AWS answers this role:
   * the emulator alone would answer 404 whatever the role may do.
   */
  private MetadataSyncHandler syncHandler(AwsMissingObjectAnswers s3Answers) {
    Emulators emulators = bucket.emulators();
    return new MetadataSyncHandler(
        new MetadataSyncService(
            new FileMetadataStore(emulators.dynamoDb(), Emulators.TABLE),
            new ObjectStore(emulators.s3(s3Answers), bucket.name()),
            Clock.systemUTC()));
  }

  private void deleteObject(String key) {
    bucket.emulators().s3Client().deleteObject(r -> r.bucket(bucket.name()).key(key));
  }

  @Test
  void theObjectsFullObjectChecksumIsRecordedAndAbsentWhenItHasNone() {
    byte[] content = "checked bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String crc = MultipartUploadHandlerTest.crc32c(content);
    bucket
        .emulators()
        .s3Client()
        .putObject(
            r -> r.bucket(bucket.name()).key(KEY).contentType("text/plain").checksumCRC32C(crc),
            software.amazon.awssdk.core.sync.RequestBody.fromBytes(content));
    String plain = "incoming/5b0e/plain.txt";
    bucket.putObject(plain, "no checksum asked for");

    sync(record(CREATED, bucket.name(), KEY, "0055AED6DCD90281E5", TIME));
    sync(record(CREATED, bucket.name(), plain, "0055AED6DCD90281E6", TIME));

    // HeadObject in checksum mode: the CRC32C the upload was checked against, kept on the row.
    assertThat(bucket.row(KEY).orElseThrow().get("checksum_crc32c").s()).isEqualTo(crc);
    assertThat(bucket.row(plain).orElseThrow()).doesNotContainKey("checksum_crc32c");
  }

  @Test
  void createdEventWritesALiveRowThatListAndDetailShow() {
    byte[] content = new byte[1234];
    bucket.putObject(
        KEY,
        content,
        "application/pdf",
        Map.of("file-name", "Quarterly%20report%20%C3%A9t%C3%A9.pdf"));

    sync(record(CREATED, bucket.name(), KEY, "0055AED6DCD90281E5", TIME));

    Map<String, AttributeValue> row = bucket.row(KEY).orElseThrow();
    assertThat(row.get("file_name").s()).isEqualTo("Quarterly report été.pdf");
    assertThat(row.get("size").n()).isEqualTo("1234");
    assertThat(row.get("content_type").s()).isEqualTo("application/pdf");
    assertThat(row.get("uploaded_at").s()).isEqualTo(TIME);
    // S3's rule: right-pad the shorter sequencer with zeros, then compare lexicographically.
    assertThat(row.get("sequencer").s()).isEqualTo("0055AED6DCD90281E500000000000000");
    assertThat(row.get("etag").s()).matches("[0-9a-f]{32}");
    assertThat(listedKeys()).containsExactly(KEY);
    assertThat(detailStatus(KEY)).isEqualTo(200);
  }

  @Test
  void withoutNameMetadataTheKeyNamesTheFileAndTimesAreFixedWidth() {
    bucket.putObject(KEY, "x".getBytes(StandardCharsets.UTF_8), "text/plain", Map.of());
    String other = "incoming/5b0f/bad-meta.txt";
    bucket.putObject(
        other, "y".getBytes(StandardCharsets.UTF_8), "text/plain", Map.of("file-name", "%E9%ZZ"));

    sync(
        record(CREATED, bucket.name(), KEY, "01", "2026-11-21T07:48:10Z"),
        record(CREATED, bucket.name(), other, "02", TIME));

    assertThat(bucket.row(KEY).orElseThrow().get("file_name").s())
        .isEqualTo("Quarterly-report.pdf");
    assertThat(bucket.row(KEY).orElseThrow().get("uploaded_at").s())
        .isEqualTo("2026-11-21T07:48:10.000Z");
    assertThat(bucket.row(other).orElseThrow().get("file_name").s()).isEqualTo("bad-meta.txt");
  }

  @Test
  void namesWithInvisibleFormattingCharactersAreNeverShownAsTheyAre() {
    // Anyone who may write to the bucket chooses the metadata and the key; the dashboard must not
    // show a right-to-left override that makes "invoice<RLO>fdp.exe" look like "invoiceexe.pdf".
    String metadataSpoof = "incoming/5b0e/invoice-fdp.exe";
    bucket.putObject(
        metadataSpoof,
        "x".getBytes(StandardCharsets.UTF_8),
        "application/octet-stream",
        Map.of("file-name", "invoice%E2%80%AEfdp.exe"));
    String keySpoof = "incoming/5b0f/invoice\u202Efdp.exe";
    bucket.putObject(keySpoof, "y");
    String zeroWidth = "incoming/5b10/pay\u200Bpal.pdf";
    bucket.putObject(zeroWidth, "z");

    sync(
        record(CREATED, bucket.name(), metadataSpoof, "01", TIME),
        record(CREATED, bucket.name(), "incoming/5b0f/invoice%E2%80%AEfdp.exe", "02", TIME),
        record(CREATED, bucket.name(), "incoming/5b10/pay%E2%80%8Bpal.pdf", "03", TIME));

    assertThat(bucket.row(metadataSpoof).orElseThrow().get("file_name").s())
        .isEqualTo("invoice-fdp.exe");
    assertThat(bucket.row(keySpoof).orElseThrow().get("file_name").s())
        .isEqualTo("invoice\uFFFDfdp.exe");
    assertThat(bucket.row(zeroWidth).orElseThrow().get("file_name").s())
        .isEqualTo("pay\uFFFDpal.pdf");
  }

  @Test
  void removedEventHidesTheFileFromListAndDetail() {
    bucket.putObject(KEY, "x");
    sync(record(CREATED, bucket.name(), KEY, "0055AED6DCD90281E5", TIME));
    bucket.emulators().s3Client().deleteObject(r -> r.bucket(bucket.name()).key(KEY));

    Instant before = Instant.now();
    sync(record(REMOVED, bucket.name(), KEY, "0055AED6DCD9028200", "2026-11-21T07:50:00.000Z"));

    assertThat(listedKeys()).isEmpty();
    assertThat(detailStatus(KEY)).isEqualTo(404);
    Map<String, AttributeValue> tombstone = bucket.row(KEY).orElseThrow();
    assertThat(tombstone).doesNotContainKey("uploaded_at");
    assertThat(tombstone.get("deleted_at").s()).isEqualTo("2026-11-21T07:50:00.000Z");
    assertThat(Instant.ofEpochSecond(Long.parseLong(tombstone.get("expires_at").n())))
        .isBetween(before.plusSeconds(7 * 86_400 - 1), Instant.now().plusSeconds(7 * 86_400 + 1));
  }

  @Test
  void duplicateEventsAreIdempotent() {
    bucket.putObject(KEY, "x");
    ObjectNode created = record(CREATED, bucket.name(), KEY, "0055AED6DCD90281E5", TIME);

    sync(created);
    Map<String, AttributeValue> first = bucket.row(KEY).orElseThrow();
    sync(created, created);

    assertThat(bucket.row(KEY)).hasValue(first);
    assertThat(listedKeys()).containsExactly(KEY);

    deleteObject(KEY);
    ObjectNode removed = record(REMOVED, bucket.name(), KEY, "0055AED6DCD9028200", TIME);
    sync(removed);
    sync(removed);
    assertThat(listedKeys()).isEmpty();
  }

  @Test
  void anOlderCreatedEventArrivingAfterTheRemovalDoesNotResurrectTheRow() {
    // Put (E5), delete (E6), put again (F0): the removal is applied, then the key exists again
    // when the first put's event arrives late. Only the sequencer condition stands between that
    // late event and a row made from the wrong upload; the newer put's own event then wins.
    bucket.putObject(KEY, "x");
    deleteObject(KEY);
    sync(record(REMOVED, bucket.name(), KEY, "0055AED6DCD90281E6", TIME));
    bucket.putObject(KEY, "y");

    // Lower-case, as another producer may send it: compared as sent, 'e' > 'E' would make it newer.
    sync(record(CREATED, bucket.name(), KEY, "0055aed6dcd90281e5", TIME));

    assertThat(bucket.row(KEY).orElseThrow()).doesNotContainKey("uploaded_at");
    assertThat(listedKeys()).isEmpty();
    assertThat(detailStatus(KEY)).isEqualTo(404);

    sync(record(CREATED, bucket.name(), KEY, "0055AED6DCD90281F0", TIME));
    assertThat(listedKeys()).containsExactly(KEY);
  }

  @Test
  void sequencersOfDifferentLengthsCompareRightPaddedAsS3Documents() {
    // S3 User Guide, "Event message structure": right-pad the shorter sequencer with zeros,
    // then compare lexicographically. "0A" becomes "0A0" and is later than "00B"
    // (left-padding would have made it "00A", earlier).
    bucket.putObject(KEY, "x");
    sync(record(CREATED, bucket.name(), KEY, "00B", TIME));
    deleteObject(KEY);

    sync(record(REMOVED, bucket.name(), KEY, "0A", TIME));

    assertThat(bucket.row(KEY).orElseThrow())
        .containsKey("deleted_at")
        .doesNotContainKey("uploaded_at");
    assertThat(listedKeys()).isEmpty();
  }

  @Test
  void aRemovalEventForAnObjectThatExistsLeavesItListed() {
    // A removal event whose object is in the bucket (re-uploaded since, or not S3's event at all)
    // must not tombstone a file that exists, whatever its sequencer says.
    bucket.putObject(KEY, "x");
    sync(record(CREATED, bucket.name(), KEY, "0055AED6DCD90281E5", TIME));

    TestContext context = sync(record(REMOVED, bucket.name(), KEY, "FFFFFFFFFFFFFFFFFF", TIME));

    assertThat(bucket.row(KEY).orElseThrow()).containsKey("uploaded_at");
    assertThat(listedKeys()).containsExactly(KEY);
    assertThat(context.logLines())
        .anySatisfy(
            line ->
                assertThat(Events.parse(line).path("result").asText()).isEqualTo("OBJECT_EXISTS"));
  }

  @Test
  void anAbsurdlyLongSequencerIsRefusedAndChangesNothing() {
    bucket.putObject(KEY, "x");
    sync(record(CREATED, bucket.name(), KEY, "0055AED6DCD90281E5", TIME));
    Map<String, AttributeValue> before = bucket.row(KEY).orElseThrow();
    deleteObject(KEY);
    TestContext context = new TestContext();

    assertThatThrownBy(
            () ->
                invoke(
                    handler,
                    event(record(REMOVED, bucket.name(), KEY, "F".repeat(100_000), TIME)),
                    context))
        .isInstanceOf(MetadataSyncHandler.SyncFailedException.class);
    assertThatThrownBy(
            () ->
                invoke(
                    handler,
                    event(record(REMOVED, bucket.name(), KEY, "F".repeat(33), TIME)),
                    context))
        .isInstanceOf(MetadataSyncHandler.SyncFailedException.class);

    assertThat(bucket.row(KEY)).hasValue(before);
    assertThat(String.join("\n", context.logLines())).doesNotContain("F".repeat(100));
  }

  @Test
  void withoutListBucketAMissingObjectFailsTheEventAsOnAws() {
    // Why the sync role holds s3:ListBucket (on incoming/ only): without it, AWS answers
    // HeadObject of a missing key with 403, which is not "gone", so an upload deleted before its
    // "created" event is processed, and every removal, would fail and end in the on-failure queue.
    MetadataSyncHandler withoutList = syncHandler(AwsMissingObjectAnswers.withoutListBucket());
    TestContext context = new TestContext();

    assertThatThrownBy(
            () ->
                invoke(
                    withoutList,
                    event(record(CREATED, bucket.name(), KEY, "0055AED6DCD90281E5", TIME)),
                    context))
        .isInstanceOf(MetadataSyncHandler.SyncFailedException.class);
    assertThat(bucket.row(KEY)).isEmpty();

    // With the grant as deployed, the same event is recognised as an object already gone.
    TestContext granted = sync(record(CREATED, bucket.name(), KEY, "0055AED6DCD90281E5", TIME));
    assertThat(granted.logLines())
        .anySatisfy(
            line ->
                assertThat(Events.parse(line).path("result").asText()).isEqualTo("OBJECT_GONE"));
  }

  @Test
  void aNewerCreatedEventReplacesATombstone() {
    bucket.putObject(KEY, "x");
    deleteObject(KEY);
    sync(record(REMOVED, bucket.name(), KEY, "0055AED6DCD90281E6", TIME));
    bucket.putObject(KEY, "x");

    sync(record(CREATED, bucket.name(), KEY, "0055AED6DCD90281F0", "2026-11-21T08:00:00.000Z"));

    assertThat(listedKeys()).containsExactly(KEY);
  }

  @Test
  void createdEventForAnObjectAlreadyDeletedWritesNothing() {
    sync(record(CREATED, bucket.name(), KEY, "0055AED6DCD90281E5", TIME));

    assertThat(bucket.row(KEY)).isEmpty();
    assertThat(listedKeys()).isEmpty();
  }

  @Test
  void decodesUrlEncodedKeys() {
    String spaces = "incoming/6c1a/my report+v2 ü.txt";
    String unicode = "incoming/6c1b/報告書.pdf";
    bucket.putObject(spaces, "a");
    bucket.putObject(unicode, "b");

    sync(
        record(CREATED, bucket.name(), "incoming/6c1a/my+report%2Bv2+%C3%BC.txt", "10", TIME),
        record(
            CREATED, bucket.name(), "incoming/6c1b/%E5%A0%B1%E5%91%8A%E6%9B%B8.pdf", "11", TIME));

    assertThat(listedKeys()).containsExactlyInAnyOrder(spaces, unicode);
    assertThat(bucket.row(spaces).orElseThrow().get("file_name").s())
        .isEqualTo("my report+v2 ü.txt");

    deleteObject(spaces);
    sync(record(REMOVED, bucket.name(), "incoming/6c1a/my+report%2Bv2+%C3%BC.txt", "12", TIME));

    assertThat(listedKeys()).containsExactly(unicode);
  }

  @Test
  void ignoresOtherBucketsPrefixesAndEventTypes() {
    TestBucket other = new TestBucket();
    other.putObject(KEY, "theirs");
    bucket.putObject("private/notes.txt", "mine");
    bucket.putObject(KEY, "mine");

    TestContext context =
        sync(
            record(CREATED, other.name(), KEY, "10", TIME),
            record(CREATED, bucket.name(), "private/notes.txt", "11", TIME),
            record("ObjectRestore:Completed", bucket.name(), KEY, "12", TIME));

    assertThat(bucket.hasRow(KEY)).isFalse();
    assertThat(bucket.hasRow("private/notes.txt")).isFalse();
    assertThat(other.hasRow(KEY)).isFalse();
    assertThat(context.logLines())
        .filteredOn(line -> Events.parse(line).path("message").asText().equals("record ignored"))
        .hasSize(3);
  }

  @Test
  void theOwnerIsTakenFromTheKeyAndOnlyTheOwnerListsTheFile() {
    String alice = TestBucket.newUserId("alice");
    String bob = TestBucket.newUserId("bob");
    String alicesKey = "incoming/" + alice + "/0b9a3f6e-2d41-4c8e-9f7a-5e6d1c2b3a40/notes.txt";
    String bobsKey = "incoming/" + bob + "/1c8b4e7f-3e52-4d9f-8a6b-6f7e2d3c4b51/plan.txt";
    bucket.putObject(alicesKey, "a");
    bucket.putObject(bobsKey, "b");

    sync(
        record(CREATED, bucket.name(), alicesKey, "10", TIME),
        record(CREATED, bucket.name(), bobsKey, "11", TIME));

    assertThat(bucket.row(alicesKey).orElseThrow().get("owner").s()).isEqualTo(alice);
    assertThat(bucket.row(bobsKey).orElseThrow().get("owner").s()).isEqualTo(bob);
    assertThat(listedKeysFor(alice)).containsExactly(alicesKey);
    assertThat(listedKeysFor(bob)).containsExactly(bobsKey);
    assertThat(listedKeys()).containsExactlyInAnyOrder(alicesKey, bobsKey);
  }

  @Test
  void keysWithoutAnOwnerSegmentGetNoOwnerAndAreListedForAdminsOnly() {
    String user = TestBucket.newUserId("user");
    List<String> ownerless =
        List.of(
            "incoming/legacy.txt",
            "incoming/not a user id/file.txt",
            "incoming/ålice/file.txt",
            "incoming/user.name/file.txt",
            "incoming/" + "a".repeat(129) + "/file.txt");
    List<ObjectNode> records = new ArrayList<>();
    for (int i = 0; i < ownerless.size(); i++) {
      bucket.putObject(ownerless.get(i), "x");
      String encoded =
          URLEncoder.encode(ownerless.get(i), StandardCharsets.UTF_8).replace("%2F", "/");
      records.add(record(CREATED, bucket.name(), encoded, Integer.toString(20 + i), TIME));
    }
    String owned = "incoming/" + user + "/file.txt";
    bucket.putObject(owned, "x");
    records.add(record(CREATED, bucket.name(), owned, "30", TIME));

    sync(records.toArray(ObjectNode[]::new));

    for (String key : ownerless) {
      assertThat(bucket.row(key))
          .as(key)
          .hasValueSatisfying(
              row -> {
                assertThat(row).containsKey("uploaded_at").doesNotContainKey("owner");
              });
    }
    assertThat(listedKeys()).containsExactlyInAnyOrderElementsOf(concat(ownerless, owned));
    assertThat(listedKeysFor(user)).containsExactly(owned);
  }

  @Test
  void aRemovalLeavesATombstoneWithoutOwnerAndTheFileLeavesTheOwnersList() {
    String alice = TestBucket.newUserId("alice");
    String key = "incoming/" + alice + "/report.pdf";
    bucket.putObject(key, "x");
    sync(record(CREATED, bucket.name(), key, "0055AED6DCD90281E5", TIME));
    assertThat(listedKeysFor(alice)).containsExactly(key);
    deleteObject(key);

    sync(record(REMOVED, bucket.name(), key, "0055AED6DCD9028200", TIME));

    assertThat(bucket.row(key).orElseThrow())
        .containsKey("deleted_at")
        .doesNotContainKeys("owner", "uploaded_at");
    assertThat(listedKeysFor(alice)).isEmpty();
  }

  private static List<String> concat(List<String> keys, String key) {
    List<String> all = new ArrayList<>(keys);
    all.add(key);
    return all;
  }

  @Test
  void anEventWithoutRecordsIsAccepted() {
    sync(
        (ObjectNode)
            Events.parse(
                "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\""
                    + TIME
                    + "\","
                    + "\"Bucket\":\""
                    + bucket.name()
                    + "\",\"RequestId\":\"5582815E1AEA5ADF\"}"));

    assertThat(listedKeys()).isEmpty();
  }

  @Test
  void aFailingRecordFailsTheInvocationAfterTheOthersAreApplied() {
    String good1 = "incoming/a/one.txt";
    String bad = "incoming/b/two.txt";
    String good2 = "incoming/c/three.txt";
    for (String key : List.of(good1, bad, good2)) {
      bucket.putObject(key, key);
    }
    MetadataSyncHandler failing = syncHandlerFailingPutFor(bad);
    TestContext context = new TestContext();
    ObjectNode event =
        event(
            record(CREATED, bucket.name(), good1, "10", TIME),
            record(CREATED, bucket.name(), bad, "11", TIME),
            record(CREATED, bucket.name(), good2, "12", TIME));

    assertThatThrownBy(() -> invoke(failing, event, context))
        .isInstanceOf(MetadataSyncHandler.SyncFailedException.class)
        .hasMessageContaining("1 of 3");

    assertThat(bucket.hasRow(good1)).isTrue();
    assertThat(bucket.hasRow(good2)).isTrue();
    assertThat(bucket.hasRow(bad)).isFalse();
    assertThat(context.logLines())
        .anySatisfy(
            line -> {
              JsonNode entry = Events.parse(line);
              assertThat(entry.path("level").asText()).isEqualTo("ERROR");
              assertThat(entry.path("object_key").asText()).isEqualTo(bad);
              assertThat(entry.path("request_id").asText()).isEqualTo(context.getAwsRequestId());
            });

    // Lambda's retry with a healthy function completes the batch.
    sync(event);
    assertThat(listedKeys()).containsExactlyInAnyOrder(good1, bad, good2);
  }

  @Test
  void replayingAFailedEventFromTheOnFailureQueueAppliesIt() {
    bucket.putObject(KEY, "report");

    JsonNode answer =
        replay(handler, message("m-1", event(record(CREATED, bucket.name(), KEY, "20", TIME))));

    assertThat(answer.path("batchItemFailures").isArray()).isTrue();
    assertThat(answer.path("batchItemFailures")).isEmpty();
    assertThat(listedKeys()).containsExactly(KEY);
  }

  @Test
  void aReplayedOldEventCannotBringBackAFileDeletedSince() {
    bucket.putObject(KEY, "report");
    sync(record(CREATED, bucket.name(), KEY, "20", TIME));
    deleteObject(KEY);
    sync(record(REMOVED, bucket.name(), KEY, "30", TIME));

    // The "created" event that failed before the delete is replayed after it.
    JsonNode answer =
        replay(handler, message("m-1", event(record(CREATED, bucket.name(), KEY, "20", TIME))));

    assertThat(answer.path("batchItemFailures")).isEmpty();
    assertThat(listedKeys()).isEmpty();
  }

  @Test
  void messagesThatFailAgainOrAreNotFailedEventsStayInTheQueue() {
    String good = "incoming/a/one.txt";
    String bad = "incoming/b/two.txt";
    for (String key : List.of(good, bad)) {
      bucket.putObject(key, key);
    }
    MetadataSyncHandler failing = syncHandlerFailingPutFor(bad);
    ObjectNode notAnEvent = sqsRecord("m-3", "this is not JSON");
    ObjectNode noRecords = sqsRecord("m-4", "{\"requestPayload\":{\"hello\":1}}");

    JsonNode answer =
        replay(
            failing,
            message("m-1", event(record(CREATED, bucket.name(), good, "10", TIME))),
            message("m-2", event(record(CREATED, bucket.name(), bad, "11", TIME))),
            notAnEvent,
            noRecords);

    List<String> left = new ArrayList<>();
    answer.path("batchItemFailures").forEach(f -> left.add(f.path("itemIdentifier").asText()));
    assertThat(left).containsExactly("m-2", "m-3", "m-4");
    assertThat(bucket.hasRow(good)).isTrue();
    assertThat(bucket.hasRow(bad)).isFalse();
  }

  /** An SQS message as Lambda's on-failure destination writes it for an S3 event it gave up on. */
  private static ObjectNode message(String messageId, ObjectNode s3Event) {
    ObjectNode record = Events.MAPPER.createObjectNode();
    record.put("version", "1.0");
    record.put("timestamp", "2026-11-21T07:48:41.000Z");
    ObjectNode requestContext = record.putObject("requestContext");
    requestContext.put("requestId", "c5d2e0f4-6a3b-4d8e-9f1a-2b3c4d5e6f70");
    requestContext.put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:sync:live");
    requestContext.put("condition", "RetriesExhausted");
    requestContext.put("approximateInvokeCount", 3);
    record.set("requestPayload", s3Event);
    ObjectNode responseContext = record.putObject("responseContext");
    responseContext.put("statusCode", 200);
    responseContext.put("executedVersion", "7");
    responseContext.put("functionError", "Unhandled");
    record.putObject("responsePayload").put("errorMessage", "1 of 1 records failed");
    return sqsRecord(messageId, record.toString());
  }

  private static ObjectNode sqsRecord(String messageId, String body) {
    ObjectNode record = Events.MAPPER.createObjectNode();
    record.put("messageId", messageId);
    record.put("receiptHandle", "AQEB" + messageId);
    record.put("body", body);
    record.put("eventSource", "aws:sqs");
    record.put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:FailedEvents");
    record.put("awsRegion", "us-east-1");
    return record;
  }

  /** Invokes the handler with an SQS batch, as the replay event source mapping does. */
  private static JsonNode replay(MetadataSyncHandler target, ObjectNode... sqsRecords) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try {
      target.handleRequest(
          new ByteArrayInputStream(event(sqsRecords).toString().getBytes(StandardCharsets.UTF_8)),
          output,
          new TestContext());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Events.parse(output.toString(StandardCharsets.UTF_8));
  }

  /** The sync handler with DynamoDB failing every PutItem for {@code key} (and only for it). */
  private MetadataSyncHandler syncHandlerFailingPutFor(String key) {
    Emulators emulators = bucket.emulators();
    return new MetadataSyncHandler(
        new MetadataSyncService(
            new FileMetadataStore(emulators.dynamoDb(new FailPutFor(key)), Emulators.TABLE),
            new ObjectStore(emulators.s3(), bucket.name()),
            Clock.systemUTC()));
  }

  /** Fails PutItem for one object key only. */
  private static final class FailPutFor implements ExecutionInterceptor {
    private final String key;

    FailPutFor(String key) {
      this.key = key;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof PutItemRequest put
          && key.equals(put.item().get("object_key").s())) {
        throw SdkClientException.create("simulated throttling for " + key);
      }
    }
  }

  private ObjectNode record(
      String eventName, String bucketName, String encodedKey, String sequencer, String time) {
    ObjectNode record = (ObjectNode) Events.load("s3-object-created").path("Records").get(0);
    record.put("eventName", eventName);
    record.put("eventTime", time);
    ObjectNode s3 = (ObjectNode) record.get("s3");
    ((ObjectNode) s3.get("bucket")).put("name", bucketName);
    ((ObjectNode) s3.get("bucket")).put("arn", "arn:aws:s3:::" + bucketName);
    ((ObjectNode) s3.get("object")).put("key", encodedKey);
    ((ObjectNode) s3.get("object")).put("sequencer", sequencer);
    return record;
  }

  private static ObjectNode event(ObjectNode... records) {
    ObjectNode event = Events.MAPPER.createObjectNode();
    ArrayNode array = event.putArray("Records");
    for (ObjectNode record : records) {
      array.add(record);
    }
    return event;
  }

  private TestContext sync(ObjectNode... records) {
    ObjectNode event =
        records.length == 1 && !records[0].has("eventName") ? records[0] : event(records);
    TestContext context = new TestContext();
    invoke(handler, event, context);
    return context;
  }

  private static void invoke(MetadataSyncHandler target, ObjectNode event, TestContext context) {
    try {
      target.handleRequest(
          new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)),
          new ByteArrayOutputStream(),
          context);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What an admin lists: every live file of the bucket. */
  private List<String> listedKeys() {
    return listed(Events.asAdmin(Events.load("http-api-list-metadata"), ADMIN));
  }

  /** What this (non-admin) user lists. */
  private List<String> listedKeysFor(String sub) {
    return listed(Events.asUser(Events.load("http-api-list-metadata"), sub));
  }

  private List<String> listed(ObjectNode caller) {
    HttpResult result =
        HttpResult.invoke(
            new ListFilesHandler(bucket.envLookup()),
            Events.withQuery(caller, Map.of("limit", "100")));
    assertThat(result.status()).isEqualTo(200);
    List<String> keys = new ArrayList<>();
    result.body().path("items").forEach(item -> keys.add(item.path("object_key").asText()));
    return keys;
  }

  private int detailStatus(String key) {
    return HttpResult.invoke(
            new FileDetailHandler(bucket.envLookup()),
            Events.withQuery(
                Events.asAdmin(Events.load("http-api-file-detail"), ADMIN), Map.of("key", key)))
        .status();
  }
}
