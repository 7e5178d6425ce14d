package dev.uploaddashboard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code bin/reconcile} against a running local mode: drift that no event will ever fix (a row an
 * operator deleted, a row whose object is gone) is repaired, the dashboard's list shows the bucket
 * again, and a second run finds nothing.
 */
class LocalReconcileTest {
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(20);

  private static LocalProduct product;
  private static ApiCalls alice;

  @BeforeAll
  static void start() throws Exception {
    product = LocalProduct.start(LocalOptions.builder().ephemeralPorts().inMemory().build());
    alice = ApiCalls.as(product, "alice");
  }

  @AfterAll
  static void stop() {
    product.close();
  }

  private static Map<String, AttributeValue> key(String objectKey) {
    return Map.of(
        "bucket", AttributeValue.fromS(product.bucketName()),
        "object_key", AttributeValue.fromS(objectKey));
  }

  @Test
  void driftThatNoEventFixesIsRepairedAndTheListShowsTheBucketAgain() throws Exception {
    String prefix = "incoming/" + product.user("alice").sub() + "/" + UUID.randomUUID() + "/";
    String rowDeleted = prefix + "row-deleted-by-hand.txt";
    product
        .s3Client()
        .putObject(
            r -> r.bucket(product.bucketName()).key(rowDeleted).contentType("text/plain"),
            RequestBody.fromString("still here"));
    product.awaitSyncIdle(SYNC_TIMEOUT);
    product.dynamoDbClient().deleteItem(r -> r.tableName(product.tableName()).key(key(rowDeleted)));

    String objectGone = prefix + "object-gone.txt";
    Map<String, AttributeValue> orphan = new HashMap<>(key(objectGone));
    orphan.put("owner", AttributeValue.fromS(product.user("alice").sub()));
    orphan.put("file_name", AttributeValue.fromS("object-gone.txt"));
    orphan.put("size", AttributeValue.fromN("3"));
    orphan.put("content_type", AttributeValue.fromS("text/plain"));
    orphan.put("uploaded_at", AttributeValue.fromS("2026-11-21T07:48:10.123Z"));
    orphan.put("etag", AttributeValue.fromS("0123456789abcdef0123456789abcdef"));
    orphan.put("sequencer", AttributeValue.fromS("0".repeat(31) + "1"));
    product.dynamoDbClient().putItem(r -> r.tableName(product.tableName()).item(orphan));
    assertThat(alice.listedKeys()).contains(objectGone).doesNotContain(rowDeleted);

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Map<String, Object> report =
        LocalReconcile.run(
            product.s3Endpoint(),
            product.dynamoDbEndpoint(),
            product.secretAccessKey(),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(((Number) report.get("repaired")).longValue()).isEqualTo(2);
    assertThat(LocalReconcile.describe(report))
        .contains("repaired 2")
        .contains("missing_row 1")
        .contains("orphan_row 1")
        .contains("failed 0");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("drift repaired")
        .contains(rowDeleted)
        .contains(objectGone);
    assertThat(alice.listedKeys()).contains(rowDeleted).doesNotContain(objectGone);

    Map<String, Object> again =
        LocalReconcile.run(
            product.s3Endpoint(),
            product.dynamoDbEndpoint(),
            product.secretAccessKey(),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(((Number) again.get("repaired")).longValue()).isZero();
  }
}
