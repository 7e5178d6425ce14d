package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.FileMetadataStore.RowRemoval;
import dev.uploaddashboard.lambda.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;

/** Deletes a file from storage and from the metadata table, in an order that is safe to retry. */
public final class DeleteFileService {
  /** Tolerance between this function's clock and S3's event times. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

  private final FileMetadataStore metadata;
  private final ObjectStore objects;
  private final Clock clock;

  public DeleteFileService(FileMetadataStore metadata, ObjectStore objects) {
    this(metadata, objects, Clock.systemUTC());
  }

  DeleteFileService(FileMetadataStore metadata, ObjectStore objects, Clock clock) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The result of a delete: whether a live metadata row existed (the object is gone either way).
   */
  public record Outcome(String bucket, String objectKey, boolean metadataExisted) {}

  /**
   * Deletes the S3 object first, then the live row. If the row delete fails the object is already
   * gone and the row still lists it, so the caller sees an error and a repeat completes the job;
   * the reverse order could leave an object nobody can see or delete from the dashboard.
   *
   * <p>A key the caller may not touch is answered exactly like a missing file, without any call to
   * S3 or DynamoDB, so the answer tells nothing about other users' files.
   */
  public Outcome delete(Caller caller, String bucket, String key) {
    requireUploadBucket(bucket);
    ObjectKeys.requireValid(key);
    if (!caller.mayAccess(key)) {
      return new Outcome(bucket, key, false);
    }
    Instant started = clock.instant();
    objects.delete(key);
    return new Outcome(bucket, key, existedBefore(metadata.deleteLive(bucket, key), started));
  }

  private void requireUploadBucket(String bucket) {
    if (!objects.bucket().equals(bucket)) {
      throw RequestRejectedException.invalid(
          "bucket_mismatch", "Bucket does not match configured upload bucket");
    }
  }

  /** The most keys one batch may name. */
  public static final int MAX_BATCH_KEYS = ObjectStore.MAX_DELETE_KEYS;

  /** Tries per key for failures that pass (throttling, conflicts, S3 internal errors). */
  static final int ATTEMPTS = 4;

  /** S3's per-key DeleteObjects error codes that a repeat can cure. */
  private static final Set<String> PASSING_S3_ERRORS =
      Set.of("InternalError", "SlowDown", "ServiceUnavailable", "RequestTimeout");

  /** What happened to one key of a batch. */
  public enum Status {
    DELETED,
    NOT_FOUND,
    INVALID,
    FAILED
  }

  /** One key's result; {@code code} and {@code error} are set for invalid and failed keys. */
  public record KeyResult(String key, Status status, String code, String error) {}

  /**
   * Deletes up to {@value #MAX_BATCH_KEYS} files with the order and rules of {@link #delete}: the
   * objects first (DeleteObjects, one call for the batch), then the rows of the objects that are
   * gone (one conditional transaction per 100 rows). A key the caller may not touch is answered as
   * not found without any call; a key that breaks the key rules is invalid. Failures that pass are
   * retried with backoff; what still fails is reported as failed, never dropped: a failed object
   * keeps its row, and a failed row's object is gone already, so a repeat converges.
   *
   * @return one result per key, in the order of {@code keys}
   */
  public List<KeyResult> deleteAll(Caller caller, String bucket, List<String> keys) {
    requireUploadBucket(bucket);
    if (keys.isEmpty()) {
      throw RequestRejectedException.invalid(
          "invalid_field", "Field 'keys' must be a non-empty array of strings");
    }
    if (keys.size() > MAX_BATCH_KEYS) {
      throw RequestRejectedException.invalid(
          "too_many_keys", "Field 'keys' must hold at most " + MAX_BATCH_KEYS + " keys");
    }
    if (new HashSet<>(keys).size() != keys.size()) {
      throw RequestRejectedException.invalid(
          "duplicate_keys", "Field 'keys' must not name a key twice");
    }
    Instant started = clock.instant();
    Map<String, KeyResult> results = new LinkedHashMap<>();
    List<String> targets = new ArrayList<>();
    for (String key : keys) {
      String problem = ObjectKeys.problem(key);
      if (problem != null) {
        results.put(
            key,
            new KeyResult(key, Status.INVALID, "invalid_key", "Invalid object key: " + problem));
      } else if (!caller.mayAccess(key)) {
        results.put(key, notFound(key));
      } else {
        targets.add(key);
      }
    }
    if (!targets.isEmpty()) {
      deleteRows(bucket, deleteObjects(targets, results), started, results);
    }
    return keys.stream().map(results::get).toList();
  }

  /** Deletes the objects; returns the keys whose object is gone and records the others' failure. */
  private List<String> deleteObjects(List<String> keys, Map<String, KeyResult> results) {
    List<String> gone = new ArrayList<>();
    List<String> pending = keys;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      Map<String, String> errors;
      try {
        errors = objects.deleteAll(pending);
      } catch (SdkException e) {
        errors = new LinkedHashMap<>();
        for (String key : pending) {
          errors.put(key, "ServiceUnavailable");
        }
      }
      List<String> again = new ArrayList<>();
      for (String key : pending) {
        String error = errors.get(key);
        if (error == null) {
          gone.add(key);
        } else if (PASSING_S3_ERRORS.contains(error) && attempt < ATTEMPTS) {
          again.add(key);
        } else {
          results.put(
              key, failed(key, "storage_error", "Storage did not delete the file (" + error + ")"));
        }
      }
      pending = again;
      if (!pending.isEmpty()) {
        backOff(attempt);
      }
    }
    return gone;
  }

  /** Deletes the rows of objects that are gone, 100 keys per transaction. */
  private void deleteRows(
      String bucket, List<String> keys, Instant started, Map<String, KeyResult> results) {
    for (int from = 0; from < keys.size(); from += FileMetadataStore.MAX_BATCH_ROWS) {
      List<String> pending =
          keys.subList(from, Math.min(keys.size(), from + FileMetadataStore.MAX_BATCH_ROWS));
      int attempt = 1;
      while (!pending.isEmpty()) {
        FileMetadataStore.BatchRowRemoval removal;
        try {
          removal = metadata.deleteLiveRows(bucket, pending);
        } catch (SdkException e) {
          Map<String, String> all = new LinkedHashMap<>();
          pending.forEach(key -> all.put(key, "ServiceUnavailable"));
          removal = new FileMetadataStore.BatchRowRemoval(Map.of(), all);
        }
        removal
            .settled()
            .forEach(
                (key, row) ->
                    results.put(
                        key,
                        existedBefore(row, started)
                            ? new KeyResult(key, Status.DELETED, null, null)
                            : notFound(key)));
        // "None": cancelled only because another key settled; such keys go again at once.
        boolean settledSome = !removal.settled().isEmpty();
        List<String> again = new ArrayList<>();
        boolean passingFailure = false;
        for (Map.Entry<String, String> unsettled : removal.unsettled().entrySet()) {
          if (unsettled.getValue().equals("None") && settledSome) {
            again.add(unsettled.getKey());
          } else if (attempt < ATTEMPTS) {
            again.add(unsettled.getKey());
            passingFailure = true;
          } else {
            results.put(
                unsettled.getKey(),
                failed(
                    unsettled.getKey(),
                    "metadata_error",
                    "The file was deleted from storage but its listing was not removed ("
                        + unsettled.getValue()
                        + ")"));
          }
        }
        if (passingFailure) {
          backOff(attempt++);
        }
        pending = again;
      }
    }
  }

  private static KeyResult notFound(String key) {
    return new KeyResult(key, Status.NOT_FOUND, "not_found", "File not found");
  }

  private static KeyResult failed(String key, String code, String reason) {
    return new KeyResult(key, Status.FAILED, code, reason + "; try again");
  }

  /**
   * Exponential backoff with jitter (the jitter is read from the clock, so a snapshot cannot fix
   * it).
   */
  private static void backOff(int attempt) {
    long base = 50L << Math.min(attempt, 6);
    long jitter = Math.floorMod(System.nanoTime(), base);
    try {
      Thread.sleep(base + jitter);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off", e);
    }
  }

  /**
   * Whether the file was there when this request started. Sync may apply the S3 removal this
   * request caused before the request reaches the table: a tombstone that replaced a live row at or
   * after the start is this request's own delete, not an earlier one.
   */
  private static boolean existedBefore(RowRemoval removal, Instant started) {
    if (removal instanceof RowRemoval.Removed) {
      return true;
    }
    return removal instanceof RowRemoval.Tombstoned tombstone
        && tombstone.replacedLive()
        && !tombstone.deletedAt().isBefore(started.minus(CLOCK_SKEW));
  }
}
