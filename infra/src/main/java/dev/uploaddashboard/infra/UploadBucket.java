package dev.uploaddashboard.infra;

import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CfnBucket;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The private bucket the browser uploads files into (presigned PUT) and previews them from
 * (presigned GET). Only keys under {@link #INCOMING_PREFIX} are ever written.
 *
 * <p>Versioning is deliberately never enabled (the bucket stays "unversioned", so the template has
 * no {@code VersioningConfiguration} at all): the delete route relies on a plain DeleteObject
 * removing the file for good. In a versioned (or version-suspended) bucket it would only add a
 * delete marker and the bytes would stay, out of sight of the dashboard.
 *
 * <p>S3 server access logs of the bucket go to a dedicated private log bucket, so every presigned
 * PUT and GET (who, when, which key, from where) can be audited; the logs expire with the
 * environment's log retention. S3 log delivery writes them through a bucket policy rather than the
 * LogDeliveryWrite ACL (which would need ACLs enabled on the log bucket): cdk.json sets the feature
 * flag {@code @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy}.
 */
public final class UploadBucket extends Construct {

  /** Logical ID pinned so that refactoring the construct tree never replaces the bucket. */
  public static final String LOGICAL_ID = "UploadBucket";

  public static final String INCOMING_PREFIX = "incoming/";

  /**
   * Incomplete multipart uploads are aborted this many days after they start: an upload the browser
   * abandoned (tab closed, never resumed) leaves no parts behind for long. A resume must happen
   * within this window.
   */
  public static final int ABORT_INCOMPLETE_UPLOADS_DAYS = 1;

  /**
   * Request headers browsers may send: those the presigned PUT binds (contract, POST /uploads), the
   * CRC32C every part URL (and a single PUT that asked for it) binds, and Range, which the
   * dashboard's text preview uses to read only the start of a file.
   */
  public static final List<String> CORS_ALLOWED_HEADERS =
      List.of(
          "Content-Type",
          "x-amz-meta-file-name",
          "If-None-Match",
          "x-amz-checksum-crc32c",
          "Range");

  public static final String ACCESS_LOG_PREFIX = "upload-bucket/";

  /**
   * Requests over older TLS are denied by the bucket policies ({@code s3:TlsVersion}), beside the
   * denial of plain HTTP; S3 itself negotiates TLS 1.2 or 1.3 with current clients.
   */
  public static final double MINIMUM_TLS_VERSION = 1.2;

  /**
   * @param corsOrigins browser origins allowed to PUT and GET objects: the dashboard's and extras
   * @param removalPolicy DESTROY also empties the bucket on stack deletion (auto-delete objects)
   * @param accessLogDays how long server access logs are kept
   * @param accessLogRemovalPolicy what a stack deletion does to the access log bucket (DESTROY
   *     empties it first)
   */
  public record Props(
      List<String> corsOrigins,
      RemovalPolicy removalPolicy,
      int accessLogDays,
      RemovalPolicy accessLogRemovalPolicy) {
    public Props {
      corsOrigins = List.copyOf(corsOrigins);
      Objects.requireNonNull(removalPolicy, "removalPolicy");
      Objects.requireNonNull(accessLogRemovalPolicy, "accessLogRemovalPolicy");
      if (accessLogDays < 1) {
        throw new IllegalArgumentException("accessLogDays must be positive, got " + accessLogDays);
      }
      if (corsOrigins.isEmpty() || corsOrigins.contains("*")) {
        throw new IllegalArgumentException("Upload bucket CORS needs explicit origins, never '*'");
      }
    }
  }

  private final Bucket bucket;
  private final Bucket accessLogs;

  public UploadBucket(Construct scope, String id, Props props) {
    super(scope, id);
    boolean destroy = props.removalPolicy() == RemovalPolicy.DESTROY;
    accessLogs =
        Bucket.Builder.create(this, "AccessLogs")
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            .minimumTlsVersion(MINIMUM_TLS_VERSION)
            // S3 log delivery writes only to SSE-S3 (not SSE-KMS) targets.
            .encryption(BucketEncryption.S3_MANAGED)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("ExpireAccessLogs")
                        .expiration(Duration.days(props.accessLogDays()))
                        .build()))
            .removalPolicy(props.accessLogRemovalPolicy())
            .autoDeleteObjects(props.accessLogRemovalPolicy() == RemovalPolicy.DESTROY)
            .build();
    bucket =
        Bucket.Builder.create(this, "Bucket")
            .versioned(false)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            .minimumTlsVersion(MINIMUM_TLS_VERSION)
            .encryption(BucketEncryption.S3_MANAGED)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
            .serverAccessLogsBucket(accessLogs)
            .serverAccessLogsPrefix(ACCESS_LOG_PREFIX)
            .cors(
                List.of(
                    CorsRule.builder()
                        .allowedOrigins(props.corsOrigins())
                        .allowedMethods(List.of(HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD))
                        .allowedHeaders(CORS_ALLOWED_HEADERS)
                        .exposedHeaders(List.of("ETag"))
                        .maxAge(3000)
                        .build()))
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("AbortIncompleteMultipartUploads")
                        .abortIncompleteMultipartUploadAfter(
                            Duration.days(ABORT_INCOMPLETE_UPLOADS_DAYS))
                        .build()))
            .removalPolicy(props.removalPolicy())
            .autoDeleteObjects(destroy)
            .build();
    ((CfnBucket) bucket.getNode().getDefaultChild()).overrideLogicalId(LOGICAL_ID);
  }

  public Bucket bucket() {
    return bucket;
  }

  /** Where S3 writes the upload bucket's server access logs (under {@value #ACCESS_LOG_PREFIX}). */
  public Bucket accessLogs() {
    return accessLogs;
  }

  /** ARN of every object the dashboard manages: {@code <bucket arn>/incoming/*}. */
  public String incomingObjectsArn() {
    return bucket.arnForObjects(INCOMING_PREFIX + "*");
  }
}
