package dev.uploaddashboard.infra;

import dev.uploaddashboard.contract.Env;
import dev.uploaddashboard.contract.FunctionSpec;
import dev.uploaddashboard.contract.Functions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * The four functions behind the HTTP API, each with exactly the permissions the contract lists
 * (docs/CONTRACT.md, "IAM"). Statements are written out rather than granted: the grants are wider
 * (e.g. {@code grantDelete} is {@code s3:DeleteObject*}, {@code grantReadData} adds Scan and
 * BatchGetItem).
 */
public final class FileFunctions extends Construct {

  /** The largest single-PUT upload (POST /uploads); bigger files go in parts. */
  public static final long MAX_SINGLE_PUT_BYTES = Functions.DEFAULT_MAX_UPLOAD_BYTES;

  /**
   * @param packages the functions' deployment packages
   * @param uploads the upload bucket
   * @param metadata the metadata table
   * @param logs retention and removal of the log groups
   * @param quota the upload counters
   * @param uploadsPerUserPerHour the upload quota per user and hour
   * @param reservedConcurrency concurrent executions reserved for (and capping) each function
   * @param maxUploadBytes the largest file an upload may create (multipart; default 5 GiB)
   */
  public record Props(
      FunctionPackages packages,
      UploadBucket uploads,
      MetadataTable metadata,
      LogPolicy logs,
      UploadQuotaTable quota,
      int uploadsPerUserPerHour,
      int reservedConcurrency,
      long maxUploadBytes) {
    public Props(
        FunctionPackages packages,
        UploadBucket uploads,
        MetadataTable metadata,
        LogPolicy logs,
        UploadQuotaTable quota,
        int uploadsPerUserPerHour,
        int reservedConcurrency) {
      this(
          packages,
          uploads,
          metadata,
          logs,
          quota,
          uploadsPerUserPerHour,
          reservedConcurrency,
          EnvironmentConfig.DEFAULT_MAX_UPLOAD_BYTES);
    }

    public Props {
      if (maxUploadBytes < 1) {
        throw new IllegalArgumentException("maxUploadBytes must be positive");
      }
      Objects.requireNonNull(packages, "packages");
      Objects.requireNonNull(uploads, "uploads");
      Objects.requireNonNull(metadata, "metadata");
      Objects.requireNonNull(logs, "logs");
      Objects.requireNonNull(quota, "quota");
      if (uploadsPerUserPerHour < 1 || reservedConcurrency < 1) {
        throw new IllegalArgumentException("quota and concurrency must be positive");
      }
    }
  }

  private final JavaFunction deleteFile;
  private final JavaFunction listFiles;
  private final JavaFunction fileDetail;
  private final JavaFunction createUpload;

  public FileFunctions(Construct scope, String id, Props props) {
    super(scope, id);
    String bucketName = props.uploads().bucket().getBucketName();
    String tableName = props.metadata().table().getTableName();
    String tableArn = props.metadata().table().getTableArn();

    deleteFile =
        function(
            Functions.DELETE_FILE,
            Map.of(Env.TABLE_NAME, tableName, Env.UPLOAD_BUCKET, bucketName),
            props);
    allowOnIncoming(deleteFile.function(), "s3:DeleteObject", props.uploads());
    allow(deleteFile.function(), "dynamodb:DeleteItem", tableArn);

    listFiles =
        function(
            Functions.LIST_FILES,
            Map.of(
                Env.TABLE_NAME,
                tableName,
                Env.UPLOAD_BUCKET,
                bucketName,
                Env.SORT_ORDERS,
                props.metadata().sortOrders()),
            props);
    // Admins list the whole bucket, everyone else their own files, in three orders
    // (docs/CONTRACT.md): the listing indexes the table has (normally six), not the table.
    allow(
        listFiles.function(),
        "dynamodb:Query",
        props.metadata().listingIndexArns().toArray(String[]::new));

    fileDetail =
        function(
            Functions.FILE_DETAIL,
            Map.of(
                Env.TABLE_NAME, tableName,
                Env.UPLOAD_BUCKET, bucketName,
                Env.DOWNLOAD_URL_TTL_SECONDS, Integer.toString(Functions.DOWNLOAD_URL_TTL_SECONDS)),
            props);
    allow(fileDetail.function(), "dynamodb:GetItem", tableArn);
    allowOnIncoming(fileDetail.function(), "s3:GetObject", props.uploads());

    createUpload =
        function(
            Functions.CREATE_UPLOAD,
            Map.of(
                Env.UPLOAD_BUCKET, bucketName,
                Env.UPLOAD_URL_TTL_SECONDS, Integer.toString(Functions.UPLOAD_URL_TTL_SECONDS),
                Env.PART_URL_TTL_SECONDS, Integer.toString(Functions.PART_URL_TTL_SECONDS),
                Env.MAX_UPLOAD_BYTES,
                    Long.toString(Math.min(MAX_SINGLE_PUT_BYTES, props.maxUploadBytes())),
                Env.MAX_MULTIPART_UPLOAD_BYTES, Long.toString(props.maxUploadBytes()),
                Env.UPLOAD_QUOTA_TABLE, props.quota().table().getTableName(),
                Env.UPLOADS_PER_USER_PER_HOUR, Integer.toString(props.uploadsPerUserPerHour())),
            props);
    // PutObject covers CreateMultipartUpload, UploadPart and CompleteMultipartUpload; aborting and
    // listing the parts of an upload (to resume it) are actions of their own.
    allowOnIncoming(
        createUpload.function(),
        props.uploads(),
        "s3:PutObject",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts");
    allow(createUpload.function(), "dynamodb:UpdateItem", props.quota().table().getTableArn());
  }

  private JavaFunction function(FunctionSpec spec, Map<String, String> env, Props props) {
    JavaFunction function =
        new JavaFunction(
            this,
            spec.id(),
            new JavaFunction.Props(spec, props.packages().code(spec), env, props.logs()));
    JavaFunction.reserveConcurrency(function.function(), props.reservedConcurrency());
    return function;
  }

  static void allow(Function function, String action, String... resources) {
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(List.of(action))
            .resources(List.of(resources))
            .build());
  }

  /**
   * One object action on {@code <upload bucket>/incoming/*}: keys are chosen per upload ({@code
   * incoming/<sub>/<uuid>/<name>}), so the prefix is the narrowest resource IAM can name; which
   * user may touch which key is checked by the services (docs/CONTRACT.md).
   */
  static void allowOnIncoming(Function function, String action, UploadBucket uploads) {
    allowOnIncoming(function, uploads, action);
  }

  /**
   * {@link #allowOnIncoming(Function, String, UploadBucket)} for several actions, one statement.
   */
  static void allowOnIncoming(Function function, UploadBucket uploads, String... actions) {
    function.addToRolePolicy(
        PolicyStatement.Builder.create()
            .effect(Effect.ALLOW)
            .actions(List.of(actions))
            .resources(List.of(uploads.incomingObjectsArn()))
            .build());
    ReviewedFindings.accept(
        function.getRole().getNode().findChild("DefaultPolicy"),
        "AwsSolutions-IAM5",
        "Object keys are created per upload under incoming/, so the object wildcard below that"
            + " prefix is the narrowest resource; ownership of a key (incoming/<sub>/...) is"
            + " checked in the service before any S3 call.",
        "Resource::<" + UploadBucket.LOGICAL_ID + ".Arn>/" + UploadBucket.INCOMING_PREFIX + "*");
  }

  /** The functions behind the HTTP API, in the contract's order ({@code Functions.API}). */
  public List<JavaFunction> api() {
    List<JavaFunction> api = List.of(listFiles, fileDetail, deleteFile, createUpload);
    if (!api.stream().map(JavaFunction::spec).toList().equals(Functions.API)) {
      throw new IllegalStateException("the API functions are not the contract's");
    }
    return api;
  }

  public JavaFunction deleteFile() {
    return deleteFile;
  }

  public JavaFunction listFiles() {
    return listFiles;
  }

  public JavaFunction fileDetail() {
    return fileDetail;
  }

  public JavaFunction createUpload() {
    return createUpload;
  }
}
