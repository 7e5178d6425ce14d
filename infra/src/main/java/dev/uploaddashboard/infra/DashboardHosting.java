package dev.uploaddashboard.infra;

import java.util.ArrayList;
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
   * The page opens no windows and is opened by none it must talk to (sign-in is a redirect), so it
   * keeps its browsing context group to itself: no other page gets a handle on its window.
   */
  public static final String CROSS_ORIGIN_OPENER_POLICY = "same-origin";

  /** Powerful browser features the dashboard never uses, switched off for it and any frame. */
  public static final String PERMISSIONS_POLICY =
      String.join(
          ", ",
          "accelerometer=()",
          "autoplay=()",
          "browsing-topics=()",
          "camera=()",
          "display-capture=()",
          "geolocation=()",
          "gyroscope=()",
          "magnetometer=()",
          "microphone=()",
          "midi=()",
          "payment=()",
          "publickey-credentials-get=()",
          "screen-wake-lock=()",
          "serial=()",
          "usb=()",
          "xr-spatial-tracking=()");

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
                                .value(CROSS_ORIGIN_OPENER_POLICY)
                                .override(true)
                                .build(),
                            ResponseCustomHeader.builder()
                                .header("Permissions-Policy")
                                .value(PERMISSIONS_POLICY)
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
   * Everything from the dashboard's own origin (scripts and styles are files: no inline code, no
   * data: URLs); fetches also to the API, the upload bucket and the sign-in token endpoint; images
   * also from the upload bucket; forms only to the page itself and the hosted UI; no plugins, no
   * framing, no {@code <base>}. Trusted Types are required for every DOM script sink and no policy
   * may be created: the dashboard builds its DOM with {@code textContent} and elements, never from
   * HTML strings, so any string reaching {@code innerHTML} and the like is refused by the browser.
   */
  /** The CSP directives that turn on Trusted Types with no policy allowed. */
  public static final String TRUSTED_TYPES =
      "require-trusted-types-for 'script'; trusted-types 'none'";

  static String contentSecurityPolicy(Props props) {
    List<String> directives = new ArrayList<>();
    directives.add("default-src 'self'");
    directives.add(sources("connect-src", List.of("'self'"), props.connectSources()));
    directives.add(sources("img-src", List.of("'self'"), props.imageSources()));
    directives.add("object-src 'none'");
    directives.add("base-uri 'none'");
    directives.add(sources("form-action", List.of("'self'"), props.formActionSources()));
    directives.add("frame-ancestors 'none'");
    directives.add(TRUSTED_TYPES);
    return String.join("; ", directives);
  }

  private static String sources(String directive, List<String> fixed, List<String> extra) {
    List<String> all = new ArrayList<>(fixed);
    all.addAll(extra);
    return directive + " " + String.join(" ", all);
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
