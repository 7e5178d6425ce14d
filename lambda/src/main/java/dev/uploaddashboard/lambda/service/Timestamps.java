package dev.uploaddashboard.lambda.service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Fixed-width UTC timestamps, so string order in DynamoDB is time order. */
public final class Timestamps {
  private static final DateTimeFormatter FIXED_WIDTH =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  public static String format(Instant instant) {
    return FIXED_WIDTH.format(instant);
  }

  public static boolean isFixedWidth(String value) {
    if (value == null || value.length() != 24) {
      return false;
    }
    try {
      return format(Instant.parse(value)).equals(value);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
