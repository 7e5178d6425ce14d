package dev.uploaddashboard.lambda.testing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A fresh upload bucket for one test: its own S3 bucket and its own partition of the shared table,
 * plus the environment a handler reads.
 */
public final class TestBucket {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** The contract's owner segment, written out independently of the code under test. */
  private static final Pattern OWNED_KEY = Pattern.compile("incoming/([A-Za-z0-9-]{1,128})/.*");

  private final Emulators emulators = Emulators.get();
  private final String name;

  public TestBucket() {
    name = "uploads-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    emulators.s3Client().createBucket(r -> r.bucket(name));
    UploadQuotaTable.ensure(emulators.dynamoDbClient());
  }

  public String name() {
    return name;
  }

  public Emulators emulators() {
    return emulators;
  }

  /**
   * A user id (a {@code sub}) no other test uses: the owner index is partitioned by owner alone,
   * across the buckets that share the test table.
   */
  public static String newUserId(String label) {
    return label + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
  }

  public Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("TABLE_NAME", Emulators.TABLE);
    env.put("UPLOAD_BUCKET", name);
    env.put("UPLOAD_QUOTA_TABLE", UploadQuotaTable.NAME);
    env.put("UPLOADS_PER_USER_PER_HOUR", UploadQuotaTable.GENEROUS_LIMIT);
    env.put("AWS_REGION", Emulators.REGION);
    env.put("AWS_ACCESS_KEY_ID", Emulators.ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", Emulators.SECRET_KEY);
    env.put("AWS_ENDPOINT_URL_S3", emulators.s3Endpoint().toString());
    env.put("AWS_ENDPOINT_URL_DYNAMODB", emulators.dynamoDbEndpoint().toString());
    return env;
  }

  public Function<String, String> envLookup() {
    return env()::get;
  }

  public void putObject(String key, String content) {
    putObject(key, content.getBytes(StandardCharsets.UTF_8), "text/plain", Map.of());
  }

  /**
   * Arranges an object. s3proxy now and then refuses every attempt of a PutObject for about a
   * second ("Error writing request body to server", SDK attempt count 4; seen after BulkDeleteTest,
   * on main too): the arrangement is tried again after a pause, up to three more times. Only test
   * data is arranged here; the calls under test are never retried.
   */
  public void putObject(String key, byte[] content, String contentType, Map<String, String> meta) {
    for (int attempt = 1; ; attempt++) {
      try {
        emulators
            .s3Client()
            .putObject(
                r -> r.bucket(name).key(key).contentType(contentType).metadata(meta),
                RequestBody.fromBytes(content));
        return;
      } catch (SdkClientException e) {
        if (attempt == 4) {
          throw e;
        }
        try {
          Thread.sleep(1000L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  public boolean objectExists(String key) {
    try {
      emulators.s3Client().headObject(r -> r.bucket(name).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    }
  }

  public byte[] objectBytes(String key) {
    return emulators.s3Client().getObjectAsBytes(r -> r.bucket(name).key(key)).asByteArray();
  }

  /** Writes a live row directly, the way sync would, with the owner the key names (if any). */
  public void putLiveRow(String key, String fileName, String uploadedAt) {
    Matcher owned = OWNED_KEY.matcher(key);
    Optional<String> owner = owned.matches() ? Optional.of(owned.group(1)) : Optional.empty();
    putLiveRow(key, fileName, uploadedAt, owner);
  }

  public void putLiveRow(String key, String fileName, String uploadedAt, Optional<String> owner) {
    Map<String, AttributeValue> item = new HashMap<>();
    owner.ifPresent(o -> item.put("owner", AttributeValue.fromS(o)));
    item.put("bucket", AttributeValue.fromS(name));
    item.put("object_key", AttributeValue.fromS(key));
    item.put("file_name", AttributeValue.fromS(fileName));
    item.put("name_sort", AttributeValue.fromS(fileName.toLowerCase(java.util.Locale.ROOT)));
    item.put("size", AttributeValue.fromN("7"));
    item.put("content_type", AttributeValue.fromS("text/plain"));
    item.put("uploaded_at", AttributeValue.fromS(uploadedAt));
    item.put("etag", AttributeValue.fromS("0123456789abcdef0123456789abcdef"));
    item.put("sequencer", AttributeValue.fromS("0".repeat(30) + "01"));
    emulators.dynamoDbClient().putItem(r -> r.tableName(Emulators.TABLE).item(item));
  }

  /** Writes a tombstone directly, the way sync does for a removal. */
  public void putTombstone(String key, String sequencer) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("bucket", AttributeValue.fromS(name));
    item.put("object_key", AttributeValue.fromS(key));
    item.put("sequencer", AttributeValue.fromS(sequencer));
    item.put("deleted_at", AttributeValue.fromS("2026-11-21T07:48:10.123Z"));
    item.put("expires_at", AttributeValue.fromN("1795679290"));
    emulators.dynamoDbClient().putItem(r -> r.tableName(Emulators.TABLE).item(item));
  }

  /** A file that exists in both places, as after a completed upload and sync. */
  public void putFile(String key, String fileName, String uploadedAt) {
    putObject(key, "content of " + key);
    putLiveRow(key, fileName, uploadedAt);
  }

  public Optional<Map<String, AttributeValue>> row(String key) {
    var response =
        emulators
            .dynamoDbClient()
            .getItem(
                r ->
                    r.tableName(Emulators.TABLE)
                        .consistentRead(true)
                        .key(
                            Map.of(
                                "bucket", AttributeValue.fromS(name),
                                "object_key", AttributeValue.fromS(key))));
    return response.hasItem() ? Optional.of(response.item()) : Optional.empty();
  }

  public boolean hasRow(String key) {
    return row(key).isPresent();
  }

  /**
   * Everything stored for this bucket: objects (key to ETag), rows (key to row, tombstones too).
   */
  public record State(Map<String, String> objects, Map<String, Map<String, AttributeValue>> rows) {}

  /** The bucket's whole state, to show that a request wrote and deleted nothing. */
  public State state() {
    Map<String, String> objects = new TreeMap<>();
    for (S3Object object :
        emulators.s3Client().listObjectsV2Paginator(r -> r.bucket(name)).contents()) {
      objects.put(object.key(), object.eTag());
    }
    Map<String, Map<String, AttributeValue>> rows = new TreeMap<>();
    emulators
        .dynamoDbClient()
        .queryPaginator(
            r ->
                r.tableName(Emulators.TABLE)
                    .consistentRead(true)
                    .keyConditionExpression("#b = :b")
                    .expressionAttributeNames(Map.of("#b", "bucket"))
                    .expressionAttributeValues(Map.of(":b", AttributeValue.fromS(name))))
        .items()
        .forEach(row -> rows.put(row.get("object_key").s(), row));
    return new State(objects, rows);
  }
}
