package dev.uploaddashboard.contract;

import java.util.List;

/**
 * The product's functions: what each runs, serves, reads, and may take (docs/CONTRACT.md,
 * "Functions"). infra deploys exactly these, local mode runs exactly these, and the lambda module's
 * handlers are these classes.
 */
public final class Functions {
  private Functions() {}

  private static final String HANDLERS = "dev.uploaddashboard.lambda.handler.";

  /**
   * Every function's memory. Lambda gives CPU in proportion (1,769 MB is one full vCPU), and a Java
   * cold start is CPU-bound: 1,024 MB keeps it short without paying for an idle second core.
   */
  public static final int MEMORY_MB = 1024;

  /** API Gateway gives up after 30 s; a Java cold start plus one S3 and one DynamoDB call fit. */
  public static final int API_TIMEOUT_SECONDS = 15;

  /**
   * The upload function's: completing a multipart upload of gigabytes can take S3 longer than an
   * ordinary API call (and local mode's s3proxy, which copies the parts into one file, about 21 s
   * for 5 GiB). API Gateway's HTTP API gives up on an integration after 30 s, so an API call cannot
   * usefully run longer than 29 s.
   */
  public static final int UPLOAD_TIMEOUT_SECONDS = 29;

  public static final FunctionSpec DELETE_FILE =
      new FunctionSpec(
          "DeleteFile",
          "delete-file",
          "delete",
          HANDLERS + "DeleteFileHandler",
          "DELETE /metadata: removes a file from S3, then its metadata row",
          List.of("DELETE /metadata"),
          List.of(Env.TABLE_NAME, Env.UPLOAD_BUCKET),
          API_TIMEOUT_SECONDS,
          MEMORY_MB);

  public static final FunctionSpec LIST_FILES =
      new FunctionSpec(
          "ListFiles",
          "list-files",
          "list",
          HANDLERS + "ListFilesHandler",
          "GET /metadata: lists and searches files",
          List.of("GET /metadata"),
          List.of(Env.TABLE_NAME, Env.UPLOAD_BUCKET, Env.SORT_ORDERS),
          API_TIMEOUT_SECONDS,
          MEMORY_MB);

  public static final FunctionSpec FILE_DETAIL =
      new FunctionSpec(
          "FileDetail",
          "file-detail",
          "detail",
          HANDLERS + "FileDetailHandler",
          "GET /metadata/file: one file's metadata and a presigned download URL",
          List.of("GET /metadata/file"),
          List.of(Env.TABLE_NAME, Env.UPLOAD_BUCKET, Env.DOWNLOAD_URL_TTL_SECONDS),
          API_TIMEOUT_SECONDS,
          MEMORY_MB);

  /** The single PUT and every multipart call: one function, one integration. */
  public static final FunctionSpec CREATE_UPLOAD =
      new FunctionSpec(
          "CreateUpload",
          "create-upload",
          "upload",
          HANDLERS + "CreateUploadHandler",
          "POST /uploads and /uploads/multipart: presigned PUT URLs under incoming/",
          List.of(
              "POST /uploads",
              "POST /uploads/multipart",
              "DELETE /uploads/multipart",
              "POST /uploads/multipart/parts",
              "GET /uploads/multipart/parts",
              "POST /uploads/multipart/complete"),
          List.of(
              Env.UPLOAD_BUCKET,
              Env.UPLOAD_URL_TTL_SECONDS,
              Env.PART_URL_TTL_SECONDS,
              Env.MAX_UPLOAD_BYTES,
              Env.MAX_MULTIPART_UPLOAD_BYTES,
              Env.UPLOAD_QUOTA_TABLE,
              Env.UPLOADS_PER_USER_PER_HOUR),
          UPLOAD_TIMEOUT_SECONDS,
          MEMORY_MB);

  /** S3 events under {@code incoming/}; a batch of records, so more time than an API call. */
  public static final FunctionSpec METADATA_SYNC =
      new FunctionSpec(
          "Sync",
          "metadata-sync",
          "sync",
          HANDLERS + "MetadataSyncHandler",
          "S3 events under incoming/ -> metadata rows and tombstones",
          List.of(),
          List.of(Env.TABLE_NAME, Env.UPLOAD_BUCKET),
          30,
          MEMORY_MB);

  /** Walks up to {@code RECONCILE_MAX_KEYS} keys per run, then resumes from its checkpoint. */
  public static final FunctionSpec RECONCILE =
      new FunctionSpec(
          "Reconcile",
          "reconcile",
          "reconcile",
          HANDLERS + "ReconcileHandler",
          "Repairs drift between the bucket's incoming/ and the metadata table",
          List.of(),
          List.of(
              Env.TABLE_NAME,
              Env.UPLOAD_BUCKET,
              Env.RECONCILE_MAX_KEYS,
              Env.ABANDONED_UPLOAD_HOURS),
          300,
          MEMORY_MB);

  /** Cognito waits at most 5 s for a trigger. */
  public static final FunctionSpec ADMIN_MFA_GUARD =
      new FunctionSpec(
          "Trigger",
          "mfa-guard",
          "mfa-guard",
          HANDLERS + "AdminMfaGuardHandler",
          "Cognito pre token generation: admins only with MFA",
          List.of(),
          List.of(),
          5,
          MEMORY_MB);

  /** The functions behind the HTTP API, in the order of their routes in docs/CONTRACT.md. */
  public static final List<FunctionSpec> API =
      List.of(LIST_FILES, FILE_DETAIL, DELETE_FILE, CREATE_UPLOAD);

  /** Every function. */
  public static final List<FunctionSpec> ALL =
      List.of(
          DELETE_FILE,
          LIST_FILES,
          FILE_DETAIL,
          CREATE_UPLOAD,
          METADATA_SYNC,
          ADMIN_MFA_GUARD,
          RECONCILE);

  /** The HTTP API's CORS answer (API Gateway's preflight): the methods of the routes. */
  public static final List<String> CORS_METHODS = List.of("GET", "POST", "DELETE");

  /** Request headers the dashboard sends cross-origin (HTTP header names ignore case). */
  public static final List<String> CORS_HEADERS = List.of("Content-Type", "Authorization");

  /** How long browsers may cache a preflight answer. */
  public static final int CORS_MAX_AGE_SECONDS = 3600;

  /** The prefix of every uploaded object; the sync function is notified for it only. */
  public static final String UPLOAD_PREFIX = "incoming/";

  /** The largest single-PUT upload ({@code POST /uploads}); bigger files go in parts. */
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 104_857_600L;

  /** S3 checks expiry when a PUT starts: a minute covers "ticket issued" to "upload started". */
  public static final int UPLOAD_URL_TTL_SECONDS = 60;

  /** A download URL is used once, right after the details panel asks for it. */
  public static final int DOWNLOAD_URL_TTL_SECONDS = 300;

  /** The largest file, through a multipart upload, unless a deployment says otherwise: 5 GiB. */
  public static final long DEFAULT_MAX_MULTIPART_UPLOAD_BYTES = 5L * 1024 * 1024 * 1024;

  /**
   * The browser asks for part URLs a few parts ahead; a quarter of an hour covers a slow part ahead
   * of it, and it asks again for any URL older than that (S3 checks expiry at the start).
   */
  public static final int PART_URL_TTL_SECONDS = 900;

  /** Uploads one user may start per hour, unless a deployment says otherwise. */
  public static final int DEFAULT_UPLOADS_PER_USER_PER_HOUR = 200;
}
