package dev.uploaddashboard.local.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Turns {@link S3ObjectEvent}s into the JSON that S3 sends to a Lambda function. */
public final class S3EventNotifications {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOCAL_PRINCIPAL = "AWS:LOCALMODE";

  private final String region;
  private final String configurationId;

  public S3EventNotifications(String region, String configurationId) {
    this.region = region;
    this.configurationId = configurationId;
  }

  /** The notification for one event: {@code {"Records": [ ... ]}}, one record like S3 sends. */
  public ObjectNode notification(S3ObjectEvent event) {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("Records").add(record(event));
    return root;
  }

  public byte[] notificationBytes(S3ObjectEvent event) {
    return notification(event).toString().getBytes(StandardCharsets.UTF_8);
  }

  private ObjectNode record(S3ObjectEvent event) {
    ObjectNode record = JSON.createObjectNode();
    record.put("eventVersion", "2.1");
    record.put("eventSource", "aws:s3");
    record.put("awsRegion", region);
    record.put(
        "eventTime",
        DateTimeFormatter.ISO_INSTANT.format(event.eventTime().truncatedTo(ChronoUnit.MILLIS)));
    record.put("eventName", event.eventName());
    record.putObject("userIdentity").put("principalId", LOCAL_PRINCIPAL);
    record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
    String requestId = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
    record
        .putObject("responseElements")
        .put("x-amz-request-id", requestId)
        .put("x-amz-id-2", requestId + "/local");
    ObjectNode s3 = record.putObject("s3");
    s3.put("s3SchemaVersion", "1.0");
    s3.put("configurationId", configurationId);
    ObjectNode bucket = s3.putObject("bucket");
    bucket.put("name", event.bucket());
    bucket.putObject("ownerIdentity").put("principalId", LOCAL_PRINCIPAL);
    bucket.put("arn", "arn:aws:s3:::" + event.bucket());
    ObjectNode object = s3.putObject("object");
    object.put("key", encodeKey(event.key()));
    if (event.size().isPresent()) {
      object.put("size", event.size().getAsLong());
    }
    if (event.isCreated()) {
      object.put("eTag", event.eTag());
    }
    object.put("sequencer", event.sequencer());
    return record;
  }

  /** A key as S3 notifications encode it: form encoding (space as {@code +}), slashes kept. */
  public static String encodeKey(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
  }
}
