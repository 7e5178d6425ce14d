package dev.uploaddashboard.lambda.store;

import static dev.uploaddashboard.lambda.store.FileMetadataStore.BUCKET;
import static dev.uploaddashboard.lambda.store.FileMetadataStore.OBJECT_KEY;
import static dev.uploaddashboard.lambda.store.FileMetadataStore.OWNER;
import static dev.uploaddashboard.lambda.store.FileMetadataStore.s;

import dev.uploaddashboard.lambda.model.FileItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Pages of live files from the table's sparse listing indexes ({@link ListSort}): a user's own
 * files (owner indexes; one table serves one upload bucket, so the owner alone is the partition) or
 * a whole bucket's, in either direction, optionally only the files a filter accepts.
 */
public final class FileListings {
  /** Rows asked for per Query while filtering (DynamoDB also stops each Query at 1 MB). */
  static final int FILTER_BATCH = 1000;

  private final DynamoDbClient dynamoDb;
  private final String tableName;

  public FileListings(DynamoDbClient dynamoDb, String tableName) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.tableName = Objects.requireNonNull(tableName, "tableName");
  }

  /**
   * What to list: whose files ({@code owner} empty: the whole {@code bucket}), in which order.
   *
   * @param owner the owner whose files are listed, or empty for every file in the bucket
   */
  public record Listing(String bucket, Optional<String> owner, ListSort sort, boolean ascending) {
    public Listing {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(sort, "sort");
    }

    public String index() {
      return sort.index(owner.isPresent());
    }
  }

  /** The next {@code limit} live rows of the listing. */
  public FilePage page(Listing listing, int limit, Optional<PagePosition> after) {
    return page(listing, limit, after, item -> true, limit + 1);
  }

  /**
   * Up to {@code limit} live files the filter accepts, reading at most about {@code readBudget}
   * rows of the index. The next position follows the last file returned, or, when the budget ran
   * out first, the last row read: a page may then hold fewer than {@code limit} files (even none)
   * while a next position says that more rows remain. Without a next position, the listing ends.
   */
  public FilePage page(
      Listing listing,
      int limit,
      Optional<PagePosition> after,
      Predicate<FileItem> filter,
      int readBudget) {
    if (limit < 1 || readBudget <= limit) {
      throw new IllegalArgumentException("limit must be positive and below the read budget");
    }
    after.ifPresent(position -> requireSamePartition(listing, position));
    boolean filtering = readBudget > limit + 1;
    List<FileItem> items = new ArrayList<>();
    Map<String, AttributeValue> lastReturned = null;
    Map<String, AttributeValue> start = after.map(p -> startKey(listing, p)).orElse(null);
    int read = 0;
    while (true) {
      // Read one match more than the page holds: a next position only if a next file exists.
      int ask = filtering ? Math.min(FILTER_BATCH, readBudget - read) : limit + 1 - items.size();
      QueryResponse response = query(listing, ask, start);
      for (Map<String, AttributeValue> row : response.items()) {
        read++;
        Optional<FileItem> item = FileMetadataStore.live(row).filter(filter);
        if (item.isEmpty()) {
          continue;
        }
        if (items.size() == limit) {
          return new FilePage(items, Optional.of(position(listing, lastReturned)));
        }
        items.add(item.get());
        lastReturned = row;
      }
      if (!hasMore(response)) {
        return new FilePage(items, Optional.empty());
      }
      start = response.lastEvaluatedKey();
      if (read >= readBudget) {
        // Resume after the last row read (its index key is the LastEvaluatedKey's).
        return new FilePage(items, Optional.of(position(listing, start)));
      }
    }
  }

  private QueryResponse query(Listing listing, int limit, Map<String, AttributeValue> start) {
    String partition = listing.owner().isPresent() ? OWNER : BUCKET;
    String value = listing.owner().orElse(listing.bucket());
    return dynamoDb.query(
        r -> {
          r.tableName(tableName)
              .indexName(listing.index())
              .keyConditionExpression("#p = :p")
              .expressionAttributeNames(Map.of("#p", partition))
              .expressionAttributeValues(Map.of(":p", s(value)))
              .scanIndexForward(listing.ascending())
              .limit(limit);
          if (start != null) {
            r.exclusiveStartKey(start);
          }
        });
  }

  private static boolean hasMore(QueryResponse response) {
    return response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
  }

  private static void requireSamePartition(Listing listing, PagePosition position) {
    if (!position.owner().equals(listing.owner()) || !position.bucket().equals(listing.bucket())) {
      throw new IllegalArgumentException("position belongs to another partition");
    }
  }

  private static PagePosition position(Listing listing, Map<String, AttributeValue> row) {
    AttributeValue sortValue = row.get(listing.sort().attribute());
    String text = listing.sort().numeric() ? sortValue.n() : sortValue.s();
    return new PagePosition(
        FileMetadataStore.text(row, BUCKET),
        FileMetadataStore.text(row, OBJECT_KEY),
        text,
        listing.owner());
  }

  /** An index start key: the table's key plus the index's key. */
  private static Map<String, AttributeValue> startKey(Listing listing, PagePosition position) {
    Map<String, AttributeValue> key =
        new HashMap<>(FileMetadataStore.key(position.bucket(), position.objectKey()));
    String sortValue = position.sortValue();
    key.put(
        listing.sort().attribute(),
        listing.sort().numeric() ? AttributeValue.fromN(sortValue) : s(sortValue));
    position.owner().ifPresent(owner -> key.put(OWNER, s(owner)));
    return key;
  }
}
