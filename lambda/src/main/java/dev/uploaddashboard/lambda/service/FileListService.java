package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.model.FileItem;
import dev.uploaddashboard.lambda.store.FileListings;
import dev.uploaddashboard.lambda.store.FileListings.Listing;
import dev.uploaddashboard.lambda.store.FilePage;
import dev.uploaddashboard.lambda.store.ListSort;
import dev.uploaddashboard.lambda.store.PagePosition;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Lists live files a bounded page at a time: a user's own files, or for an admin every file in the
 * upload bucket; newest first unless another order is asked for; optionally only the files whose
 * name contains a text, whatever its case (a search over the whole listing, not the loaded page).
 */
public final class FileListService {
  public static final int DEFAULT_LIMIT = 25;
  public static final int MAX_LIMIT = 100;
  public static final int MAX_QUERY_CHARS = 200;

  /**
   * Rows a search reads per request at most (about 3 MB of index at most, as the rows are small): a
   * listing of up to this many files is searched whole in one request; a larger one answers a page
   * that may be short, with a cursor to go on.
   */
  public static final int SEARCH_READ_BUDGET = 10_000;

  private final FileListings listings;
  private final String bucket;
  private final int searchReadBudget;
  private final Set<ListSort> sorts;

  public FileListService(FileListings listings, String bucket) {
    this(listings, bucket, SEARCH_READ_BUDGET, EnumSet.allOf(ListSort.class));
  }

  /** With another read budget per search request (tests of large listings). */
  public FileListService(FileListings listings, String bucket, int searchReadBudget) {
    this(listings, bucket, searchReadBudget, EnumSet.allOf(ListSort.class));
  }

  /**
   * @param sorts the orders whose indexes the table has (all, except while an upgrade adds them)
   */
  public FileListService(
      FileListings listings, String bucket, int searchReadBudget, Set<ListSort> sorts) {
    this.listings = Objects.requireNonNull(listings, "listings");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
    this.searchReadBudget = searchReadBudget;
    this.sorts = EnumSet.copyOf(sorts);
  }

  /**
   * The orders a {@code SORT_ORDERS} setting names ({@code uploaded,name,size}); all when absent.
   *
   * @throws IllegalStateException for a name that is not an order, or a list without uploaded
   */
  public static Set<ListSort> sortOrders(Optional<String> setting) {
    if (setting.isEmpty()) {
      return EnumSet.allOf(ListSort.class);
    }
    Set<ListSort> sorts = EnumSet.noneOf(ListSort.class);
    for (String name : setting.get().split(",")) {
      sorts.add(
          ListSort.fromApiName(name.strip())
              .orElseThrow(() -> new IllegalStateException("SORT_ORDERS names no order " + name)));
    }
    if (!sorts.contains(ListSort.UPLOADED)) {
      throw new IllegalStateException("SORT_ORDERS must include uploaded");
    }
    return sorts;
  }

  /** One page; {@code nextCursor} is null on the last page. */
  public record Page(List<FileItem> items, String nextCursor) {
    public Page {
      items = List.copyOf(items);
    }
  }

  /** The raw query parameters of a listing request, each as given (absent when not given). */
  public record Request(
      Optional<String> limit,
      Optional<String> cursor,
      Optional<String> query,
      Optional<String> sort,
      Optional<String> order) {
    public static Request newest(Optional<String> limit, Optional<String> cursor) {
      return new Request(limit, cursor, Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  /** One page of the listing the request describes, as the caller may see it. */
  public Page list(Caller caller, Request request) {
    int pageSize = request.limit().map(FileListService::parseLimit).orElse(DEFAULT_LIMIT);
    ListSort sort = request.sort().map(FileListService::parseSort).orElse(ListSort.UPLOADED);
    if (!sorts.contains(sort)) {
      throw RequestRejectedException.invalid(
          "sort_unavailable",
          "sort="
              + sort.apiName()
              + " is not available yet: this deployment is still adding its index");
    }
    boolean ascending = request.order().map(FileListService::parseAscending).orElse(false);
    Optional<String> query = request.query().flatMap(FileListService::parseQuery);
    Optional<String> owner = caller.admin() ? Optional.empty() : Optional.of(caller.userId());
    Listing listing = new Listing(bucket, owner, sort, ascending);
    Optional<PagePosition> after = request.cursor().map(c -> ListCursors.decode(c, listing, query));
    FilePage page =
        query.isPresent()
            ? listings.page(
                listing, pageSize, after, query, Math.max(searchReadBudget, pageSize + 2))
            : listings.page(listing, pageSize, after);
    return new Page(
        page.items(), page.next().map(p -> ListCursors.encode(p, listing, query)).orElse(null));
  }

  private static int parseLimit(String raw) {
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= 1 && value <= MAX_LIMIT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw RequestRejectedException.invalid(
        "invalid_limit", "limit must be an integer from 1 to " + MAX_LIMIT);
  }

  private static ListSort parseSort(String raw) {
    return ListSort.fromApiName(raw)
        .orElseThrow(
            () ->
                RequestRejectedException.invalid(
                    "invalid_sort", "sort must be uploaded, name or size"));
  }

  private static boolean parseAscending(String raw) {
    return switch (raw) {
      case "asc" -> true;
      case "desc" -> false;
      default ->
          throw RequestRejectedException.invalid("invalid_order", "order must be asc or desc");
    };
  }

  /** The search text, trimmed; empty means no search. */
  private static Optional<String> parseQuery(String raw) {
    String query = raw.strip();
    if (query.isEmpty()) {
      return Optional.empty();
    }
    if (query.length() > MAX_QUERY_CHARS || query.codePoints().anyMatch(Character::isISOControl)) {
      throw RequestRejectedException.invalid(
          "invalid_query",
          "q must be at most " + MAX_QUERY_CHARS + " characters, without control characters");
    }
    return Optional.of(query);
  }
}
