package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.lambda.service.DeleteFileService;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.ObjectStore;
import dev.uploaddashboard.lambda.testing.Emulators;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.TestBucket;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;

class DeleteFileHandlerTest {
  private static final String U = Events.USER_SUB;
  private static final String CANARY = "incoming/" + U + "/canary/keep.txt";
  private static final String TARGET = "incoming/" + U + "/3f1c/report.pdf";

  private TestBucket bucket;
  private DeleteFileHandler handler;

  @BeforeEach
  void setUp() {
    bucket = new TestBucket();
    handler = new DeleteFileHandler(bucket.envLookup());
    bucket.putFile(CANARY, "keep.txt", "2026-11-20T10:00:00.000Z");
    bucket.putFile(TARGET, "report.pdf", "2026-11-21T07:48:10.123Z");
  }

  @Test
  void deletesObjectAndRow() {
    HttpResult result = HttpResult.invoke(handler, deleteEvent(bucket.name(), TARGET));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body())
        .isEqualTo(
            Events.parse(
                Events.json(
                    Map.of(
                        "message",
                        "Deleted successfully",
                        "bucket",
                        bucket.name(),
                        "object_key",
                        TARGET))));
    assertThat(result.header("Content-Type")).isEqualTo("application/json");
    assertThat(result.header("Cache-Control")).isEqualTo("no-store");
    assertThat(result.raw().path("isBase64Encoded").asBoolean(true)).isFalse();
    assertThat(bucket.objectExists(TARGET)).isFalse();
    assertThat(bucket.hasRow(TARGET)).isFalse();
    assertCanaryIntact();
  }

  @Test
  void acceptsBase64EncodedBody() {
    ObjectNode event =
        Events.withBase64Body(
            Events.load("http-api-delete-metadata"),
            Events.json(Map.of("bucket", bucket.name(), "key", TARGET)));

    HttpResult result = HttpResult.invoke(handler, event);

    assertThat(result.status()).isEqualTo(200);
    assertThat(bucket.objectExists(TARGET)).isFalse();
    assertThat(bucket.hasRow(TARGET)).isFalse();
  }

  @Test
  void repeatingADeleteAnswers404AndChangesNothingElse() {
    assertThat(HttpResult.invoke(handler, deleteEvent(bucket.name(), TARGET)).status())
        .isEqualTo(200);

    HttpResult again = HttpResult.invoke(handler, deleteEvent(bucket.name(), TARGET));

    assertThat(again.status()).isEqualTo(404);
    assertThat(again.code()).isEqualTo("not_found");
    assertThat(again.body().path("bucket").asText()).isEqualTo(bucket.name());
    assertThat(again.body().path("object_key").asText()).isEqualTo(TARGET);
    assertCanaryIntact();
  }

  @Test
  void deletesAnObjectThatHasNoRowAndAnswers404() {
    String orphan = "incoming/" + U + "/orphan/left-over.bin";
    bucket.putObject(orphan, "bytes");

    HttpResult result = HttpResult.invoke(handler, deleteEvent(bucket.name(), orphan));

    assertThat(result.status()).isEqualTo(404);
    assertThat(bucket.objectExists(orphan)).isFalse();
  }

  @Test
  void tombstoneCountsAsAbsentAndIsKept() {
    String removed = "incoming/" + U + "/removed/old.txt";
    String sequencer = "0".repeat(14) + "0055AED6DCD90281E5";
    bucket.putTombstone(removed, sequencer);

    HttpResult result = HttpResult.invoke(handler, deleteEvent(bucket.name(), removed));

    assertThat(result.status()).isEqualTo(404);
    assertThat(bucket.row(removed))
        .hasValueSatisfying(row -> assertThat(row.get("sequencer").s()).isEqualTo(sequencer));
  }

  @Test
  void acceptsAKeyOfExactly1024Bytes() {
    String longKey = "incoming/" + U + "/" + "é".repeat(400) + "x".repeat(178);
    assertThat(longKey.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(1024);
    bucket.putFile(longKey, "long.txt", "2026-11-21T08:00:00.000Z");

    HttpResult result = HttpResult.invoke(handler, deleteEvent(bucket.name(), longKey));

    assertThat(result.status()).isEqualTo(200);
    assertThat(bucket.objectExists(longKey)).isFalse();
    assertThat(bucket.hasRow(longKey)).isFalse();
  }

  static Stream<Arguments> rejectedBodies() {
    String b = "{BUCKET}";
    return Stream.of(
        Arguments.of("not json", "invalid_json", "Invalid JSON body"),
        Arguments.of("{\"bucket\":\"" + b + "\",\"key\":", "invalid_json", "Invalid JSON body"),
        Arguments.of(
            "{\"bucket\":\"" + b + "\",\"key\":\"" + CANARY + "\"} trailing",
            "invalid_json",
            "Invalid JSON body"),
        Arguments.of(
            "{\"bucket\":\"" + b + "\",\"key\":\"x\",\"key\":\"" + CANARY + "\"}",
            "invalid_json",
            "Invalid JSON body"),
        Arguments.of("[\"" + b + "\",\"" + CANARY + "\"]", "invalid_json", null),
        Arguments.of("\"" + CANARY + "\"", "invalid_json", null),
        Arguments.of("null", "invalid_json", null),
        Arguments.of("{}", "missing_fields", "Missing required fields: bucket and key"),
        Arguments.of("", "missing_fields", "Missing required fields: bucket and key"),
        Arguments.of("{\"bucket\":\"" + b + "\"}", "missing_fields", null),
        Arguments.of("{\"key\":\"" + CANARY + "\"}", "missing_fields", null),
        Arguments.of("{\"bucket\":null,\"key\":\"" + CANARY + "\"}", "missing_fields", null),
        Arguments.of("{\"bucket\":\"\",\"key\":\"" + CANARY + "\"}", "invalid_field", null),
        Arguments.of("{\"bucket\":\"" + b + "\",\"key\":\"\"}", "invalid_field", null),
        Arguments.of("{\"bucket\":\"" + b + "\",\"key\":42}", "invalid_field", null),
        Arguments.of("{\"bucket\":\"" + b + "\",\"key\":true}", "invalid_field", null),
        Arguments.of(
            "{\"bucket\":[\"" + b + "\"],\"key\":\"" + CANARY + "\"}", "invalid_field", null),
        Arguments.of(
            "{\"bucket\":\"" + b + "\",\"key\":{\"k\":\"" + CANARY + "\"}}", "invalid_field", null),
        Arguments.of(
            "{\"bucket\":\"other-bucket\",\"key\":\"" + CANARY + "\"}",
            "bucket_mismatch",
            "Bucket does not match configured upload bucket"));
  }

  @ParameterizedTest(name = "[{index}] {1}: {0}")
  @MethodSource("rejectedBodies")
  void rejectsBadBodiesWithoutTouchingAnything(String body, String code, String message) {
    HttpResult result =
        HttpResult.invoke(
            handler,
            Events.withBody(
                Events.load("http-api-delete-metadata"), body.replace("{BUCKET}", bucket.name())));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo(code);
    assertThat(result.error()).isNotBlank();
    if (message != null) {
      assertThat(result.error()).isEqualTo(message);
    }
    assertThat(result.header("Content-Type")).isEqualTo("application/json");
    assertCanaryIntact();
    assertThat(bucket.objectExists(TARGET)).isTrue();
    assertThat(bucket.hasRow(TARGET)).isTrue();
  }

  static Stream<String> badKeys() {
    return Stream.of(
        "other/keep.txt",
        U + "/canary/keep.txt",
        "incoming/../" + CANARY,
        "incoming/" + U + "/canary/../canary/keep.txt",
        "incoming/./" + U + "/canary/keep.txt",
        "incoming/" + U + "/canary/.",
        "/" + CANARY,
        "incoming//" + U + "/canary/keep.txt",
        "incoming/" + U + "/canary//keep.txt",
        CANARY + "\u0000",
        "incoming/" + U + "/canary/keep\n.txt",
        "incoming/" + U + "/canary/keep\u007f.txt",
        "incoming/" + U + "/" + "a".repeat(1016 - U.length() - 1),
        "incoming/",
        "incoming",
        "INCOMING/" + U + "/canary/keep.txt");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badKeys")
  void rejectsKeysThatBreakTheKeyRules(String key) {
    HttpResult result = HttpResult.invoke(handler, deleteEvent(bucket.name(), key));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo("invalid_key");
    assertCanaryIntact();
    assertThat(bucket.objectExists(TARGET)).isTrue();
    assertThat(bucket.hasRow(TARGET)).isTrue();
  }

  @Test
  void s3FailureAnswersGeneric500AndChangesNothing() {
    Emulators emulators = bucket.emulators();
    DeleteFileHandler failing =
        new DeleteFileHandler(
            new DeleteFileService(
                new FileMetadataStore(emulators.dynamoDb(), Emulators.TABLE),
                new ObjectStore(
                    emulators.s3(FaultInjection.failing(DeleteObjectRequest.class)),
                    bucket.name())));

    HttpResult result = HttpResult.invoke(failing, deleteEvent(bucket.name(), TARGET));

    assertThat(result.status()).isEqualTo(500);
    assertThat(result.body())
        .isEqualTo(
            Events.parse(
                Events.json(
                    Map.of(
                        "error", "Internal error",
                        "code", "internal_error",
                        "request_id", result.context().getAwsRequestId()))));
    assertThat(result.raw().toString()).doesNotContain(FaultInjection.SECRET_DETAIL);
    assertThat(bucket.objectExists(TARGET)).isTrue();
    assertThat(bucket.hasRow(TARGET)).isTrue();
    assertThat(result.context().logLines())
        .anySatisfy(
            line -> {
              var entry = Events.parse(line);
              assertThat(entry.path("level").asText()).isEqualTo("ERROR");
              assertThat(entry.path("request_id").asText())
                  .isEqualTo(result.context().getAwsRequestId());
              assertThat(entry.path("error_message").asText())
                  .contains(FaultInjection.SECRET_DETAIL);
            });
  }

  @Test
  void dynamoDbFailureAfterS3DeleteAnswers500AndARetryCompletes() {
    Emulators emulators = bucket.emulators();
    DeleteFileHandler failing =
        new DeleteFileHandler(
            new DeleteFileService(
                new FileMetadataStore(
                    emulators.dynamoDb(FaultInjection.failing(DeleteItemRequest.class)),
                    Emulators.TABLE),
                new ObjectStore(emulators.s3(), bucket.name())));

    HttpResult first = HttpResult.invoke(failing, deleteEvent(bucket.name(), TARGET));

    assertThat(first.status()).isEqualTo(500);
    assertThat(first.code()).isEqualTo("internal_error");
    assertThat(first.raw().toString()).doesNotContain(FaultInjection.SECRET_DETAIL);
    assertThat(bucket.hasRow(TARGET)).isTrue();

    HttpResult retry = HttpResult.invoke(handler, deleteEvent(bucket.name(), TARGET));

    assertThat(retry.status()).isEqualTo(200);
    assertThat(bucket.objectExists(TARGET)).isFalse();
    assertThat(bucket.hasRow(TARGET)).isFalse();
    assertCanaryIntact();
  }

  @Test
  void anEventThatIsNotJsonAnswersGeneric500() {
    HttpResult result = HttpResult.invoke(handler, "this is not an API Gateway event");

    assertThat(result.status()).isEqualTo(500);
    assertThat(result.code()).isEqualTo("internal_error");
    assertThat(result.body().path("request_id").asText())
        .isEqualTo(result.context().getAwsRequestId());
    assertCanaryIntact();
  }

  @Test
  void logsOneStructuredLineWithRouteAndStatus() {
    HttpResult result = HttpResult.invoke(handler, deleteEvent(bucket.name(), TARGET));

    assertThat(result.context().logLines())
        .singleElement()
        .satisfies(
            line -> {
              var entry = Events.parse(line);
              assertThat(entry.path("level").asText()).isEqualTo("INFO");
              assertThat(entry.path("route").asText()).isEqualTo("DELETE /metadata");
              assertThat(entry.path("status").asInt()).isEqualTo(200);
              assertThat(entry.path("request_id").asText())
                  .isEqualTo(result.context().getAwsRequestId());
              assertThat(entry.has("duration_ms")).isTrue();
            });
  }

  static ObjectNode deleteEvent(String bucketName, String key) {
    return Events.withBody(
        Events.load("http-api-delete-metadata"),
        Events.json(Map.of("bucket", bucketName, "key", key)));
  }

  private void assertCanaryIntact() {
    assertThat(bucket.objectExists(CANARY)).as("canary object").isTrue();
    assertThat(bucket.hasRow(CANARY)).as("canary row").isTrue();
  }
}
