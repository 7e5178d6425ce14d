package dev.uploaddashboard.infra;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.CacheControl;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;

/**
 * Publishes the dashboard's files: everything in {@code web/} plus a generated {@code config.json}
 * that tells the page where the API is, then invalidates the CloudFront cache.
 */
public final class DashboardSite extends Construct {

  public static final String CONFIG_FILE = "config.json";

  /**
   * @param hosting where the files go
   * @param webDir directory with the static dashboard
   * @param apiUrl base URL of the HTTP API, written to config.json as {@code apiUrl}
   * @param logRetention retention of the deployment function's log group
   * @param logRemovalPolicy what a stack deletion does to that log group
   */
  public record Props(
      DashboardHosting hosting,
      String webDir,
      String apiUrl,
      RetentionDays logRetention,
      RemovalPolicy logRemovalPolicy) {
    public Props {
      Objects.requireNonNull(hosting, "hosting");
      Objects.requireNonNull(webDir, "webDir");
      Objects.requireNonNull(apiUrl, "apiUrl");
      Objects.requireNonNull(logRetention, "logRetention");
      Objects.requireNonNull(logRemovalPolicy, "logRemovalPolicy");
    }
  }

  public DashboardSite(Construct scope, String id, Props props) {
    super(scope, id);
    LogGroup logs =
        LogGroup.Builder.create(this, "DeploymentLogs")
            .retention(props.logRetention())
            .removalPolicy(props.logRemovalPolicy())
            .build();
    BucketDeployment.Builder.create(this, "Files")
        .sources(
            List.of(
                Source.asset(props.webDir()),
                Source.jsonData(CONFIG_FILE, Map.of("apiUrl", props.apiUrl()))))
        .destinationBucket(props.hosting().bucket())
        // Plain file names (no content hashes): browsers revalidate with the ETag on every load.
        .cacheControl(List.of(CacheControl.noCache()))
        .distribution(props.hosting().distribution())
        .distributionPaths(List.of("/*"))
        .logGroup(logs)
        .build();
  }
}
