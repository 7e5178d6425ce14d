package dev.uploaddashboard.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.CacheControl;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Publishes the dashboard's files: everything in {@code web/} plus a generated {@code config.json}
 * that tells the page where the API is and how to sign in, then invalidates the CloudFront cache:
 *
 * <pre>
 * {"apiUrl": "https://...", "auth": {"authority": "https://&lt;prefix&gt;.auth.&lt;region&gt;.amazoncognito.com",
 *  "clientId": "...", "scopes": ["openid", "email", "profile"]}}
 * </pre>
 */
public final class DashboardSite extends Construct {

  public static final String CONFIG_FILE = "config.json";

  /**
   * How the page signs users in, written to config.json as {@code auth}.
   *
   * @param authority the hosted UI base URL (its {@code /oauth2/authorize}, {@code /oauth2/token},
   *     {@code /logout} endpoints)
   * @param clientId the public app client
   * @param scopes OAuth scopes to request
   */
  public record SignIn(String authority, String clientId, List<String> scopes) {
    public SignIn {
      Objects.requireNonNull(authority, "authority");
      Objects.requireNonNull(clientId, "clientId");
      scopes = List.copyOf(scopes);
    }
  }

  /**
   * @param hosting where the files go
   * @param webDir directory with the static dashboard
   * @param apiUrl base URL of the HTTP API, written to config.json as {@code apiUrl}
   * @param signIn written to config.json as {@code auth}
   * @param logRetention retention of the deployment function's log group
   * @param logRemovalPolicy what a stack deletion does to that log group
   */
  public record Props(
      DashboardHosting hosting,
      String webDir,
      String apiUrl,
      SignIn signIn,
      RetentionDays logRetention,
      RemovalPolicy logRemovalPolicy) {
    public Props {
      Objects.requireNonNull(hosting, "hosting");
      Objects.requireNonNull(webDir, "webDir");
      Objects.requireNonNull(apiUrl, "apiUrl");
      Objects.requireNonNull(signIn, "signIn");
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
    BucketDeployment files =
        BucketDeployment.Builder.create(this, "Files")
            .sources(
                List.of(Source.asset(props.webDir()), Source.jsonData(CONFIG_FILE, config(props.apiUrl(), props.signIn()))))
            .destinationBucket(props.hosting().bucket())
            // Plain file names (no content hashes): browsers revalidate with the ETag on every load.
            .cacheControl(List.of(CacheControl.noCache()))
            .distribution(props.hosting().distribution())
            .distributionPaths(List.of("/*"))
            .logGroup(logs)
            .build();
    acceptDeploymentHandlerFindings(files, props.hosting());
  }

  /**
   * The deployment runs CDK's own BucketDeployment handler (one per stack), whose role, runtime and
   * permissions aws-cdk-lib chooses; the infra tests pin its exact IAM (IamTest).
   */
  private static void acceptDeploymentHandlerFindings(
      BucketDeployment files, DashboardHosting hosting) {
    IRole role = files.getHandlerRole();
    IConstruct handler = role.getNode().getScope();
    CfnElement webBucket = (CfnElement) hosting.bucket().getNode().getDefaultChild();
    String webBucketArn = "<" + Stack.of(hosting).getLogicalId(webBucket) + ".Arn>";
    ReviewedFindings.accept(
        handler,
        "AwsSolutions-L1",
        "CDK's BucketDeployment handler: aws-cdk-lib sets its runtime and moves it forward with"
            + " each release; it runs only during deployments.");
    ReviewedFindings.accept(
        role,
        "AwsSolutions-IAM4",
        "CDK's BucketDeployment handler role uses the managed basic execution policy for its own"
            + " logs; it runs only during deployments.",
        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
    ReviewedFindings.accept(
        role.getNode().findChild("DefaultPolicy"),
        "AwsSolutions-IAM5",
        "CDK's BucketDeployment grants: read the CDK asset bucket, sync all objects of the web"
            + " bucket (which holds only the published dashboard) and invalidate the distribution"
            + " (CloudFront invalidation actions support no resource narrower than *).",
        "Action::s3:GetObject*",
        "Action::s3:GetBucket*",
        "Action::s3:List*",
        "Action::s3:DeleteObject*",
        "Action::s3:Abort*",
        "Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*",
        "Resource::" + webBucketArn + "/*",
        "Resource::*");
  }

  /** The config.json document; insertion-ordered so that every synth writes the same bytes. */
  static Map<String, Object> config(String apiUrl, SignIn signIn) {
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("authority", signIn.authority());
    auth.put("clientId", signIn.clientId());
    auth.put("scopes", signIn.scopes());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("apiUrl", apiUrl);
    config.put("auth", auth);
    return config;
  }
}
