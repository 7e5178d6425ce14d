package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.lambda.service.DeleteFileService;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.ObjectStore;
import dev.uploaddashboard.lambda.testing.CallRecorder;
import dev.uploaddashboard.lambda.testing.Emulators;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.TestBucket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * {@code DELETE /metadata} with {@code "keys"}: one result per key in request order, the order and
 * invariants of one delete (objects first, then rows; tombstones kept; others' keys untouched and
 * answered as missing without a call), batched AWS calls, and failures reported, never lost.
 */
class BulkDeleteTest {
  private static final String U = Events.USER_SUB;
  private static final String CANARY = "incoming/" + U + "/canary/keep.txt";

  private TestBucket bucket;
  private DeleteFileHandler handler;

  @BeforeEach
  void setUp() {
    bucket = new TestBucket();
    handler = new DeleteFileHandler(bucket.envLookup());
    bucket.putFile(CANARY, "keep.txt", "2026-11-20T10:00:00.000Z");
  }

  @Test
  void answersOneResultPerKeyInRequestOrderAndDeletesOnlyWhatItMay() {
    String mine = "incoming/" + U + "/a1/report.pdf";
    String alsoMine = "incoming/" + U + "/a2/photo.png";
    String missing = "incoming/" + U + "/never/was.txt";
    String others = "incoming/someone-else/b1/theirs.txt";
    String tombstoned = "incoming/" + U + "/gone/old.txt";
    String badKey = "incoming/../" + U + "/a1/report.pdf";
    bucket.putFile(mine, "report.pdf", "2026-11-21T07:48:10.123Z");
    bucket.putFile(alsoMine, "photo.png", "2026-11-21T07:48:11.123Z");
    bucket.putFile(others, "theirs.txt", "2026-11-21T07:48:12.123Z");
    String sequencer = "0".repeat(14) + "0055AED6DCD90281E5";
    bucket.putTombstone(tombstoned, sequencer);

    HttpResult result =
        HttpResult.invoke(
            handler,
            bulkEvent(bucket.name(), List.of(alsoMine, missing, others, badKey, tombstoned, mine)));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.header("Content-Type")).isEqualTo("application/json");
    JsonNode body = result.body();
    assertThat(statuses(body))
        .containsExactly(
            alsoMine + "=deleted",
            missing + "=not_found",
            others + "=not_found",
            badKey + "=invalid",
            tombstoned + "=not_found",
            mine + "=deleted");
    assertThat(body.path("results").get(0).has("code")).isFalse();
    assertThat(body.path("results").get(1).path("code").asText()).isEqualTo("not_found");
    assertThat(body.path("results").get(3).path("code").asText()).isEqualTo("invalid_key");
    assertThat(body.path("results").get(3).path("error").asText()).contains("'..'");
    assertThat(body.path("deleted").asInt()).isEqualTo(2);
    assertThat(body.path("not_found").asInt()).isEqualTo(3);
    assertThat(body.path("invalid").asInt()).isEqualTo(1);
    assertThat(body.path("failed").asInt()).isZero();

    for (String gone : List.of(mine, alsoMine)) {
      assertThat(bucket.objectExists(gone)).as(gone).isFalse();
      assertThat(bucket.hasRow(gone)).as(gone).isFalse();
    }
    assertThat(bucket.objectExists(others)).as("another user's object").isTrue();
    assertThat(bucket.hasRow(others)).as("another user's row").isTrue();
    assertThat(bucket.row(tombstoned))
        .as("the tombstone still guards the key")
        .hasValueSatisfying(row -> assertThat(row.get("sequencer").s()).isEqualTo(sequencer));
    assertCanaryIntact();
  }

  @Test
  void anAdminDeletesAnyonesFiles() {
    String alices = "incoming/alice-sub/x/a.txt";
    String bobs = "incoming/bob-sub/y/b.txt";
    bucket.putFile(alices, "a.txt", "2026-11-21T07:48:10.123Z");
    bucket.putFile(bobs, "b.txt", "2026-11-21T07:48:11.123Z");

    ObjectNode event = Events.asAdmin(bulkEvent(bucket.name(), List.of(alices, bobs)), "admin-sub");
    HttpResult result = HttpResult.invoke(handler, event);

    assertThat(statuses(result.body())).containsExactly(alices + "=deleted", bobs + "=deleted");
    assertThat(bucket.objectExists(alices) || bucket.objectExists(bobs)).isFalse();
    assertThat(bucket.hasRow(alices) || bucket.hasRow(bobs)).isFalse();
  }

  @Test
  void aThousandKeysTakeAtMostFiftyAwsCallsAndARepeatFindsThemGone() {
    List<String> keys = seed(1000, "k");
    CallRecorder calls = new CallRecorder();
    DeleteFileHandler recorded = handlerWith(calls, calls);

    HttpResult result = HttpResult.invoke(recorded, bulkEvent(bucket.name(), keys));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body().path("deleted").asInt()).isEqualTo(1000);
    assertThat(result.body().path("results")).hasSize(1000);
    // One DeleteObjects, then one transaction per 100 rows (one by one: 2,000 calls).
    assertThat(calls.calls()).hasSizeLessThanOrEqualTo(50);
    assertThat(calls.calls())
        .containsExactlyElementsOf(
            Stream.concat(
                    Stream.of("DeleteObjectsRequest"),
                    Stream.generate(() -> "TransactWriteItemsRequest").limit(10))
                .toList());
    assertThat(keys).noneMatch(bucket::objectExists).noneMatch(bucket::hasRow);
    assertCanaryIntact();

    calls.clear();
    HttpResult again = HttpResult.invoke(recorded, bulkEvent(bucket.name(), keys));
    assertThat(again.body().path("not_found").asInt()).isEqualTo(1000);
    assertThat(calls.calls()).hasSizeLessThanOrEqualTo(50);
  }

  @Test
  void aMixedBatchSettlesEachTransactionInAtMostTwoCalls() {
    List<String> live = seed(150, "live");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < live.size(); i++) {
      keys.add(live.get(i));
      keys.add("incoming/" + U + "/missing-" + i + "/none.txt");
    }
    CallRecorder calls = new CallRecorder();

    HttpResult result =
        HttpResult.invoke(handlerWith(calls, calls), bulkEvent(bucket.name(), keys));

    assertThat(result.body().path("deleted").asInt()).isEqualTo(150);
    assertThat(result.body().path("not_found").asInt()).isEqualTo(150);
    // 300 rows: three transactions, each cancelled once by its missing keys and then resent.
    assertThat(calls.calls()).hasSize(1 + 3 * 2);
    assertThat(live).noneMatch(bucket::objectExists).noneMatch(bucket::hasRow);
  }

  @Test
  void perKeyStorageErrorsThatPassAreRetriedAndOthersReportedFailedWithTheRowKept() {
    List<String> keys = seed(4, "s3");
    String slow = keys.get(1);
    String denied = keys.get(2);
    S3KeyErrors errors = new S3KeyErrors(Map.of(slow, "SlowDown", denied, "AccessDenied"), 2);

    HttpResult result =
        HttpResult.invoke(handlerWith(errors, new CallRecorder()), bulkEvent(bucket.name(), keys));

    assertThat(statuses(result.body()))
        .containsExactly(
            keys.get(0) + "=deleted",
            slow + "=deleted",
            denied + "=failed",
            keys.get(3) + "=deleted");
    JsonNode failed = result.body().path("results").get(2);
    assertThat(failed.path("code").asText()).isEqualTo("storage_error");
    assertThat(failed.path("error").asText()).contains("AccessDenied").contains("try again");
    assertThat(errors.attempts(slow)).isEqualTo(3);
    assertThat(bucket.objectExists(denied)).isTrue();
    assertThat(bucket.hasRow(denied)).as("a failed object keeps its row").isTrue();

    // Once storage lets it go, the same request converges.
    HttpResult retry = HttpResult.invoke(handler, bulkEvent(bucket.name(), List.of(denied)));
    assertThat(statuses(retry.body())).containsExactly(denied + "=deleted");
    assertThat(bucket.objectExists(denied) || bucket.hasRow(denied)).isFalse();
  }

  @Test
  void transactionConflictsAreRetriedAndWhatStillFailsIsReportedAndConvergesOnRepeat() {
    List<String> keys = seed(3, "tx");
    TransactionFaults passing = new TransactionFaults(2);

    HttpResult result =
        HttpResult.invoke(handlerWith(new CallRecorder(), passing), bulkEvent(bucket.name(), keys));

    assertThat(result.body().path("deleted").asInt()).isEqualTo(3);
    assertThat(passing.calls.get()).isEqualTo(3);

    List<String> more = seed(2, "tx-stuck");
    TransactionFaults stuck = new TransactionFaults(Integer.MAX_VALUE);
    HttpResult failing =
        HttpResult.invoke(handlerWith(new CallRecorder(), stuck), bulkEvent(bucket.name(), more));

    assertThat(failing.status()).isEqualTo(200);
    assertThat(failing.body().path("failed").asInt()).isEqualTo(2);
    assertThat(failing.body().path("results").get(0).path("code").asText())
        .isEqualTo("metadata_error");
    assertThat(failing.raw().toString()).doesNotContain("Exception");
    assertThat(more).noneMatch(bucket::objectExists).allMatch(bucket::hasRow);

    HttpResult repeat = HttpResult.invoke(handler, bulkEvent(bucket.name(), more));
    assertThat(repeat.body().path("deleted").asInt()).isEqualTo(2);
    assertThat(more).noneMatch(bucket::hasRow);
  }

  @Test
  void aTombstoneThatSyncWroteForThisRequestsOwnRemovalCountsAsDeleted() {
    String key = "incoming/" + U + "/raced/file.txt";
    Map<String, AttributeValue> row = new HashMap<>();
    row.put("bucket", AttributeValue.fromS(bucket.name()));
    row.put("object_key", AttributeValue.fromS(key));
    row.put("sequencer", AttributeValue.fromS("0".repeat(31) + "9"));
    row.put("deleted_at", AttributeValue.fromS(Instant.now().toString()));
    row.put("expires_at", AttributeValue.fromN("1795679290"));
    row.put("replaced_live", AttributeValue.fromBool(true));
    bucket.emulators().dynamoDbClient().putItem(r -> r.tableName(Emulators.TABLE).item(row));

    HttpResult result = HttpResult.invoke(handler, bulkEvent(bucket.name(), List.of(key)));

    assertThat(statuses(result.body())).containsExactly(key + "=deleted");
  }

  @Test
  void aBatchOfAThousandLongestKeysFitsTheBodyLimit() {
    List<String> keys =
        IntStream.range(0, 1000)
            .mapToObj(i -> String.format("incoming/%s/%04d/", U, i))
            .map(prefix -> prefix + "é".repeat((1024 - prefix.length()) / 2))
            .toList();
    assertThat(keys).allSatisfy(k -> assertThat(k.getBytes(UTF8)).hasSizeBetween(1023, 1024));

    HttpResult result = HttpResult.invoke(handler, bulkEvent(bucket.name(), keys));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body().path("not_found").asInt()).isEqualTo(1000);
  }

  static Stream<Arguments> malformedBatches() {
    String k = "\"incoming/" + U + "/a/f.txt\"";
    String many =
        IntStream.range(0, 1001)
            .mapToObj(i -> "\"incoming/" + U + "/" + i + "/f.txt\"")
            .reduce((a, b) -> a + "," + b)
            .orElseThrow();
    return Stream.of(
        Arguments.of("{\"bucket\":\"{B}\",\"keys\":[]}", "invalid_field"),
        Arguments.of("{\"bucket\":\"{B}\",\"keys\":" + k + "}", "invalid_field"),
        Arguments.of("{\"bucket\":\"{B}\",\"keys\":[" + k + ",42]}", "invalid_field"),
        Arguments.of("{\"bucket\":\"{B}\",\"keys\":[" + k + ",null]}", "invalid_field"),
        Arguments.of("{\"bucket\":\"{B}\",\"keys\":{\"a\":" + k + "}}", "invalid_field"),
        Arguments.of("{\"bucket\":\"{B}\",\"keys\":[" + many + "]}", "too_many_keys"),
        Arguments.of("{\"bucket\":\"{B}\",\"keys\":[" + k + "," + k + "]}", "duplicate_keys"),
        Arguments.of(
            "{\"bucket\":\"{B}\",\"key\":" + k + ",\"keys\":[" + k + "]}", "invalid_field"),
        Arguments.of("{\"keys\":[" + k + "]}", "missing_fields"),
        Arguments.of("{\"bucket\":\"other-bucket\",\"keys\":[" + k + "]}", "bucket_mismatch"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("malformedBatches")
  void rejectsAMalformedBatchWithoutDeletingAnything(String body, String code) {
    String target = "incoming/" + U + "/a/f.txt";
    bucket.putFile(target, "f.txt", "2026-11-21T07:48:10.123Z");

    HttpResult result =
        HttpResult.invoke(
            handler,
            Events.withBody(
                Events.load("http-api-delete-metadata"), body.replace("{B}", bucket.name())));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo(code);
    assertThat(result.error()).isNotBlank();
    assertThat(bucket.objectExists(target) && bucket.hasRow(target)).isTrue();
    assertCanaryIntact();
  }

  @Test
  void aBodyOverTheRouteLimitIs413() {
    String huge =
        "{\"bucket\":\"" + bucket.name() + "\",\"keys\":[\"" + "x".repeat(3 << 20) + "\"]}";

    HttpResult result =
        HttpResult.invoke(handler, Events.withBody(Events.load("http-api-delete-metadata"), huge));

    assertThat(result.status()).isEqualTo(413);
    assertThat(result.code()).isEqualTo("body_too_large");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static final java.nio.charset.Charset UTF8 = java.nio.charset.StandardCharsets.UTF_8;

  /** Files of the default user, each an object and a live row. */
  private List<String> seed(int count, String label) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = String.format("incoming/%s/%s-%04d/f.txt", U, label, i);
      bucket.putFile(
          key,
          "f" + i + ".txt",
          String.format("2026-11-21T08:%02d:%02d.000Z", i / 60 % 60, i % 60));
      keys.add(key);
    }
    return keys;
  }

  private DeleteFileHandler handlerWith(ExecutionInterceptor s3, ExecutionInterceptor dynamoDb) {
    Emulators emulators = bucket.emulators();
    return new DeleteFileHandler(
        new DeleteFileService(
            new FileMetadataStore(emulators.dynamoDb(dynamoDb), Emulators.TABLE),
            new ObjectStore(emulators.s3(s3), bucket.name())));
  }

  static ObjectNode bulkEvent(String bucketName, List<String> keys) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("bucket", bucketName);
    body.put("keys", keys);
    return Events.withBody(Events.load("http-api-delete-metadata"), Events.json(body));
  }

  private static List<String> statuses(JsonNode body) {
    List<String> statuses = new ArrayList<>();
    body.path("results")
        .forEach(r -> statuses.add(r.path("key").asText() + "=" + r.path("status").asText()));
    return statuses;
  }

  private void assertCanaryIntact() {
    assertThat(bucket.objectExists(CANARY)).as("canary object").isTrue();
    assertThat(bucket.hasRow(CANARY)).as("canary row").isTrue();
  }

  /**
   * S3 refusing some keys of a DeleteObjects call, as AWS reports it: the keys are left alone and
   * listed in the response's errors. Codes that pass are given {@code times} times per key.
   */
  private static final class S3KeyErrors implements ExecutionInterceptor {
    private static final ExecutionAttribute<List<String>> REFUSED =
        new ExecutionAttribute<>("refused-keys");
    private final Map<String, String> codes;
    private final int times;
    private final Map<String, AtomicInteger> attempts = new HashMap<>();

    S3KeyErrors(Map<String, String> codes, int times) {
      this.codes = codes;
      this.times = times;
    }

    int attempts(String key) {
      return attempts.get(key).get();
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
      if (!(context.request() instanceof DeleteObjectsRequest request)) {
        return context.request();
      }
      List<String> refused = new ArrayList<>();
      Predicate<ObjectIdentifier> refuse =
          o -> {
            String code = codes.get(o.key());
            if (code == null) {
              return false;
            }
            int n = attempts.computeIfAbsent(o.key(), k -> new AtomicInteger()).incrementAndGet();
            return code.equals("AccessDenied") || n <= times;
          };
      List<ObjectIdentifier> kept = new ArrayList<>();
      for (ObjectIdentifier object : request.delete().objects()) {
        if (refuse.test(object)) {
          refused.add(object.key());
        } else {
          kept.add(object);
        }
      }
      attributes.putAttribute(REFUSED, refused);
      return request.toBuilder().delete(d -> d.objects(kept).quiet(true)).build();
    }

    @Override
    public SdkResponse modifyResponse(
        Context.ModifyResponse context, ExecutionAttributes attributes) {
      if (!(context.response() instanceof DeleteObjectsResponse response)) {
        return context.response();
      }
      List<S3Error> errors = new ArrayList<>(response.errors());
      for (String key : attributes.getAttribute(REFUSED)) {
        errors.add(S3Error.builder().key(key).code(codes.get(key)).message("refused").build());
      }
      return response.toBuilder().errors(errors).build();
    }
  }

  /** Cancels the first {@code failures} transactions with TransactionConflict, before sending. */
  private static final class TransactionFaults implements ExecutionInterceptor {
    final AtomicInteger calls = new AtomicInteger();
    private final int failures;

    TransactionFaults(int failures) {
      this.failures = failures;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof TransactWriteItemsRequest request
          && calls.incrementAndGet() <= failures) {
        List<CancellationReason> reasons =
            request.transactItems().stream()
                .map(
                    item ->
                        CancellationReason.builder()
                            .code("TransactionConflict")
                            .message("Transaction is ongoing for the item")
                            .build())
                .toList();
        throw TransactionCanceledException.builder()
            .message("Transaction cancelled")
            .cancellationReasons(reasons)
            .build();
      }
    }
  }
}
