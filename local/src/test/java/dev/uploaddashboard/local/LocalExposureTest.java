package dev.uploaddashboard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What a web page or another program on the developer's machine can do to local mode: it cannot
 * sign S3 requests with a published secret, and it cannot read any local server through DNS
 * rebinding (a name it controls resolved to 127.0.0.1: the browser then sends that name as Host).
 */
class LocalExposureTest {
  private static final String ATTACKER = "attacker.example";
  private static final String PROBE_KEY = "probe.txt";

  @TempDir static Path data;
  private static LocalProduct product;

  @BeforeAll
  static void start() throws Exception {
    product =
        LocalProduct.start(LocalOptions.builder().ephemeralPorts().dataDirectory(data).build());
    product
        .s3Client()
        .putObject(
            b -> b.bucket(product.bucketName()).key(PROBE_KEY).contentType("text/plain"),
            RequestBody.fromString("probe"));
  }

  @AfterAll
  static void stop() {
    if (product != null) {
      product.close();
    }
  }

  @Test
  void theS3SecretIsTheDataDirectorysOwnAndTheOncePublishedOneIsRefused() throws IOException {
    assertThat(product.secretAccessKey())
        .isNotEqualTo("localmodesecret")
        .isEqualTo(Files.readString(data.resolve(LocalCredentials.FILE_NAME)).strip());

    try (S3Client published = s3Client("localmodesecret")) {
      assertThatThrownBy(() -> published.listObjectsV2(b -> b.bucket(product.bucketName())))
          .isInstanceOfSatisfying(
              S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
    try (S3Client own = s3Client(product.secretAccessKey())) {
      assertThat(own.listObjectsV2(b -> b.bucket(product.bucketName())).contents())
          .anySatisfy(object -> assertThat(object.key()).isEqualTo(PROBE_KEY));
    }
  }

  @Test
  void theDashboardAnswersItsOwnHostsOnly() throws IOException {
    assertAnswersOwnHostsOnly(product.dashboardUrl(), "/config.json", Map.of());
  }

  @Test
  void theApiAnswersItsOwnHostsOnly() throws IOException {
    assertAnswersOwnHostsOnly(
        product.apiUrl(),
        "/metadata",
        Map.of("Authorization", "Bearer " + product.accessTokenFor("alice")));
  }

  @Test
  void theIdentityProviderAnswersItsOwnHostsOnly() throws IOException {
    assertAnswersOwnHostsOnly(
        product.identityProviderUrl(), "/oauth2/.well-known/openid-configuration", Map.of());
  }

  @Test
  void s3AnswersItsOwnHostsOnlyEvenForACorrectlySignedRequest() throws IOException {
    int port = product.s3Endpoint().getPort();
    // Signed for the name the browser would send: without the check s3proxy accepts it (200).
    Raw misdirected = get(port, ATTACKER + ":" + port, presignedGet(ATTACKER, port), Map.of());
    Raw direct = get(port, "localhost:" + port, presignedGet("localhost", port), Map.of());

    assertThat(misdirected.status()).isEqualTo(421);
    assertThat(misdirected.body()).contains("\"code\":\"misdirected_request\"");
    assertThat(direct.status()).isEqualTo(200);
    assertThat(direct.body()).contains("probe");
  }

  private static void assertAnswersOwnHostsOnly(
      URI server, String path, Map<String, String> headers) throws IOException {
    int port = server.getPort();

    Raw rebound = get(port, ATTACKER + ":" + port, path, headers);
    Raw localhost = get(port, "localhost:" + port, path, headers);
    Raw loopback = get(port, "127.0.0.1:" + port, path, headers);

    assertThat(rebound.status()).isEqualTo(421);
    assertThat(rebound.body())
        .contains("\"code\":\"misdirected_request\"")
        .contains("http://127.0.0.1:" + port);
    assertThat(localhost.status()).isEqualTo(200);
    assertThat(loopback.status()).isEqualTo(200);
  }

  private static String presignedGet(String host, int port) {
    try (S3Presigner presigner =
        S3Presigner.builder()
            .endpointOverride(URI.create("http://" + host + ":" + port))
            .region(Region.of(product.region()))
            .credentialsProvider(credentials(product.secretAccessKey()))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build()) {
      URL url =
          presigner
              .presignGetObject(
                  b ->
                      b.signatureDuration(Duration.ofMinutes(1))
                          .getObjectRequest(g -> g.bucket(product.bucketName()).key(PROBE_KEY)))
              .url();
      return url.getFile();
    }
  }

  private static S3Client s3Client(String secret) {
    return S3Client.builder()
        .endpointOverride(product.s3Endpoint())
        .region(Region.of(product.region()))
        .credentialsProvider(credentials(secret))
        .forcePathStyle(true)
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  private static StaticCredentialsProvider credentials(String secret) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(product.accessKeyId(), secret));
  }

  private record Raw(int status, String body) {}

  /**
   * A GET with a Host header of our choosing, as a browser sends it after DNS rebinding (the JDK's
   * HTTP client does not let callers set Host).
   */
  private static Raw get(int port, String host, String path, Map<String, String> headers)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder();
      request.append("GET ").append(path).append(" HTTP/1.1\r\n");
      request.append("Host: ").append(host).append("\r\n");
      request.append("Connection: close\r\n");
      headers.forEach(
          (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status =
          Integer.parseInt(response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
      int bodyStart = response.indexOf("\r\n\r\n");
      return new Raw(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
    }
  }
}
