package dev.uploaddashboard.lambda.store;

import static dev.uploaddashboard.contract.Tables.BUCKET;
import static dev.uploaddashboard.contract.Tables.OBJECT_KEY;
import static dev.uploaddashboard.contract.Tables.OWNER;
import static dev.uploaddashboard.lambda.store.FileMetadataStore.s;

import dev.uploaddashboard.contract.Tables;
import dev.uploaddashboard.lambda.model.FileItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
  /** Rows read per Query at most while searching (DynamoDB also stops each Query at 1 MB). */
  static final int MAX_SEARCH_BATCH = 10_000;

  /** Rows the first Query of a search reads at least. */
  static final int FIRST_SEARCH_BATCH = 250;

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
    return page(listing, limit, after, Optional.empty(), limit + 1);
  }

  /**
   * Up to {@code limit} live files whose name contains {@code nameContains} (if given) whatever its
   * case, reading at most about {@code readBudget} rows of the index. The next position follows the
   * last file returned, or, when the budget ran out first, the last row read: a page may then hold
   * fewer than {@code limit} files (even none) while a next position says that more rows remain.
   * Without a next position, the listing ends.
   *
   * <p>The match runs in DynamoDB as a filter on {@code name_sort} (the name in lower case), so
   * only matches cross the network; the rows it reads still count (and cost) as read. A row written
   * before {@code name_sort} existed passes the filter and is matched here on its {@code
   * file_name}, so a search is complete before the reconciler has rewritten such rows.
   */
  public FilePage page(
      Listing listing,
      int limit,
      Optional<PagePosition> after,
      Optional<String> nameContains,
      int readBudget) {
    if (limit < 1 || readBudget <= limit) {
      throw new IllegalArgumentException("limit must be positive and below the read budget");
    }
    after.ifPresent(position -> requireSamePartition(listing, position));
    Optional<String> needle = nameContains.map(q -> q.toLowerCase(Locale.ROOT));
    Predicate<FileItem> matches =
        item -> needle.isEmpty() || item.fileName().toLowerCase(Locale.ROOT).contains(needle.get());
    List<FileItem> items = new ArrayList<>();
    Map<String, AttributeValue> lastReturned = null;
    Map<String, AttributeValue> start = after.map(p -> startKey(listing, p)).orElse(null);
    int read = 0;
    // A search reads ten pages' worth first; then, from the matches seen per row read, twice what
    // should fill the page (the rest of the budget while nothing matched): a common match costs a
    // little, a rare one few calls.
    int batch = Math.max(FIRST_SEARCH_BATCH, 10 * limit);
    while (true) {
      // Read one match more than the page holds: a next position only if a next file exists.
      int ask =
          needle.isPresent()
              ? Math.min(Math.min(batch, MAX_SEARCH_BATCH), readBudget - read)
              : limit + 1 - items.size();
      QueryResponse response = query(listing, ask, start, needle);
      read += response.scannedCount() == null ? response.items().size() : response.scannedCount();
      for (Map<String, AttributeValue> row : response.items()) {
        Optional<FileItem> item = FileMetadataStore.live(row).filter(matches);
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
      batch =
          items.isEmpty()
              ? readBudget - read
              : (int) Math.min(readBudget, 2L * (limit + 1 - items.size()) * read / items.size());
      if (read >= readBudget) {
        // Resume after the last row read (its index key is the LastEvaluatedKey's).
        return new FilePage(items, Optional.of(position(listing, start)));
      }
    }
  }

  private QueryResponse query(
      Listing listing, int limit, Map<String, AttributeValue> start, Optional<String> needle) {
    String partition = listing.owner().isPresent() ? OWNER : BUCKET;
    String value = listing.owner().orElse(listing.bucket());
    Map<String, String> names = new HashMap<>(Map.of("#p", partition));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", s(value)));
    needle.ifPresent(
        q -> {
          names.put("#n", Tables.NAME_SORT);
          values.put(":q", s(q));
        });
    return dynamoDb.query(
        r -> {
          r.tableName(tableName)
              .indexName(listing.index())
              .keyConditionExpression("#p = :p")
              .expressionAttributeNames(names)
              .expressionAttributeValues(values)
              .scanIndexForward(listing.ascending())
              .limit(limit);
          if (needle.isPresent()) {
            r.filterExpression("contains(#n, :q) OR attribute_not_exists(#n)");
          }
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
