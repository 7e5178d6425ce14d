package dev.uploaddashboard.lambda.config;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/** Typed access to a handler's environment; a missing or malformed setting fails the cold start. */
public final class Settings {
  private final Function<String, String> env;

  public Settings(Function<String, String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  public String required(String name) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("Missing required environment variable " + name);
    }
    return value.trim();
  }

  /** A setting that may be absent, trimmed; empty when absent or blank. */
  public java.util.Optional<String> optional(String name) {
    String value = env.apply(name);
    return value == null || value.isBlank()
        ? java.util.Optional.empty()
        : java.util.Optional.of(value.trim());
  }

  public long positiveLong(String name, long defaultValue) {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the variable name
    }
    throw new IllegalStateException(
        "Environment variable " + name + " must be a positive integer, got '" + value + "'");
  }

  public Duration seconds(String name, long defaultSeconds) {
    return Duration.ofSeconds(positiveLong(name, defaultSeconds));
  }

  public Function<String, String> lookup() {
    return env;
  }

  public static final String TABLE_NAME = "TABLE_NAME";

  /** The list orders this deployment's table has indexes for (default: all). */
  public static final String SORT_ORDERS = "SORT_ORDERS";

  public static final String UPLOAD_BUCKET = "UPLOAD_BUCKET";
  public static final String DOWNLOAD_URL_TTL_SECONDS = "DOWNLOAD_URL_TTL_SECONDS";
  public static final String UPLOAD_URL_TTL_SECONDS = "UPLOAD_URL_TTL_SECONDS";
  public static final String MAX_UPLOAD_BYTES = "MAX_UPLOAD_BYTES";

  /** The largest file this deployment accepts, through a multipart upload (default 5 GiB). */
  public static final String MAX_MULTIPART_UPLOAD_BYTES = "MAX_MULTIPART_UPLOAD_BYTES";

  /** How long a presigned part URL of a multipart upload may wait before its PUT starts. */
  public static final String PART_URL_TTL_SECONDS = "PART_URL_TTL_SECONDS";

  public static final String UPLOAD_QUOTA_TABLE = "UPLOAD_QUOTA_TABLE";
  public static final String UPLOADS_PER_USER_PER_HOUR = "UPLOADS_PER_USER_PER_HOUR";
  public static final String RECONCILE_MAX_KEYS = "RECONCILE_MAX_KEYS";
  public static final String ABANDONED_UPLOAD_HOURS = "ABANDONED_UPLOAD_HOURS";

  public static final long DEFAULT_URL_TTL_SECONDS = 300;

  /**
   * S3 checks a presigned URL's expiry when the request starts, not when the body has arrived, so
   * an upload URL only has to outlive the step from "ticket issued" to "PUT started".
   */
  public static final long DEFAULT_UPLOAD_URL_TTL_SECONDS = 60;

  public static final long DEFAULT_MAX_UPLOAD_BYTES = 104_857_600L;
  public static final long DEFAULT_UPLOADS_PER_USER_PER_HOUR = 200;

  public static final long DEFAULT_MAX_MULTIPART_UPLOAD_BYTES = 5L * 1024 * 1024 * 1024;

  /**
   * The browser asks for part URLs a few parts ahead; a quarter of an hour covers a slow part ahead
   * of it, and it asks again for any URL older than that (S3 checks expiry at the start).
   */
  public static final long DEFAULT_PART_URL_TTL_SECONDS = 900;
}
