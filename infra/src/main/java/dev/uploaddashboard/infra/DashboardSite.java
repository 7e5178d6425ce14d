package dev.uploaddashboard.infra;

import static dev.uploaddashboard.contract.DashboardPage.CONFIG_FILE;
import static dev.uploaddashboard.contract.DashboardPage.INDEX_FILE;

import dev.uploaddashboard.contract.DashboardPage;
import dev.uploaddashboard.contract.DashboardPage.SignIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.IgnoreMode;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
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
 * {"apiUrl": "https://...", "auth": {"clientId": "...", "scopes": ["openid", "email", "profile"],
 *  "authorizeUrl": "https://&lt;prefix&gt;.auth.&lt;region&gt;.amazoncognito.com/oauth2/authorize",
 *  "tokenUrl": ".../oauth2/token", "revokeUrl": ".../oauth2/revoke", "logoutUrl": ".../logout"},
 *  "maxUploadBytes": ...}
 * </pre>
 *
 * <p>{@code index.html} is generated too: {@code web/index.html} with a {@code <meta
 * http-equiv="Content-Security-Policy">} that names the exact API, upload bucket and hosted UI
 * origins, filled in at deploy time. The distribution's header policy can only name those by
 * regional wildcard (see {@link UploadDashboardStack}); browsers enforce both policies, so the page
 * gets the exact one.
 */
public final class DashboardSite extends Construct {

  /**
   * @param hosting where the files go
   * @param webDir directory with the static dashboard
   * @param apiUrl base URL of the HTTP API (an origin: no path), written to config.json as {@code
   *     apiUrl}
   * @param uploadOrigins the origins of the upload bucket that presigned URLs use
   * @param signIn written to config.json as {@code auth}
   * @param maxUploadBytes the largest file an upload may create (multipart), written to config.json
   * @param logs retention and removal of the log groups
   */
  public record Props(
      DashboardHosting hosting,
      String webDir,
      String apiUrl,
      List<String> uploadOrigins,
      SignIn signIn,
      long maxUploadBytes,
      LogPolicy logs) {
    public Props {
      Objects.requireNonNull(hosting, "hosting");
      Objects.requireNonNull(webDir, "webDir");
      Objects.requireNonNull(apiUrl, "apiUrl");
      uploadOrigins = List.copyOf(uploadOrigins);
      Objects.requireNonNull(signIn, "signIn");
      Objects.requireNonNull(logs, "logs");
    }
  }

  public DashboardSite(Construct scope, String id, Props props) {
    super(scope, id);
    LogGroup logs = props.logs().logGroup(this, "DeploymentLogs");
    BucketDeployment files =
        BucketDeployment.Builder.create(this, "Files")
            .sources(
                List.of(
                    // Exactly one index.html is deployed: the generated one.
                    Source.asset(
                        props.webDir(),
                        AssetOptions.builder()
                            .ignoreMode(IgnoreMode.GIT) // "/index.html": the top-level one only
                            .exclude(List.of("/" + INDEX_FILE))
                            .build()),
                    Source.data(INDEX_FILE, indexPage(props)),
                    Source.jsonData(
                        CONFIG_FILE,
                        DashboardPage.config(
                            props.apiUrl(), props.signIn(), props.maxUploadBytes()))))
            .destinationBucket(props.hosting().bucket())
            // Plain file names (no content hashes): browsers revalidate with the ETag on every
            // load.
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
    Stack stack = Stack.of(hosting);
    String webBucketArn = "<" + stack.getLogicalId(webBucket) + ".Arn>";
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
        "Resource::"
            + nagValue(stack.getPartition(), "arn:<AWS::Partition>", "arn:")
            + ":s3:::cdk-hnb659fds-assets-"
            + nagValue(stack.getAccount(), "<AWS::AccountId>", "")
            + "-"
            + nagValue(stack.getRegion(), "<AWS::Region>", "")
            + "/*",
        "Resource::" + webBucketArn + "/*",
        "Resource::*");
  }

  /**
   * A value as cdk-nag writes it in a finding: the token's name for a stack that is
   * environment-agnostic, the literal for one whose account and region are pinned.
   */
  private static String nagValue(String value, String token, String prefix) {
    return Token.isUnresolved(value) ? token : prefix + value;
  }

  private static String indexPage(Props props) {
    Path index = Path.of(props.webDir(), INDEX_FILE);
    String html;
    try {
      html = Files.readString(index, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the dashboard page " + index, e);
    }
    String policy =
        DashboardPage.pagePolicy(props.apiUrl(), props.uploadOrigins(), props.signIn().authority());
    try {
      return DashboardPage.withPagePolicy(html, policy);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(index + ": " + e.getMessage(), e);
    }
  }
}
