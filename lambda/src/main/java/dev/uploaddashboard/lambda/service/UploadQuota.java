package dev.uploaddashboard.lambda.service;

import dev.uploaddashboard.lambda.store.UploadQuotaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How many upload tickets one user may get per hour. Every ticket can create one object, one S3
 * event and one sync invocation, none of which the API's throttle sees; this bounds them per user.
 * Fixed one-hour windows (UTC hours): simple, and at most twice the limit across a window edge.
 */
public final class UploadQuota {
  public static final Duration WINDOW = Duration.ofHours(1);

  /** Counter rows outlive their window a little, then DynamoDB TTL removes them. */
  static final Duration KEEP_COUNTERS = Duration.ofDays(1);

  private final UploadQuotaStore store;
  private final int uploadsPerHour;
  private final Clock clock;

  public UploadQuota(UploadQuotaStore store, int uploadsPerHour, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    if (uploadsPerHour < 1) {
      throw new IllegalArgumentException("uploadsPerHour must be positive");
    }
    this.uploadsPerHour = uploadsPerHour;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public int uploadsPerHour() {
    return uploadsPerHour;
  }

  /** Takes one upload from the caller's quota, or refuses the request with 429. */
  public void take(Caller caller) {
    Instant now = clock.instant();
    long windowSeconds = WINDOW.toSeconds();
    Instant windowStart =
        Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), windowSeconds) * windowSeconds);
    Instant windowEnd = windowStart.plus(WINDOW);
    if (!store.tryCount(
        caller.userId(), windowStart, uploadsPerHour, windowEnd.plus(KEEP_COUNTERS))) {
      throw new RequestRejectedException(
          RequestRejectedException.Reason.RATE_LIMITED,
          "rate_limited",
          "Upload limit reached: at most "
              + uploadsPerHour
              + " uploads per hour. Try again after "
              + Timestamps.format(windowEnd)
              + ".");
    }
  }
}
