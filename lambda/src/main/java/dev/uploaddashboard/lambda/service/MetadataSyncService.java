package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.model.FileItem;
import dev.uploaddashboard.lambda.store.FileMetadataStore;
import dev.uploaddashboard.lambda.store.ObjectInfo;
import dev.uploaddashboard.lambda.store.ObjectStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies S3 object events to the metadata table. Writes are conditional on the event's sequencer,
 * so duplicates and late, older events change nothing, and a removal leaves a tombstone that an
 * older "created" event cannot overwrite. A live row records its owner, taken from the key ({@code
 * incoming/<owner>/...}), so the owner's list can find it.
 */
public final class MetadataSyncService {
  public static final Duration TOMBSTONE_LIFETIME = Duration.ofDays(7);

  private final FileMetadataStore metadata;
  private final ObjectStore objects;
  private final Clock clock;

  public MetadataSyncService(FileMetadataStore metadata, ObjectStore objects, Clock clock) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One S3 event record as delivered: the key is still URL-encoded (form encoding). */
  public record ObjectEvent(
      String eventName, String bucket, String encodedKey, String sequencer, String eventTime) {}

  /** What became of a record. */
  public enum Result {
    /** A live row was written. */
    CREATED,
    /** A tombstone was written. */
    REMOVED,
    /** The table already holds this or a newer event for the key. */
    STALE,
    /** Created, but the object is already gone: a later removal owns the key. */
    OBJECT_GONE,
    /**
     * Removed, but the object exists (again): a later creation owns the key, and a tombstone would
     * hide a file that is in the bucket.
     */
    OBJECT_EXISTS,
    /** Not ours: another bucket, outside the prefix, or an event type we do not handle. */
    IGNORED,
    /** Could not be applied; the invocation must fail so the event is retried. */
    FAILED
  }

  public record Outcome(
      ObjectEvent event, String key, Result result, String detail, Exception failure) {
    static Outcome of(ObjectEvent event, String key, Result result, String detail) {
      return new Outcome(event, key, result, detail, null);
    }
  }

  /** Applies every record, even after a failure, so one bad record does not block the others. */
  public List<Outcome> apply(List<ObjectEvent> events) {
    List<Outcome> outcomes = new ArrayList<>(events.size());
    for (ObjectEvent event : events) {
      outcomes.add(applyOne(event));
    }
    return outcomes;
  }

  private Outcome applyOne(ObjectEvent event) {
    String key = event.encodedKey();
    try {
      if (!objects.bucket().equals(event.bucket())) {
        return Outcome.of(event, key, Result.IGNORED, "event for another bucket");
      }
      if (key == null) {
        throw new IllegalArgumentException("record has no object key");
      }
      key = URLDecoder.decode(key, StandardCharsets.UTF_8);
      if (!key.startsWith(ObjectKeys.PREFIX)) {
        return Outcome.of(event, key, Result.IGNORED, "key outside " + ObjectKeys.PREFIX);
      }
      if (!ObjectKeys.isValid(key)) {
        return Outcome.of(event, key, Result.IGNORED, "key breaks the key rules");
      }
      String name = event.eventName() == null ? "" : event.eventName().replaceFirst("^s3:", "");
      if (name.startsWith("ObjectCreated:")) {
        return created(event, key);
      }
      if (name.startsWith("ObjectRemoved:")) {
        return removed(event, key);
      }
      return Outcome.of(event, key, Result.IGNORED, "unhandled event type");
    } catch (RuntimeException e) {
      return new Outcome(event, key, Result.FAILED, e.getClass().getSimpleName(), e);
    }
  }

  private Outcome created(ObjectEvent event, String key) {
    String sequencer = Sequencers.normalize(event.sequencer());
    Instant time = Instant.parse(event.eventTime());
    Optional<ObjectInfo> head = objects.head(key);
    if (head.isEmpty()) {
      return Outcome.of(event, key, Result.OBJECT_GONE, "object no longer exists");
    }
    ObjectInfo info = head.get();
    FileItem item =
        new FileItem(
            objects.bucket(),
            key,
            displayName(info, key),
            info.size(),
            info.contentType(),
            Timestamps.format(time),
            info.checksumCrc32c().orElse(null));
    boolean written = metadata.putLive(item, ObjectKeys.owner(key), info.etag(), sequencer);
    return Outcome.of(event, key, written ? Result.CREATED : Result.STALE, sequencer);
  }

  private Outcome removed(ObjectEvent event, String key) {
    String sequencer = Sequencers.normalize(event.sequencer());
    Instant time = Instant.parse(event.eventTime());
    // Whatever the sequencers say, S3 is the truth: a removal event for an object that exists
    // (re-uploaded since, or an event that is not S3's) must not hide it. The re-upload's own
    // "created" event writes its row.
    if (objects.head(key).isPresent()) {
      return Outcome.of(event, key, Result.OBJECT_EXISTS, "object exists");
    }
    Instant expiresAt = clock.instant().plus(TOMBSTONE_LIFETIME);
    boolean written =
        metadata.putTombstone(objects.bucket(), key, sequencer, Timestamps.format(time), expiresAt);
    return Outcome.of(event, key, written ? Result.REMOVED : Result.STALE, sequencer);
  }

  /**
   * The uploader's original name from metadata if usable, else the key's last segment. Metadata can
   * be written by anyone who can write to the bucket, and keys can hold any character: a name with
   * format characters is not used, and a key's are shown as U+FFFD (see {@link DisplayNames}).
   */
  static String displayName(ObjectInfo info, String key) {
    String encoded = info.metadata().get(UploadService.FILE_NAME_METADATA);
    if (encoded != null) {
      Optional<String> decoded = PercentEncoding.decode(encoded);
      if (decoded.isPresent()
          && !decoded.get().isBlank()
          && decoded.get().chars().noneMatch(Character::isISOControl)
          && !DisplayNames.hasFormatCharacters(decoded.get())) {
        return decoded.get();
      }
    }
    String last = key.substring(key.lastIndexOf('/') + 1);
    return DisplayNames.withFormatCharactersReplaced(last.isEmpty() ? key : last);
  }
}
