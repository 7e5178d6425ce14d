package dev.uploaddashboard.local.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class S3EventNotificationsTest {

  private final S3EventNotifications notifications =
      new S3EventNotifications("us-east-1", "metadata-sync");

  @Test
  void createdEventHasTheShapeS3Sends() {
    S3ObjectEvent event =
        S3ObjectEvent.created(
            "ObjectCreated:Put",
            "bucket-a",
            "incoming/id/My report (1).pdf",
            1234,
            "\"abc123\"",
            "0062E99A88DC407460",
            Instant.parse("2026-11-21T10:00:00.123456Z"));

    JsonNode record = notifications.notification(event).get("Records").get(0);

    assertThat(record.get("eventVersion").asText()).isEqualTo("2.1");
    assertThat(record.get("eventSource").asText()).isEqualTo("aws:s3");
    assertThat(record.get("awsRegion").asText()).isEqualTo("us-east-1");
    assertThat(record.get("eventTime").asText()).isEqualTo("2026-11-21T10:00:00.123Z");
    assertThat(record.get("eventName").asText()).isEqualTo("ObjectCreated:Put");
    JsonNode s3 = record.get("s3");
    assertThat(s3.get("s3SchemaVersion").asText()).isEqualTo("1.0");
    assertThat(s3.at("/bucket/name").asText()).isEqualTo("bucket-a");
    assertThat(s3.at("/bucket/arn").asText()).isEqualTo("arn:aws:s3:::bucket-a");
    assertThat(s3.at("/object/key").asText()).isEqualTo("incoming/id/My+report+%281%29.pdf");
    assertThat(s3.at("/object/size").asLong()).isEqualTo(1234);
    assertThat(s3.at("/object/eTag").asText()).isEqualTo("abc123");
    assertThat(s3.at("/object/sequencer").asText()).isEqualTo("0062E99A88DC407460");
  }

  @Test
  void removedEventCarriesNoSizeOrETag() {
    S3ObjectEvent event =
        S3ObjectEvent.removed("bucket-a", "incoming/id/a.txt", "0062E99A88DC407461", Instant.now());

    JsonNode record = notifications.notification(event).get("Records").get(0);

    assertThat(record.get("eventName").asText()).isEqualTo("ObjectRemoved:Delete");
    assertThat(record.at("/s3/object").has("size")).isFalse();
    assertThat(record.at("/s3/object").has("eTag")).isFalse();
    assertThat(record.at("/s3/object/key").asText()).isEqualTo("incoming/id/a.txt");
  }

  @Test
  void keysAreFormEncodedLikeS3WithSlashesKept() {
    assertThat(S3EventNotifications.encodeKey("incoming/a b/ü+x.txt"))
        .isEqualTo("incoming/a+b/%C3%BC%2Bx.txt");
  }

  @Test
  void sequencersOnlyGrow() {
    SequencerClock clock = new SequencerClock();
    String first = clock.next();
    String second = clock.next();

    assertThat(first).hasSize(18).matches("[0-9A-F]+");
    assertThat(second).isGreaterThan(first);
  }
}
