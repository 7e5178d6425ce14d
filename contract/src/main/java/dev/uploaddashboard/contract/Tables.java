package dev.uploaddashboard.contract;

import dev.uploaddashboard.contract.TableSchema.Index;
import dev.uploaddashboard.contract.TableSchema.Key;
import dev.uploaddashboard.contract.TableSchema.Type;
import java.util.List;
import java.util.Optional;

/**
 * The product's two tables and the attribute names the functions read and write (docs/CONTRACT.md,
 * "Table"). infra's {@code MetadataTable} and {@code UploadQuotaTable} deploy these schemas, the
 * DynamoDB emulator module creates them for local mode and the tests, and the lambda stores use the
 * names.
 */
public final class Tables {
  private Tables() {}

  // The metadata table: one row per object key (a live file, or a tombstone after a delete).
  public static final String BUCKET = "bucket";
  public static final String OBJECT_KEY = "object_key";
  public static final String FILE_NAME = "file_name";
  public static final String SIZE = "size";
  public static final String CONTENT_TYPE = "content_type";

  /** The object's full-object CRC32C, when S3 has one (optional attribute). */
  public static final String CHECKSUM_CRC32C = "checksum_crc32c";

  public static final String UPLOADED_AT = "uploaded_at";
  public static final String ETAG = "etag";
  public static final String SEQUENCER = "sequencer";
  public static final String DELETED_AT = "deleted_at";
  public static final String EXPIRES_AT = "expires_at";
  public static final String OWNER = "owner";
  public static final String REPLACED_LIVE = "replaced_live";

  /** The file name in lower case: the name order's sort key. */
  public static final String NAME_SORT = "name_sort";

  public static final String UPLOADED_AT_INDEX = "uploaded_at_index";
  public static final String OWNER_UPLOADED_AT_INDEX = "owner_uploaded_at_index";
  public static final String NAME_INDEX = "name_index";
  public static final String OWNER_NAME_INDEX = "owner_name_index";
  public static final String SIZE_INDEX = "size_index";
  public static final String OWNER_SIZE_INDEX = "owner_size_index";

  private static final Key BUCKET_KEY = new Key(BUCKET, Type.STRING);
  private static final Key OWNER_KEY = new Key(OWNER, Type.STRING);

  /**
   * {@code upload_metadata}: partition key {@code bucket}, sort key {@code object_key}; the six
   * sparse listing indexes (only live rows carry {@code uploaded_at}, {@code name_sort} and {@code
   * size}, only rows of a known owner carry {@code owner}), by bucket for admins and by owner for
   * everyone else, for each list order; tombstones expire through {@code expires_at}.
   */
  public static final TableSchema METADATA =
      new TableSchema(
          "upload_metadata",
          BUCKET_KEY,
          Optional.of(new Key(OBJECT_KEY, Type.STRING)),
          List.of(
              new Index(UPLOADED_AT_INDEX, BUCKET_KEY, new Key(UPLOADED_AT, Type.STRING)),
              new Index(OWNER_UPLOADED_AT_INDEX, OWNER_KEY, new Key(UPLOADED_AT, Type.STRING)),
              new Index(NAME_INDEX, BUCKET_KEY, new Key(NAME_SORT, Type.STRING)),
              new Index(OWNER_NAME_INDEX, OWNER_KEY, new Key(NAME_SORT, Type.STRING)),
              new Index(SIZE_INDEX, BUCKET_KEY, new Key(SIZE, Type.NUMBER)),
              new Index(OWNER_SIZE_INDEX, OWNER_KEY, new Key(SIZE, Type.NUMBER))),
          EXPIRES_AT);

  /**
   * The list orders ({@code sort=} in the API), in the order their index pairs are added: a table
   * with {@code 2n} listing indexes offers the first {@code n}.
   */
  public static final List<String> SORT_ORDERS = List.of("uploaded", "name", "size");

  /** The upload quota counters: one row per user and hour, expired by TTL. */
  public static final String QUOTA_KEY = "quota_key";

  /** The number of uploads the user started in the hour. */
  public static final String UPLOADS = "uploads";

  /** {@code upload_quota}: partition key {@code quota_key}, no sort key, rows expire by TTL. */
  public static final TableSchema UPLOAD_QUOTA =
      new TableSchema(
          "upload_quota", new Key(QUOTA_KEY, Type.STRING), Optional.empty(), List.of(), EXPIRES_AT);

  /** The orders a metadata table with its first {@code listingIndexes} indexes can list in. */
  public static List<String> sortOrders(int listingIndexes) {
    return SORT_ORDERS.subList(0, listingIndexes / 2);
  }
}
