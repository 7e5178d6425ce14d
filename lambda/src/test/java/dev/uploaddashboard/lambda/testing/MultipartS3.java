package dev.uploaddashboard.lambda.testing;

import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A second s3proxy for the multipart tests, whose upload ids behave as on AWS ({@link
 * AwsMultipartRules}), started once per test JVM. Kept apart from {@link Emulators}' s3proxy: with
 * the wrapper in front of that shared one, small PutObject calls of other tests failed now and then
 * with "Error writing request body to server" (not understood; without it they never did).
 */
public final class MultipartS3 {
  private static MultipartS3 instance;

  private final URI endpoint;
  private final S3Client client;

  private MultipartS3(URI endpoint) {
    this.endpoint = endpoint;
    this.client =
        S3Client.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .region(Region.of(Emulators.REGION))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(Emulators.ACCESS_KEY, Emulators.SECRET_KEY)))
            .endpointOverride(endpoint)
            .forcePathStyle(true)
            .build();
  }

  public static synchronized MultipartS3 get() throws Exception {
    if (instance == null) {
      S3Proxy proxy =
          S3Proxy.builder()
              .blobStore(new AwsMultipartRules(BlobStores.create("transient", new Properties())))
              .endpoint(URI.create("http://127.0.0.1:0"))
              .awsAuthentication(
                  AuthenticationType.AWS_V2_OR_V4, Emulators.ACCESS_KEY, Emulators.SECRET_KEY)
              .build();
      proxy.start();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
        }
        Thread.sleep(10);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      proxy.stop();
                    } catch (Exception e) {
                      // the JVM is exiting
                    }
                  }));
      instance = new MultipartS3(URI.create("http://127.0.0.1:" + proxy.getPort()));
    }
    return instance;
  }

  public URI endpoint() {
    return endpoint;
  }

  public S3Client client() {
    return client;
  }
}
