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
   *     presigned PUT and the text preview's presigned GET)
   * @param imageSources origins of images besides the page's own (the upload bucket: previews)
   */
  public record Props(List<String> connectSources, List<String> imageSources) {
    public Props {
      connectSources = List.copyOf(connectSources);
      imageSources = List.copyOf(imageSources);
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
  }

  /**
   * Everything from the dashboard's own origin (scripts and styles are files: no inline code, no
   * data: URLs); fetches also to the API and the upload bucket; images also from the upload bucket;
   * no plugins, no framing, no foreign form targets.
   */
  static String contentSecurityPolicy(Props props) {
    List<String> directives = new ArrayList<>();
    directives.add("default-src 'self'");
    directives.add(sources("connect-src", List.of("'self'"), props.connectSources()));
    directives.add(sources("img-src", List.of("'self'"), props.imageSources()));
    directives.add("object-src 'none'");
    directives.add("base-uri 'self'");
    directives.add("form-action 'self'");
    directives.add("frame-ancestors 'none'");
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
