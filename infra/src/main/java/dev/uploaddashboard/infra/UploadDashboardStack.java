package dev.uploaddashboard.infra;

import dev.uploaddashboard.contract.DashboardPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * One deployment of the dashboard: user directory (sign-in), upload bucket, metadata table, file
 * API, metadata sync and the CloudFront-hosted web page, wired together for one {@link
 * EnvironmentConfig}.
 */
public final class UploadDashboardStack extends Stack {

  /** Stack tag naming the environment (tag key). */
  public static final String ENVIRONMENT_TAG = "upload-dashboard:environment";

  /**
   * @param config the environment (name, data retention, CORS extras, logs, throttling, account)
   * @param packages the functions' deployment packages (lambda/target/functions)
   * @param webDir path of the static dashboard (web/)
   */
  public record Props(EnvironmentConfig config, FunctionPackages packages, String webDir) {
    public Props {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(packages, "packages");
      Objects.requireNonNull(webDir, "webDir");
    }
  }

  public UploadDashboardStack(Construct scope, String id, Props props) {
    super(scope, id, stackProps(props.config()));
    EnvironmentConfig config = props.config();

    UserDirectory users =
        new UserDirectory(
            this,
            "Users",
            new UserDirectory.Props(
                config.signInDomainPrefix(getAccount()), config.retainData(), config.requireMfa()));
    String hostedUi = users.hostedUiUrl();

    // Two policies, both enforced by the browser. The header policy (the outer bound, and the only
    // place for frame-ancestors) cannot name the API id or the upload bucket: both already depend
    // on the distribution (their CORS allows its domain), so naming them in the distribution's
    // headers policy would be a dependency cycle. It allows those services in this stack's region
    // instead; S3 hosts in both the regional and the legacy global form. The hosted UI does not
    // depend on the distribution, so it is named exactly. The exact policy is a meta element in the
    // generated index.html (DashboardSite), which names this API and this bucket.
    String regionalSuffix = "." + getRegion() + "." + getUrlSuffix();
    String apiOrigins = "https://*.execute-api" + regionalSuffix;
    String s3Regional = "https://*.s3" + regionalSuffix;
    String s3Global = "https://*.s3." + getUrlSuffix();
    DashboardHosting hosting =
        new DashboardHosting(
            this,
            "Dashboard",
            new DashboardHosting.Props(
                List.of(apiOrigins, s3Regional, s3Global, hostedUi),
                List.of(s3Regional, s3Global),
                List.of(hostedUi)));

    List<String> browserOrigins = new ArrayList<>();
    browserOrigins.add(hosting.origin());
    browserOrigins.addAll(config.extraCorsOrigins());
    UserPoolClient client = users.addDashboardClient("DashboardClient", browserOrigins);

    UploadBucket uploads =
        new UploadBucket(
            this,
            "Uploads",
            new UploadBucket.Props(
                browserOrigins,
                config.dataRemovalPolicy(),
                config.logRetentionDays(),
                config.logRemovalPolicy()));
    MetadataTable metadata =
        new MetadataTable(
            this,
            "Metadata",
            new MetadataTable.Props(
                config.retainData(), config.dataRemovalPolicy(), config.listingIndexes()));

    UploadQuotaTable quota = new UploadQuotaTable(this, "UploadQuota");

    FunctionPackages packages = props.packages();
    FileFunctions functions =
        new FileFunctions(
            this,
            "Functions",
            new FileFunctions.Props(
                packages,
                uploads,
                metadata,
                config.logs(),
                quota,
                config.limits().uploadsPerUserPerHour(),
                config.limits().apiReservedConcurrency(),
                config.limits().maxUploadBytes()));
    FileApi api =
        new FileApi(
            this,
            "Api",
            new FileApi.Props(
                functions,
                users.userPool(),
                client,
                browserOrigins,
                config.apiThrottle(),
                config.logs()));
    AdminMfaGuard mfaGuard = null;
    if (!config.requireMfa()) {
      mfaGuard =
          new AdminMfaGuard(
              this,
              "AdminMfaGuard",
              new AdminMfaGuard.Props(packages, users.userPool(), config.logs()));
    }
    MetadataSync sync =
        new MetadataSync(
            this,
            "Sync",
            new MetadataSync.Props(
                packages,
                uploads,
                metadata,
                config.logs(),
                config.limits().syncReservedConcurrency()));

    Reconciler reconciler =
        new Reconciler(
            this,
            "Reconciler",
            new Reconciler.Props(
                packages, uploads, metadata, config.logs(), config.reconcileSchedule()));

    Map<String, Function> watched = new LinkedHashMap<>();
    watched.put("Delete", functions.deleteFile().function());
    watched.put("List", functions.listFiles().function());
    watched.put("Detail", functions.fileDetail().function());
    watched.put("Upload", functions.createUpload().function());
    watched.put("Sync", sync.function().function());
    watched.put("Reconcile", reconciler.function().function());
    if (mfaGuard != null) {
      watched.put("MfaGuard", mfaGuard.function());
    }
    // Ordered maps: the dashboard lists metrics in this order (synth stays deterministic).
    Map<String, Table> tables = new LinkedHashMap<>();
    tables.put("Metadata", metadata.table());
    tables.put("UploadQuota", quota.table());
    Monitoring monitoring =
        new Monitoring(
            this,
            "Monitoring",
            new Monitoring.Props(
                config.name(),
                config.stackName(),
                config.alarmEmail(),
                watched,
                api.api(),
                sync.failedEvents(),
                uploads.bucket().getBucketName(),
                tables));

    String apiUrl = api.api().getApiEndpoint();
    // The Lambdas' S3Presigner signs virtual-hosted URLs: https://<bucket>.s3.<region>.<suffix>,
    // except in us-east-1, where the SDK uses the global https://<bucket>.s3.amazonaws.com.
    List<String> uploadOrigins =
        List.of(
            "https://" + uploads.bucket().getBucketRegionalDomainName(),
            "https://" + uploads.bucket().getBucketDomainName());
    new DashboardSite(
        this,
        "Site",
        new DashboardSite.Props(
            hosting,
            props.webDir(),
            apiUrl,
            uploadOrigins,
            new DashboardPage.SignIn(hostedUi, client.getUserPoolClientId(), UserDirectory.SCOPES),
            config.limits().maxUploadBytes(),
            config.logs()));

    output("DashboardUrl", hosting.origin(), "Open this in a browser");
    output("ApiUrl", apiUrl, "Base URL of the file API (also in the dashboard's config.json)");
    output("UploadBucketName", uploads.bucket().getBucketName(), "Bucket that holds the files");
    output("MetadataTableName", metadata.table().getTableName(), "DynamoDB file metadata table");
    output(
        "FailedSyncEventsQueueUrl",
        sync.failedEvents().getQueueUrl(),
        "S3 events the sync function could not apply after retries");
    output(
        "FailedSyncEventsReplayMapping",
        sync.replay().getEventSourceMappingId(),
        "Event source mapping (disabled) that replays the failed S3 events into the sync function");
    output(
        "AlarmTopicArn",
        monitoring.topic().getTopicArn(),
        "Alarms notify this SNS topic (cdk.json alarmEmail subscribes an address)");
    output(
        "MonitoringDashboard",
        monitoring.dashboard().getDashboardName(),
        "CloudWatch dashboard of the alarms' metrics");
    output("UserPoolId", users.userPool().getUserPoolId(), "Create users and add admins here");
    output("UserPoolClientId", client.getUserPoolClientId(), "The dashboard's public app client");
    output("AuthDomain", hostedUi, "Hosted UI (sign-in) base URL, of config.json's auth URLs");
  }

  private void output(String id, String value, String description) {
    CfnOutput.Builder.create(this, id).value(value).description(description).build();
  }

  private static StackProps stackProps(EnvironmentConfig config) {
    StackProps.Builder builder =
        StackProps.builder()
            .stackName(config.stackName())
            .description("Upload dashboard (" + config.name() + ")")
            // Stack tags: CloudFormation applies them to every resource that supports tags.
            .tags(Map.of(ENVIRONMENT_TAG, config.name()))
            // Environments whose data is retained cannot be deleted by a stray `cdk destroy`.
            .terminationProtection(config.retainData());
    if (config.account().isPresent() || config.region().isPresent()) {
      builder.env(
          Environment.builder()
              .account(config.account().orElse(null))
              .region(config.region().orElse(null))
              .build());
    }
    return builder.build();
  }
}
