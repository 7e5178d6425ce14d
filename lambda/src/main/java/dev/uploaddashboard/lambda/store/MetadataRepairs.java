package dev.uploaddashboard.lambda.store;

import static dev.uploaddashboard.contract.Tables.BUCKET;
import static dev.uploaddashboard.contract.Tables.DELETED_AT;
import static dev.uploaddashboard.contract.Tables.ETAG;
import static dev.uploaddashboard.contract.Tables.EXPIRES_AT;
import static dev.uploaddashboard.contract.Tables.OBJECT_KEY;
import static dev.uploaddashboard.contract.Tables.REPLACED_LIVE;
import static dev.uploaddashboard.contract.Tables.SEQUENCER;
import static dev.uploaddashboard.contract.Tables.SIZE;
import static dev.uploaddashboard.contract.Tables.UPLOADED_AT;
import static dev.uploaddashboard.lambda.store.FileMetadataStore.key;
import static dev.uploaddashboard.lambda.store.FileMetadataStore.number;
import static dev.uploaddashboard.lambda.store.FileMetadataStore.s;
import static dev.uploaddashboard.lambda.store.FileMetadataStore.text;

import dev.uploaddashboard.contract.Tables;
import dev.uploaddashboard.lambda.model.FileItem;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The reconciler's side of the metadata table: the rows of a bucket in key order, and repairs that
 * are written only if the row is still what the reconciler saw. Sync's writes are conditional on
 * the event's sequencer; a repair keeps the sequencer it saw (or writes the lowest one for a row
 * that did not exist), so any real event that arrives later still wins, and a repair never
 * overwrites a row that sync or a delete changed since it was read.
 */
public final class MetadataRepairs {
  /**
   * Sequencer of a row the reconciler created: lower than any S3 sequencer (those are 32 hex digits
   * here, {@code Sequencers}), so the object's own event, if it still comes, replaces the row.
   */
  public static final String RECONCILED_SEQUENCER = "0";

  /** Sort key of the reconciler's checkpoint row (outside {@code incoming/}, never listed). */
  public static final String CHECKPOINT_KEY = "#reconciler-checkpoint";

  private static final String CHECKPOINT_AFTER = "after";

  private final DynamoDbClient dynamoDb;
  private final String tableName;

  public MetadataRepairs(DynamoDbClient dynamoDb, String tableName) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
  }

  /**
   * A row as the reconciler compares it: live or tombstone, what it says of the object, and whether
   * a live row carries every listing attribute ({@code name_sort} arrived after the first rows).
   */
  public record Row(
      String key, boolean live, String sequencer, long size, String etag, boolean complete) {}

  /** Rows in key order, and the key to continue after if more may follow. */
  public record RowPage(List<Row> rows, Optional<String> lastKey) {}

  /** Up to {@code limit} rows of the bucket with keys under {@code prefix}, after {@code after}. */
  public RowPage rows(String bucket, String prefix, Optional<String> after, int limit) {
    QueryResponse response =
        dynamoDb.query(
            r -> {
              r.tableName(tableName)
                  .consistentRead(true)
                  .keyConditionExpression("#b = :b AND begins_with(#k, :p)")
                  .projectionExpression("#k, #s, #u, #z, #e, #n")
                  .expressionAttributeNames(
                      Map.of(
                          "#b", BUCKET,
                          "#k", OBJECT_KEY,
                          "#s", SEQUENCER,
                          "#u", UPLOADED_AT,
                          "#z", SIZE,
                          "#e", ETAG,
                          "#n", Tables.NAME_SORT))
                  .expressionAttributeValues(Map.of(":b", s(bucket), ":p", s(prefix)))
                  .limit(limit);
              after.ifPresent(a -> r.exclusiveStartKey(key(bucket, a)));
            });
    List<Row> rows =
        response.items().stream()
            .map(
                item ->
                    new Row(
                        text(item, OBJECT_KEY),
                        item.containsKey(UPLOADED_AT),
                        text(item, SEQUENCER),
                        number(item, SIZE),
                        text(item, ETAG),
                        item.containsKey(Tables.NAME_SORT)))
            .toList();
    Optional<String> lastKey =
        response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
            ? Optional.of(text(response.lastEvaluatedKey(), OBJECT_KEY))
            : Optional.empty();
    return new RowPage(rows, lastKey);
  }

  /** Writes the live row of an object that has no row at all; false if a row appeared meanwhile. */
  public boolean createLive(FileItem item, Optional<String> owner, String etag) {
    return put(
        FileMetadataStore.liveRow(item, owner, etag, RECONCILED_SEQUENCER),
        "attribute_not_exists(#k)",
        Map.of("#k", OBJECT_KEY),
        Map.of());
  }

  /**
   * Replaces a row the reconciler saw (a tombstone over an object that exists, or a live row that
   * disagrees with its object) with the object's live row, keeping the row's sequencer; false if
   * the row changed meanwhile.
   */
  public boolean replaceWithLive(FileItem item, Optional<String> owner, String etag, Row seen) {
    return put(
        FileMetadataStore.liveRow(item, owner, etag, seen.sequencer()),
        (seen.live() ? "attribute_exists(#u)" : "attribute_not_exists(#u)") + " AND #s = :seq",
        Map.of("#u", UPLOADED_AT, "#s", SEQUENCER),
        Map.of(":seq", s(seen.sequencer())));
  }

  /**
   * Replaces a live row whose object is gone with a tombstone, as sync does for a removal, keeping
   * the row's sequencer; false if the row changed meanwhile.
   */
  public boolean replaceWithTombstone(
      String bucket, Row seen, String deletedAt, Instant expiresAt) {
    Map<String, AttributeValue> row = new HashMap<>(key(bucket, seen.key()));
    row.put(SEQUENCER, s(seen.sequencer()));
    row.put(DELETED_AT, s(deletedAt));
    row.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
    row.put(REPLACED_LIVE, AttributeValue.fromBool(true));
    return put(
        row,
        "attribute_exists(#u) AND #s = :seq",
        Map.of("#u", UPLOADED_AT, "#s", SEQUENCER),
        Map.of(":seq", s(seen.sequencer())));
  }

  /**
   * Where the last run of the reconciler stopped (the last key it finished), if it stopped early.
   */
  public Optional<String> checkpoint(String bucket) {
    Map<String, AttributeValue> item =
        dynamoDb
            .getItem(
                r -> r.tableName(tableName).key(key(bucket, CHECKPOINT_KEY)).consistentRead(true))
            .item();
    String after = item == null ? "" : text(item, CHECKPOINT_AFTER); // absent: start over
    return after.isEmpty() ? Optional.empty() : Optional.of(after);
  }

  /** Saves where the next run starts; empty means from the first key. */
  public void saveCheckpoint(String bucket, Optional<String> after, Instant at) {
    Map<String, AttributeValue> row = new HashMap<>(key(bucket, CHECKPOINT_KEY));
    after.ifPresent(a -> row.put(CHECKPOINT_AFTER, s(a)));
    row.put("saved_at", s(at.toString()));
    dynamoDb.putItem(r -> r.tableName(tableName).item(row));
  }

  private boolean put(
      Map<String, AttributeValue> row,
      String condition,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    try {
      dynamoDb.putItem(
          r -> {
            r.tableName(tableName)
                .item(row)
                .conditionExpression(condition)
                .expressionAttributeNames(names);
            if (!values.isEmpty()) {
              r.expressionAttributeValues(values);
            }
          });
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }
}
