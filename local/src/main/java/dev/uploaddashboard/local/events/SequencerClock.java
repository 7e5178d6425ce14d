package dev.uploaddashboard.local.events;

import java.util.Locale;

/**
 * Hands out S3-style event sequencers: hex strings that only grow.
 *
 * <p>They are based on the wall clock in microseconds, so they keep growing across restarts of
 * local mode (the sync's tombstones compare sequencers, and a restarted counter would make new
 * events look old).
 */
public final class SequencerClock {

  private long last;

  public synchronized String next() {
    long now = System.currentTimeMillis() * 1000L;
    last = Math.max(last + 1, now);
    return String.format(Locale.ROOT, "%018X", last);
  }
}
