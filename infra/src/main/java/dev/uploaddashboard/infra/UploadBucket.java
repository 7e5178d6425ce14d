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
 */
public final class UploadBucket extends Construct {

  /** Logical ID pinned so that refactoring the construct tree never replaces the bucket. */
  public static final String LOGICAL_ID = "UploadBucket";

  public static final String INCOMING_PREFIX = "incoming/";

  /**
   * Request headers browsers may send: the two the presigned PUT binds (contract, POST /uploads)
   * and Range, which the dashboard's text preview uses to read only the start of a file.
   */
  public static final List<String> CORS_ALLOWED_HEADERS =
      List.of("Content-Type", "x-amz-meta-file-name", "Range");

  /**
   * @param corsOrigins browser origins allowed to PUT and GET objects: the dashboard's and extras
   * @param removalPolicy DESTROY also empties the bucket on stack deletion (auto-delete objects)
   */
  public record Props(List<String> corsOrigins, RemovalPolicy removalPolicy) {
    public Props {
      corsOrigins = List.copyOf(corsOrigins);
      Objects.requireNonNull(removalPolicy, "removalPolicy");
      if (corsOrigins.isEmpty() || corsOrigins.contains("*")) {
        throw new IllegalArgumentException("Upload bucket CORS needs explicit origins, never '*'");
      }
    }
  }

  private final Bucket bucket;

  public UploadBucket(Construct scope, String id, Props props) {
    super(scope, id);
    boolean destroy = props.removalPolicy() == RemovalPolicy.DESTROY;
    bucket =
        Bucket.Builder.create(this, "Bucket")
            .versioned(false)
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            .encryption(BucketEncryption.S3_MANAGED)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
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
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
            .removalPolicy(props.removalPolicy())
            .autoDeleteObjects(destroy)
            .build();
    ((CfnBucket) bucket.getNode().getDefaultChild()).overrideLogicalId(LOGICAL_ID);
  }

  public Bucket bucket() {
    return bucket;
  }

  /** ARN of every object the dashboard manages: {@code <bucket arn>/incoming/*}. */
  public String incomingObjectsArn() {
    return bucket.arnForObjects(INCOMING_PREFIX + "*");
  }
}
