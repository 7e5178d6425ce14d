package dev.uploaddashboard.lambda.service;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * S3 event sequencers in a form DynamoDB string comparison orders correctly. S3's documented rule
 * (S3 User Guide, "Event message structure"): sequencers can be of different lengths; to compare
 * them, first <em>right</em>-pad the shorter value with zeros, then compare lexicographically. So a
 * sequencer is stored upper-case (S3 sends upper-case hex; lexicographic order of mixed case would
 * not be hex order) and right-padded with '0' to a fixed width, after which plain string comparison
 * is S3's comparison. A sequencer longer than the width is refused: S3's are 16 to 20 digits, so a
 * longer one is not S3's and the record fails (and ends in the on-failure queue) instead of being
 * applied.
 */
public final class Sequencers {
  public static final int WIDTH = 32;
  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{1," + WIDTH + "}");

  private Sequencers() {}

  public static String normalize(String sequencer) {
    if (sequencer == null || sequencer.length() > WIDTH || !HEX.matcher(sequencer).matches()) {
      throw new IllegalArgumentException(
          "sequencer is not 1 to " + WIDTH + " hex digits: " + abbreviate(sequencer));
    }
    return sequencer.toUpperCase(Locale.ROOT) + "0".repeat(WIDTH - sequencer.length());
  }

  /** Keeps an absurd value out of log lines and exception messages. */
  private static String abbreviate(String sequencer) {
    if (sequencer == null) {
      return "null";
    }
    return sequencer.length() <= 40
        ? sequencer
        : sequencer.substring(0, 40) + "... (" + sequencer.length() + " characters)";
  }
}
