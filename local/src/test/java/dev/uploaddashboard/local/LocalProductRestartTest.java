package dev.uploaddashboard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

class LocalProductRestartTest {

  @TempDir Path dataDirectory;

  @Test
  void uploadsAndMetadataSurviveARestart() throws Exception {
    LocalOptions options =
        LocalOptions.builder().ephemeralPorts().dataDirectory(dataDirectory).build();
    String key = "incoming/" + UUID.randomUUID() + "/kept.txt";

    String keysFromFirstRun;
    try (LocalProduct first = LocalProduct.start(options)) {
      keysFromFirstRun = jwks(first);
      first
          .s3Client()
          .putObject(
              request -> request.bucket(first.bucketName()).key(key).contentType("text/plain"),
              RequestBody.fromString("kept across restarts"));
      // No awaitSyncIdle: close() itself must deliver the queued event before DynamoDB stops.
    }

    try (LocalProduct second = LocalProduct.start(options)) {
      assertThat(ApiCalls.as(second, "admin").listedKeys()).contains(key);
      // The signing key is kept in the data directory, so tokens issued before a restart on the
      // same ports
      // (bin/run) still verify after it; here the ports are new, so compare the keys themselves.
      assertThat(jwks(second)).isEqualTo(keysFromFirstRun);
      String content =
          second
              .s3Client()
              .getObjectAsBytes(request -> request.bucket(second.bucketName()).key(key))
              .asUtf8String();
      assertThat(content).isEqualTo("kept across restarts");
      second.awaitSyncIdle(Duration.ofSeconds(5));
    }
  }

  private static String jwks(LocalProduct product) throws Exception {
    HttpResponse<String> response =
        ApiCalls.send(
            HttpRequest.newBuilder(product.identityProviderUrl().resolve("/oauth2/jwks")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"kid\"").doesNotContain("\"d\"");
    return response.body();
  }
}
