package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.model.FileItem;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.FilePage;
import dev.uploaddashboard.lambda.store.PagePosition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Lists live files, newest first, a bounded page at a time: a user's own files, or for an admin
 * every file in the upload bucket.
 */
public final class FileListService {
  public static final int DEFAULT_LIMIT = 25;
  public static final int MAX_LIMIT = 100;

  private final FileMetadataStore metadata;
  private final String bucket;

  public FileListService(FileMetadataStore metadata, String bucket) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  /** One page; {@code nextCursor} is null on the last page. */
  public record Page(List<FileItem> items, String nextCursor) {
    public Page {
      items = List.copyOf(items);
    }
  }

  /**
   * @param caller who is asking: a user sees their own files, an admin the whole bucket
   * @param limit the raw {@code limit} query parameter, if given
   * @param cursor the raw {@code cursor} query parameter, if given
   */
  public Page list(Caller caller, Optional<String> limit, Optional<String> cursor) {
    int pageSize = limit.map(FileListService::parseLimit).orElse(DEFAULT_LIMIT);
    Optional<String> owner = caller.admin() ? Optional.empty() : Optional.of(caller.userId());
    Optional<PagePosition> after = cursor.map(c -> ListCursors.decode(c, bucket, owner));
    FilePage page =
        owner.isPresent()
            ? metadata.listNewestOfOwner(owner.get(), pageSize, after)
            : metadata.listNewest(bucket, pageSize, after);
    return new Page(page.items(), page.next().map(ListCursors::encode).orElse(null));
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
}
