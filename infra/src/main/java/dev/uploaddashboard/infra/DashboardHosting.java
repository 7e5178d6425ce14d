package dev.uploaddashboard.infra;

import dev.uploaddashboard.contract.DashboardPage;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudfront.AllowedMethods;
import software.amazon.awscdk.services.cloudfront.BehaviorOptions;
import software.amazon.awscdk.services.cloudfront.CachePolicy;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.cloudfront.HeadersFrameOption;
import software.amazon.awscdk.services.cloudfront.HeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.HttpVersion;
import software.amazon.awscdk.services.cloudfront.PriceClass;
import software.amazon.awscdk.services.cloudfront.ResponseCustomHeader;
import software.amazon.awscdk.services.cloudfront.ResponseCustomHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentSecurityPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersContentTypeOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersFrameOptions;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersReferrerPolicy;
import software.amazon.awscdk.services.cloudfront.ResponseHeadersStrictTransportSecurity;
import software.amazon.awscdk.services.cloudfront.ResponseSecurityHeadersBehavior;
import software.amazon.awscdk.services.cloudfront.ViewerProtocolPolicy;
import software.amazon.awscdk.services.cloudfront.origins.S3BucketOrigin;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * Serves the static dashboard: a private bucket read by CloudFront through origin access control,
 * HTTPS only, with security headers on every response.
 *
 * <p>The web bucket only holds files that are rebuilt from {@code web/} on every deploy, so it is
 * emptied and removed with the stack in every environment.
 */
public final class DashboardHosting extends Construct {

  public static final Duration HSTS_MAX_AGE = Duration.days(730);

  /**
   * Sources for the Content-Security-Policy besides {@code 'self'}.
   *
   * @param connectSources origins the page may fetch from (the API; the upload bucket for the
   *     presigned PUT and the text preview's presigned GET; the hosted UI's token endpoint)
   * @param imageSources origins of images besides the page's own (the upload bucket: previews)
   * @param formActionSources form targets besides the page's own (the hosted UI)
   */
  public record Props(
      List<String> connectSources, List<String> imageSources, List<String> formActionSources) {
    public Props {
      connectSources = List.copyOf(connectSources);
      imageSources = List.copyOf(imageSources);
      formActionSources = List.copyOf(formActionSources);
    }
  }

  private final Bucket bucket;
  private final Distribution distribution;

  public DashboardHosting(Construct scope, String id, Props props) {
    super(scope, id);
    Objects.requireNonNull(props, "props");
    bucket =
        Bucket.Builder.create(this, "WebBucket")
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            .minimumTlsVersion(UploadBucket.MINIMUM_TLS_VERSION)
            .encryption(BucketEncryption.S3_MANAGED)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
            .removalPolicy(RemovalPolicy.DESTROY)
            .autoDeleteObjects(true)
            .build();

    ResponseHeadersPolicy securityHeaders =
        ResponseHeadersPolicy.Builder.create(this, "SecurityHeaders")
            .comment("Upload dashboard security headers")
            .securityHeadersBehavior(
                ResponseSecurityHeadersBehavior.builder()
                    .contentSecurityPolicy(
                        ResponseHeadersContentSecurityPolicy.builder()
                            .contentSecurityPolicy(contentSecurityPolicy(props))
                            .override(true)
                            .build())
                    .strictTransportSecurity(
                        ResponseHeadersStrictTransportSecurity.builder()
                            .accessControlMaxAge(HSTS_MAX_AGE)
                            .includeSubdomains(true)
                            .override(true)
                            .build())
                    .contentTypeOptions(
                        ResponseHeadersContentTypeOptions.builder().override(true).build())
                    .frameOptions(
                        ResponseHeadersFrameOptions.builder()
                            .frameOption(HeadersFrameOption.DENY)
                            .override(true)
                            .build())
                    .referrerPolicy(
                        ResponseHeadersReferrerPolicy.builder()
                            .referrerPolicy(HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN)
                            .override(true)
                            .build())
                    .build())
            .customHeadersBehavior(
                ResponseCustomHeadersBehavior.builder()
                    .customHeaders(
                        List.of(
                            ResponseCustomHeader.builder()
                                .header("Cross-Origin-Opener-Policy")
                                .value(DashboardPage.CROSS_ORIGIN_OPENER_POLICY)
                                .override(true)
                                .build(),
                            ResponseCustomHeader.builder()
                                .header("Permissions-Policy")
                                .value(DashboardPage.PERMISSIONS_POLICY)
                                .override(true)
                                .build()))
                    .build())
            .build();

    distribution =
        Distribution.Builder.create(this, "Distribution")
            .comment("Upload dashboard " + Stack.of(this).getStackName())
            .defaultRootObject("index.html")
            .httpVersion(HttpVersion.HTTP2_AND_3)
            .priceClass(PriceClass.PRICE_CLASS_100)
            .defaultBehavior(
                BehaviorOptions.builder()
                    .origin(S3BucketOrigin.withOriginAccessControl(bucket))
                    .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                    .allowedMethods(AllowedMethods.ALLOW_GET_HEAD)
                    .cachePolicy(CachePolicy.CACHING_OPTIMIZED)
                    .compress(true)
                    .responseHeadersPolicy(securityHeaders)
                    .build())
            .build();

    ReviewedFindings.accept(
        bucket,
        "AwsSolutions-S1",
        "Holds only the published static dashboard files, rebuilt on every deploy. The bucket is"
            + " private, read only by CloudFront through origin access control and written only by"
            + " the deployment, so server access logs would record nothing but those two.");
    ReviewedFindings.accept(
        distribution,
        "AwsSolutions-CFR1",
        "Who may sign in is decided by the user pool, not by country; geo restriction is a"
            + " per-deployment choice (CloudFront geo restriction) for teams that want it.");
    ReviewedFindings.accept(
        distribution,
        "AwsSolutions-CFR2",
        "The distribution serves only static dashboard files. Data goes through the API (JWT on"
            + " every route, stage throttling) and presigned S3 URLs, neither behind CloudFront. A"
            + " WAF web ACL costs a monthly fee plus per-request charges: a deployment choice.");
    ReviewedFindings.accept(
        distribution,
        "AwsSolutions-CFR3",
        "Standard logs would need an ACL-enabled log bucket or paid log deliveries, for requests"
            + " of static files only. Every data access is logged: API Gateway access logs and S3"
            + " server access logs of the upload bucket.");
    ReviewedFindings.accept(
        distribution,
        "AwsSolutions-CFR4",
        "The distribution uses the default *.cloudfront.net certificate, for which CloudFront"
            + " fixes the minimum protocol; browsers negotiate TLS 1.2 or 1.3. A custom domain with"
            + " an ACM certificate and TLSv1.2_2021 is a deployment choice outside this template.");
  }

  /**
   * The header policy (the contract's): fetches, images and forms also to the sources given;
   * Trusted Types are required for every DOM script sink and no policy may be created: the
   * dashboard builds its DOM with {@code textContent} and elements, never from HTML strings.
   */
  static String contentSecurityPolicy(Props props) {
    return DashboardPage.headerPolicy(
        props.connectSources(), props.imageSources(), props.formActionSources());
  }

  public Bucket bucket() {
    return bucket;
  }

  public Distribution distribution() {
    return distribution;
  }

  /** The dashboard's browser origin, {@code https://<distribution domain>}. */
  public String origin() {
    return "https://" + distribution.getDistributionDomainName();
  }
}
