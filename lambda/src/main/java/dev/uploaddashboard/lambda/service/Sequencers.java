package dev.uploaddashboard.lambda.service;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * S3 event sequencers in a form DynamoDB string comparison orders correctly: upper-case hex,
 * left-padded with '0' to 32 digits (S3's rule is "pad the shorter one, then compare").
 */
public final class Sequencers {
  public static final int WIDTH = 32;
  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{1," + WIDTH + "}");

  private Sequencers() {}

  public static String normalize(String sequencer) {
    if (sequencer == null || !HEX.matcher(sequencer).matches()) {
      throw new IllegalArgumentException("sequencer is not 1 to 32 hex digits: " + sequencer);
    }
    return "0".repeat(WIDTH - sequencer.length()) + sequencer.toUpperCase(Locale.ROOT);
  }
}
