package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.model.FileItem;
import dev.uploaddashboard.lambda.store.IncomingObjects;
import dev.uploaddashboard.lambda.store.IncomingObjects.Listed;
import dev.uploaddashboard.lambda.store.MetadataRepairs;
import dev.uploaddashboard.lambda.store.MetadataRepairs.Row;
import dev.uploaddashboard.lambda.store.ObjectInfo;
import dev.uploaddashboard.lambda.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds and repairs drift between the bucket ({@code incoming/}) and the metadata table, for the
 * events that never arrive: a notification configuration changed by hand, an event that exhausted
 * its retries, a row edited by an operator.
 *
 * <p>It walks the bucket's listing and the table's rows side by side in key order (both are in
 * UTF-8 binary order: S3 lists keys so, and DynamoDB sorts string keys so) and repairs, always
 * after a HeadObject of the key (a listing is a snapshot; S3 is the truth now) and always with a
 * write that only succeeds if the row is still what it read ({@link MetadataRepairs}), so it never
 * fights a concurrent sync or delete: whichever changed the row first wins, and the other is a
 * no-op.
 *
 * <p>Bounded per run (items and time), resumable from the last key it finished, idempotent.
 */
public final class ReconcileService {
  /** Keys read from S3 and the table per call. */
  static final int PAGE = 1000;

  private final IncomingObjects listing;
  private final ObjectStore objects;
  private final MetadataRepairs rows;
  private final Clock clock;
  private final Duration abandonedUploadAge;

  /**
   * @param abandonedUploadAge incomplete multipart uploads older than this are aborted (the
   *     bucket's lifecycle rule aborts them too, but lifecycle rules run about once a day)
   */
  public ReconcileService(
      IncomingObjects listing,
      ObjectStore objects,
      MetadataRepairs rows,
      Clock clock,
      Duration abandonedUploadAge) {
    this.listing = Objects.requireNonNull(listing, "listing");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.rows = Objects.requireNonNull(rows, "rows");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.abandonedUploadAge = Objects.requireNonNull(abandonedUploadAge, "abandonedUploadAge");
  }

  /** What was found and done, by kind. */
  public enum Kind {
    /** An object without a row (or whose row appeared meanwhile: then nothing was written). */
    MISSING_ROW,
    /** A tombstone hid an object that exists. */
    HIDDEN_OBJECT,
    /** A live row whose size or ETag disagreed with its object. */
    STALE_ROW,
    /** A live row whose object is gone. */
    ORPHAN_ROW,
    /** An incomplete multipart upload older than the lifecycle window. */
    ABANDONED_UPLOAD
  }

  /** How far a run may go. */
  public record Budget(int maxKeys, Instant deadline) {}

  /** One repair, for the log. */
  public record Repair(Kind kind, String key) {}

  /**
   * The outcome of a run.
   *
   * @param checked keys compared (objects and rows, each key once)
   * @param repairs what was repaired
   * @param failures keys whose repair failed (retried on the next pass)
   * @param resumeAfter where the next run starts; empty when this run reached the end
   */
  public record Report(
      long checked, List<Repair> repairs, List<String> failures, Optional<String> resumeAfter) {

    public Map<Kind, Long> repairedByKind() {
      Map<Kind, Long> counts = new EnumMap<>(Kind.class);
      for (Kind kind : Kind.values()) {
        counts.put(kind, 0L);
      }
      repairs.forEach(r -> counts.merge(r.kind(), 1L, Long::sum));
      return counts;
    }

    public boolean complete() {
      return resumeAfter.isEmpty();
    }
  }

  /** Runs from the saved checkpoint and saves the next one. */
  public Report runFromCheckpoint(Budget budget) {
    Report report = run(rows.checkpoint(objects.bucket()), budget);
    rows.saveCheckpoint(objects.bucket(), report.resumeAfter(), clock.instant());
    return report;
  }

  /** Compares and repairs the keys after {@code after} (all keys if empty) within the budget. */
  public Report run(Optional<String> after, Budget budget) {
    List<Repair> repairs = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    ObjectCursor objectCursor = new ObjectCursor(after);
    RowCursor rowCursor = new RowCursor(after);
    Optional<String> lastDone = after;
    long checked = 0;
    while (objectCursor.peek() != null || rowCursor.peek() != null) {
      if (checked >= budget.maxKeys() || !clock.instant().isBefore(budget.deadline())) {
        return new Report(checked, repairs, failures, lastDone);
      }
      Listed object = objectCursor.peek();
      Row row = rowCursor.peek();
      int order = object == null ? 1 : row == null ? -1 : compareUtf8(object.key(), row.key());
      String key = order <= 0 ? object.key() : row.key();
      try {
        reconcile(order <= 0 ? object : null, order >= 0 ? row : null)
            .ifPresent(kind -> repairs.add(new Repair(kind, key)));
      } catch (RuntimeException e) {
        failures.add(key);
      }
      if (order <= 0) {
        objectCursor.next();
      }
      if (order >= 0) {
        rowCursor.next();
      }
      checked++;
      lastDone = Optional.of(key);
    }
    for (IncomingObjects.Upload upload :
        listing.uploadsStartedBefore(clock.instant().minus(abandonedUploadAge))) {
      try {
        listing.abort(upload);
        repairs.add(new Repair(Kind.ABANDONED_UPLOAD, upload.key()));
      } catch (RuntimeException e) {
        failures.add(upload.key());
      }
    }
    return new Report(checked, repairs, failures, Optional.empty());
  }

  /** One key: the object as listed and/or its row; what was repaired, if anything. */
  private Optional<Kind> reconcile(Listed object, Row row) {
    if (object != null && !ObjectKeys.isValid(object.key())) {
      return Optional.empty(); // sync ignores such keys too; nobody can list them
    }
    if (object != null && row == null) {
      return head(object.key())
          .filter(info -> rows.createLive(item(object, info), owner(object), info.etag()))
          .map(info -> Kind.MISSING_ROW);
    }
    if (object != null && !row.live()) {
      return head(object.key())
          .filter(info -> rows.replaceWithLive(item(object, info), owner(object), info.etag(), row))
          .map(info -> Kind.HIDDEN_OBJECT);
    }
    if (object != null) {
      if (object.size() == row.size() && object.etag().equals(row.etag()) && row.complete()) {
        return Optional.empty();
      }
      return head(object.key())
          .filter(info -> rows.replaceWithLive(item(object, info), owner(object), info.etag(), row))
          .map(info -> Kind.STALE_ROW);
    }
    if (row.live() && head(row.key()).isEmpty()) {
      Instant now = clock.instant();
      boolean written =
          rows.replaceWithTombstone(
              objects.bucket(),
              row,
              Timestamps.format(now),
              now.plus(MetadataSyncService.TOMBSTONE_LIFETIME));
      return written ? Optional.of(Kind.ORPHAN_ROW) : Optional.empty();
    }
    return Optional.empty();
  }

  private Optional<ObjectInfo> head(String key) {
    return objects.head(key);
  }

  private FileItem item(Listed object, ObjectInfo info) {
    return new FileItem(
        objects.bucket(),
        object.key(),
        MetadataSyncService.displayName(info, object.key()),
        info.size(),
        info.contentType(),
        Timestamps.format(object.lastModified()));
  }

  private static Optional<String> owner(Listed object) {
    return ObjectKeys.owner(object.key());
  }

  /** UTF-8 byte order, which is code point order (String.compareTo compares UTF-16 units). */
  static int compareUtf8(String a, String b) {
    return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
  }

  /** The bucket's objects in order, a page at a time. */
  private final class ObjectCursor {
    private final Deque<Listed> buffered = new ArrayDeque<>();
    private Optional<String> after;
    private boolean more = true;

    ObjectCursor(Optional<String> after) {
      this.after = after;
    }

    Listed peek() {
      while (buffered.isEmpty() && more) {
        IncomingObjects.Page page = listing.list(after, PAGE);
        buffered.addAll(page.objects());
        more = page.truncated() && !page.objects().isEmpty();
        if (!page.objects().isEmpty()) {
          after = Optional.of(page.objects().get(page.objects().size() - 1).key());
        }
      }
      return buffered.peekFirst();
    }

    void next() {
      buffered.pollFirst();
    }
  }

  /** The table's rows under the prefix in order, a page at a time. */
  private final class RowCursor {
    private final Deque<Row> buffered = new ArrayDeque<>();
    private Optional<String> after;
    private boolean more = true;

    RowCursor(Optional<String> after) {
      this.after = after;
    }

    Row peek() {
      // A page may be empty and still not the last (DynamoDB stops at its size limit).
      while (buffered.isEmpty() && more) {
        MetadataRepairs.RowPage page = rows.rows(objects.bucket(), ObjectKeys.PREFIX, after, PAGE);
        buffered.addAll(page.rows());
        more = page.lastKey().isPresent();
        after = page.lastKey();
      }
      return buffered.peekFirst();
    }

    void next() {
      buffered.pollFirst();
    }
  }
}
