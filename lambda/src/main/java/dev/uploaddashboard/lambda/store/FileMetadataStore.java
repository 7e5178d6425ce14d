package dev.uploaddashboard.lambda.store;

import static dev.uploaddashboard.contract.Tables.BUCKET;
import static dev.uploaddashboard.contract.Tables.CHECKSUM_CRC32C;
import static dev.uploaddashboard.contract.Tables.CONTENT_TYPE;
import static dev.uploaddashboard.contract.Tables.DELETED_AT;
import static dev.uploaddashboard.contract.Tables.ETAG;
import static dev.uploaddashboard.contract.Tables.EXPIRES_AT;
import static dev.uploaddashboard.contract.Tables.FILE_NAME;
import static dev.uploaddashboard.contract.Tables.NAME_SORT;
import static dev.uploaddashboard.contract.Tables.OBJECT_KEY;
import static dev.uploaddashboard.contract.Tables.OWNER;
import static dev.uploaddashboard.contract.Tables.REPLACED_LIVE;
import static dev.uploaddashboard.contract.Tables.SEQUENCER;
import static dev.uploaddashboard.contract.Tables.SIZE;
import static dev.uploaddashboard.contract.Tables.UPLOADED_AT;

import dev.uploaddashboard.lambda.model.FileItem;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The {@code upload_metadata} table: live rows (listed through the sparse GSI) and tombstones
 * (written by sync for removals so that late, older events cannot resurrect a row).
 */
public final class FileMetadataStore {
  // `bucket` is a DynamoDB reserved word: expressions name attributes through #aliases.
  private static final String NEWER_EVENT_ONLY = "attribute_not_exists(#k) OR #s < :seq";
  private static final String REPLACES_OLDER_LIVE = "attribute_exists(#u) AND #s < :seq";
  private static final String REPLACES_OLDER_ABSENCE =
      "attribute_not_exists(#k) OR (attribute_not_exists(#u) AND #s < :seq)";

  private final DynamoDbClient dynamoDb;
  private final String tableName;

  public FileMetadataStore(DynamoDbClient dynamoDb, String tableName) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
  }

  /** What {@link #deleteLive} found in the row it was asked to delete. */
  public sealed interface RowRemoval {
    /** The live row existed and is gone now. */
    record Removed() implements RowRemoval {}

    /**
     * A tombstone was there instead: sync had already applied an S3 removal of the key at {@code
     * deletedAt}; {@code replacedLive} says whether that removal took a live row away.
     */
    record Tombstoned(Instant deletedAt, boolean replacedLive) implements RowRemoval {}

    /** There was no row at all. */
    record Absent() implements RowRemoval {}
  }

  /**
   * Deletes the live row for the key. A tombstone is left in place (it still guards against
   * resurrection by a late, older event) and is reported as such.
   */
  public RowRemoval deleteLive(String bucket, String objectKey) {
    try {
      DeleteItemResponse response =
          dynamoDb.deleteItem(
              r ->
                  r.tableName(tableName)
                      .key(key(bucket, objectKey))
                      .conditionExpression("attribute_exists(#u)")
                      .expressionAttributeNames(Map.of("#u", UPLOADED_AT))
                      .returnValues(ReturnValue.ALL_OLD)
                      .returnValuesOnConditionCheckFailure(
                          ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return response.hasAttributes() && live(response.attributes()).isPresent()
          ? new RowRemoval.Removed()
          : new RowRemoval.Absent();
    } catch (ConditionalCheckFailedException e) {
      return notLive(e.hasItem() ? e.item() : Map.of());
    }
  }

  /** What a delete conditional on a live row found instead: a tombstone or nothing. */
  private static RowRemoval notLive(Map<String, AttributeValue> row) {
    if (!row.containsKey(DELETED_AT)) {
      return new RowRemoval.Absent();
    }
    Instant deletedAt;
    try {
      deletedAt = Instant.parse(text(row, DELETED_AT));
    } catch (DateTimeParseException unreadable) {
      return new RowRemoval.Absent();
    }
    AttributeValue replaced = row.get(REPLACED_LIVE);
    return new RowRemoval.Tombstoned(
        deletedAt, replaced != null && Boolean.TRUE.equals(replaced.bool()));
  }

  /** The most keys {@link #deleteLiveRows} takes: DynamoDB's limit per transaction. */
  public static final int MAX_BATCH_ROWS = 100;

  /**
   * What one {@link #deleteLiveRows} call did: a removal per settled key, and for every other key
   * why it was not settled (DynamoDB's cancellation reason code, e.g. {@code TransactionConflict},
   * {@code ThrottlingError}, or {@code None} when the key was fine but the transaction was
   * cancelled because of another key). Unsettled keys were not changed and may be sent again.
   */
  public record BatchRowRemoval(Map<String, RowRemoval> settled, Map<String, String> unsettled) {}

  /**
   * Deletes the live rows of up to {@value #MAX_BATCH_ROWS} keys in one transaction, each delete
   * conditional on a live row exactly as {@link #deleteLive}. A key whose condition fails (a
   * tombstone, or no row) cancels the transaction: it is settled as {@link RowRemoval.Tombstoned}
   * or {@link RowRemoval.Absent} from the row DynamoDB returns, and the others are unsettled so the
   * caller sends them again; a second call then normally settles them all.
   */
  public BatchRowRemoval deleteLiveRows(String bucket, List<String> objectKeys) {
    if (objectKeys.isEmpty() || objectKeys.size() > MAX_BATCH_ROWS) {
      throw new IllegalArgumentException("1 to " + MAX_BATCH_ROWS + " keys per transaction");
    }
    List<TransactWriteItem> deletes = new ArrayList<>();
    for (String objectKey : objectKeys) {
      deletes.add(
          TransactWriteItem.builder()
              .delete(
                  d ->
                      d.tableName(tableName)
                          .key(key(bucket, objectKey))
                          .conditionExpression("attribute_exists(#u)")
                          .expressionAttributeNames(Map.of("#u", UPLOADED_AT))
                          .returnValuesOnConditionCheckFailure(
                              ReturnValuesOnConditionCheckFailure.ALL_OLD))
              .build());
    }
    Map<String, RowRemoval> settled = new LinkedHashMap<>();
    Map<String, String> unsettled = new LinkedHashMap<>();
    try {
      dynamoDb.transactWriteItems(r -> r.transactItems(deletes));
      // A transaction returns no old rows: the condition proved each row was live.
      for (String objectKey : objectKeys) {
        settled.put(objectKey, new RowRemoval.Removed());
      }
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons =
          e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
      for (int i = 0; i < objectKeys.size(); i++) {
        CancellationReason reason = i < reasons.size() ? reasons.get(i) : null;
        String code = reason == null || reason.code() == null ? "None" : reason.code();
        if (code.equals("ConditionalCheckFailed")) {
          settled.put(objectKeys.get(i), notLive(reason.hasItem() ? reason.item() : Map.of()));
        } else {
          unsettled.put(objectKeys.get(i), code);
        }
      }
    }
    return new BatchRowRemoval(settled, unsettled);
  }

  /** The live row for the key; empty when missing or a tombstone. */
  public Optional<FileItem> findLive(String bucket, String objectKey) {
    var response =
        dynamoDb.getItem(
            r -> r.tableName(tableName).key(key(bucket, objectKey)).consistentRead(true));
    return response.hasItem() ? live(response.item()) : Optional.empty();
  }

  /**
   * Writes a live row unless the stored row (live or tombstone) has the same or a newer sequencer.
   * A row with an owner is listed for that owner; one without is listed for admins only.
   *
   * @return false when the write lost to a newer or duplicate event
   */
  public boolean putLive(FileItem item, Optional<String> owner, String etag, String sequencer) {
    return putIfNewer(liveRow(item, owner, etag, sequencer), sequencer);
  }

  /**
   * A live row as sync writes it (the reconciler writes the same rows, {@link MetadataRepairs}).
   */
  static Map<String, AttributeValue> liveRow(
      FileItem item, Optional<String> owner, String etag, String sequencer) {
    Map<String, AttributeValue> row = new HashMap<>(key(item.bucket(), item.objectKey()));
    owner.ifPresent(o -> row.put(OWNER, s(o)));
    row.put(FILE_NAME, s(item.fileName()));
    row.put(NAME_SORT, s(ListSort.nameSortValue(item.fileName())));
    row.put(SIZE, AttributeValue.fromN(Long.toString(item.size())));
    row.put(CONTENT_TYPE, s(item.contentType()));
    row.put(UPLOADED_AT, s(item.uploadedAt()));
    if (item.checksumCrc32c() != null) {
      row.put(CHECKSUM_CRC32C, s(item.checksumCrc32c()));
    }
    row.put(ETAG, s(etag));
    row.put(SEQUENCER, s(sequencer));
    return row;
  }

  /**
   * Replaces the row with a tombstone unless the stored row has the same or a newer sequencer. The
   * tombstone records whether it replaced a live row, so the delete function can tell its own
   * removal (which sync may apply before the function reaches the table) from a repeat.
   *
   * @return false when the write lost to a newer or duplicate event
   */
  public boolean putTombstone(
      String bucket, String objectKey, String sequencer, String deletedAt, Instant expiresAt) {
    Map<String, AttributeValue> row = new HashMap<>(key(bucket, objectKey));
    row.put(SEQUENCER, s(sequencer));
    row.put(DELETED_AT, s(deletedAt));
    row.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
    // Two conditional writes instead of a read: a row can turn live between them (a concurrent
    // "created" event), so a lost race is retried; a newer or equal sequencer ends it.
    for (int attempt = 0; attempt < 3; attempt++) {
      row.put(REPLACED_LIVE, AttributeValue.fromBool(true));
      Optional<Map<String, AttributeValue>> blocking = putIf(row, REPLACES_OLDER_LIVE, sequencer);
      if (blocking.isEmpty()) {
        return true;
      }
      if (isLive(blocking.get())) {
        return false; // a live row with the same or a newer sequencer
      }
      row.put(REPLACED_LIVE, AttributeValue.fromBool(false));
      blocking = putIf(row, REPLACES_OLDER_ABSENCE, sequencer);
      if (blocking.isEmpty()) {
        return true;
      }
      if (!isLive(blocking.get()) || !isOlder(blocking.get(), sequencer)) {
        return false; // a tombstone or live row with the same or a newer sequencer
      }
    }
    throw new IllegalStateException("Row kept changing while writing a tombstone; retry the event");
  }

  private Optional<Map<String, AttributeValue>> putIf(
      Map<String, AttributeValue> row, String condition, String sequencer) {
    try {
      dynamoDb.putItem(
          r ->
              r.tableName(tableName)
                  .item(row)
                  .conditionExpression(condition)
                  .expressionAttributeNames(namesUsedIn(condition))
                  .expressionAttributeValues(Map.of(":seq", s(sequencer)))
                  .returnValuesOnConditionCheckFailure(
                      ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return Optional.empty();
    } catch (ConditionalCheckFailedException e) {
      return Optional.of(e.hasItem() ? e.item() : Map.of());
    }
  }

  /** DynamoDB rejects attribute names that an expression does not use. */
  private static Map<String, String> namesUsedIn(String condition) {
    Map<String, String> names = new HashMap<>();
    Map.of("#k", OBJECT_KEY, "#s", SEQUENCER, "#u", UPLOADED_AT)
        .forEach(
            (alias, name) -> {
              if (condition.contains(alias)) {
                names.put(alias, name);
              }
            });
    return names;
  }

  private static boolean isLive(Map<String, AttributeValue> row) {
    return row.containsKey(UPLOADED_AT);
  }

  private static boolean isOlder(Map<String, AttributeValue> row, String sequencer) {
    return text(row, SEQUENCER).compareTo(sequencer) < 0;
  }

  private boolean putIfNewer(Map<String, AttributeValue> row, String sequencer) {
    try {
      dynamoDb.putItem(
          r ->
              r.tableName(tableName)
                  .item(row)
                  .conditionExpression(NEWER_EVENT_ONLY)
                  .expressionAttributeNames(Map.of("#k", OBJECT_KEY, "#s", SEQUENCER))
                  .expressionAttributeValues(Map.of(":seq", s(sequencer))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  static Optional<FileItem> live(Map<String, AttributeValue> row) {
    if (!row.containsKey(UPLOADED_AT)) {
      return Optional.empty();
    }
    return Optional.of(
        new FileItem(
            text(row, BUCKET),
            text(row, OBJECT_KEY),
            text(row, FILE_NAME),
            number(row, SIZE),
            text(row, CONTENT_TYPE),
            text(row, UPLOADED_AT),
            row.containsKey(CHECKSUM_CRC32C) ? text(row, CHECKSUM_CRC32C) : null));
  }

  static Map<String, AttributeValue> key(String bucket, String objectKey) {
    return Map.of(BUCKET, s(bucket), OBJECT_KEY, s(objectKey));
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static String text(Map<String, AttributeValue> row, String name) {
    AttributeValue value = row.get(name);
    return value == null || value.s() == null ? "" : value.s();
  }

  static long number(Map<String, AttributeValue> row, String name) {
    AttributeValue value = row.get(name);
    if (value == null || value.n() == null) {
      return 0;
    }
    try {
      return Long.parseLong(value.n());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
