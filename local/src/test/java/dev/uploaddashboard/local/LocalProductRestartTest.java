package dev.uploaddashboard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

class LocalProductRestartTest {

  @TempDir
  Path dataDirectory;

  @Test
  void uploadsAndMetadataSurviveARestart() throws Exception {
    LocalOptions options = LocalOptions.builder().ephemeralPorts().dataDirectory(dataDirectory).build();
    String key = "incoming/" + UUID.randomUUID() + "/kept.txt";

    try (LocalProduct first = LocalProduct.start(options)) {
      first.s3Client().putObject(request -> request.bucket(first.bucketName()).key(key).contentType("text/plain"),
          RequestBody.fromString("kept across restarts"));
      // No awaitSyncIdle: close() itself must deliver the queued event before DynamoDB stops.
    }

    try (LocalProduct second = LocalProduct.start(options)) {
      assertThat(new ApiCalls(second.apiUrl()).listedKeys()).contains(key);
      String content = second.s3Client()
          .getObjectAsBytes(request -> request.bucket(second.bucketName()).key(key)).asUtf8String();
      assertThat(content).isEqualTo("kept across restarts");
      second.awaitSyncIdle(Duration.ofSeconds(5));
    }
  }
}
