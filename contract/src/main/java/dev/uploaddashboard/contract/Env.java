package dev.uploaddashboard.contract;

/**
 * The environment variables the functions read (docs/CONTRACT.md, "Functions"). {@link Functions}
 * says which function gets which; infra sets them, local mode passes them, the handlers read them.
 */
public final class Env {
  private Env() {}

  /** The metadata table's name. */
  public static final String TABLE_NAME = "TABLE_NAME";

  /** The upload bucket's name. */
  public static final String UPLOAD_BUCKET = "UPLOAD_BUCKET";

  /** The list orders this deployment's table has indexes for, e.g. {@code uploaded,name,size}. */
  public static final String SORT_ORDERS = "SORT_ORDERS";

  /** Lifetime of a presigned download URL, in seconds. */
  public static final String DOWNLOAD_URL_TTL_SECONDS = "DOWNLOAD_URL_TTL_SECONDS";

  /** Lifetime of a presigned upload URL, in seconds. */
  public static final String UPLOAD_URL_TTL_SECONDS = "UPLOAD_URL_TTL_SECONDS";

  /** The largest upload accepted, in bytes. */
  public static final String MAX_UPLOAD_BYTES = "MAX_UPLOAD_BYTES";

  /** The largest file this deployment accepts, through a multipart upload. */
  public static final String MAX_MULTIPART_UPLOAD_BYTES = "MAX_MULTIPART_UPLOAD_BYTES";

  /** How long a presigned part URL of a multipart upload may wait before its PUT starts. */
  public static final String PART_URL_TTL_SECONDS = "PART_URL_TTL_SECONDS";

  /** The upload quota table's name. */
  public static final String UPLOAD_QUOTA_TABLE = "UPLOAD_QUOTA_TABLE";

  /** Uploads one user may start per hour. */
  public static final String UPLOADS_PER_USER_PER_HOUR = "UPLOADS_PER_USER_PER_HOUR";

  /** Keys one reconciler run checks at most. */
  public static final String RECONCILE_MAX_KEYS = "RECONCILE_MAX_KEYS";

  /** Age after which the reconciler aborts an incomplete multipart upload, in hours. */
  public static final String ABANDONED_UPLOAD_HOURS = "ABANDONED_UPLOAD_HOURS";
}
