package dev.uploaddashboard.lambda.store;

import java.net.URI;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds SDK clients from an environment lookup (Lambda's environment or local mode's map). A
 * handler calls it once, in its constructor, and keeps the clients for the life of the instance.
 *
 * <p>Region, credentials provider, HTTP client and retry mode are given explicitly. (Skipping
 * profile files inside Lambda and S3 checksums "when required" were tried too and left out: they
 * did not measure faster with bin/bench-coldstart.)
 */
public final class AwsClientFactory {
  private final Function<String, String> env;
  private final RequestPriming priming = new RequestPriming();

  public AwsClientFactory(Function<String, String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  /** Answers requests of this factory's clients without the network while priming (SnapStart). */
  public RequestPriming priming() {
    return priming;
  }

  public DynamoDbClient dynamoDb() {
    var builder = DynamoDbClient.builder().httpClientBuilder(httpClient());
    configure(builder, endpoint("AWS_ENDPOINT_URL_DYNAMODB"));
    return builder.build();
  }

  public S3Client s3() {
    var builder = S3Client.builder().httpClientBuilder(httpClient());
    URI endpoint = endpoint("AWS_ENDPOINT_URL_S3");
    configure(builder, endpoint);
    if (endpoint != null) {
      builder.forcePathStyle(true);
    }
    return builder.build();
  }

  public CognitoIdentityProviderClient cognitoIdentityProvider() {
    var builder = CognitoIdentityProviderClient.builder().httpClientBuilder(httpClient());
    configure(builder, endpoint("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"));
    return builder.build();
  }

  public S3Presigner s3Presigner() {
    var builder = S3Presigner.builder().credentialsProvider(credentials());
    Region region = region();
    if (region != null) {
      builder.region(region);
    }
    URI endpoint = endpoint("AWS_ENDPOINT_URL_S3");
    if (endpoint != null) {
      builder
          .endpointOverride(endpoint)
          .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
    }
    return builder.build();
  }

  /**
   * The JDK's HTTP client, answering priming requests itself ({@link PrimingHttpClient}), and
   * trusting Amazon Trust Services' roots only where {@link AwsTrustRoots#apply} says so.
   */
  private PrimingHttpClient.Builder httpClient() {
    var http = UrlConnectionHttpClient.builder();
    if (AwsTrustRoots.apply(value("AWS_REGION"), System.getProperty("javax.net.ssl.trustStore"))) {
      http.tlsTrustManagersProvider(AwsTrustRoots::trustManagers);
    }
    return new PrimingHttpClient.Builder(http);
  }

  private void configure(AwsClientBuilder<?, ?> builder, URI endpoint) {
    // STANDARD: 3 attempts. DynamoDB's legacy default makes up to 9, too slow behind an HTTP API.
    builder
        .credentialsProvider(credentials())
        .overrideConfiguration(
            c -> c.retryStrategy(RetryMode.STANDARD).addExecutionInterceptor(priming));
    Region region = region();
    if (region != null) {
      builder.region(region);
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
  }

  private Region region() {
    String region = value("AWS_REGION");
    return region == null ? null : Region.of(region);
  }

  private URI endpoint(String serviceVariable) {
    String specific = value(serviceVariable);
    String url = specific != null ? specific : value("AWS_ENDPOINT_URL");
    return url == null ? null : URI.create(url);
  }

  private AwsCredentialsProvider credentials() {
    String keyId = value("AWS_ACCESS_KEY_ID");
    String secret = value("AWS_SECRET_ACCESS_KEY");
    if (keyId == null || secret == null) {
      // SnapStart functions get no key variables: Lambda serves the role's credentials from a
      // container endpoint, and this provider refreshes them before they expire (also after a
      // restore from a snapshot taken long ago).
      if (value("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) {
        return ContainerCredentialsProvider.builder().build();
      }
      return DefaultCredentialsProvider.builder().build();
    }
    // Lambda's own environment carries a session token with the role's temporary keys.
    String token = value("AWS_SESSION_TOKEN");
    AwsCredentials credentials =
        token == null
            ? AwsBasicCredentials.create(keyId, secret)
            : AwsSessionCredentials.create(keyId, secret, token);
    return StaticCredentialsProvider.create(credentials);
  }

  private String value(String name) {
    String value = env.apply(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
