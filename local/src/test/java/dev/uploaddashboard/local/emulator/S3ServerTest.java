package dev.uploaddashboard.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.uploaddashboard.local.events.S3ObjectEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The local S3 reports object changes as S3 event notifications would, through the real S3 API. */
class S3ServerTest {

  private static final String BUCKET = "events-bucket";
  private static final String DASHBOARD = "http://127.0.0.1:8080";
  private static final List<S3ObjectEvent> events = new CopyOnWriteArrayList<>();

  private static S3Server server;
  private static S3Client s3;

  @BeforeAll
  static void start() throws Exception {
    server =
        S3Server.start(
            "127.0.0.1",
            0,
            Optional.empty(),
            "testkey",
            "testsecret",
            List.of(DASHBOARD),
            BUCKET,
            events::add);
    s3 =
        S3Client.builder()
            .endpointOverride(server.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("testkey", "testsecret")))
            .forcePathStyle(true)
            .httpClient(UrlConnectionHttpClient.create())
            // As the lambda tests' clients: a request with a body to s3proxy now and then fails
            // all of the SDK's default attempts with "Error writing request body to server".
            .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(8)))
            .build();
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    server.close();
  }

  @BeforeEach
  void clear() {
    events.clear();
    server.storage().failObjectDeletes(false);
  }

  @Test
  void putReportsObjectCreatedWithSizeAndETag() {
    String eTag =
        s3.putObject(
                request -> request.bucket(BUCKET).key("incoming/a.txt").contentType("text/plain"),
                RequestBody.fromString("hello"))
            .eTag();

    // One event per PUT the server completed: the client's retry of a PUT whose answer it lost
    // (the s3proxy flake above) is a second PUT, and S3 reports it too.
    assertThat(events)
        .isNotEmpty()
        .allSatisfy(
            event -> {
              assertThat(event.eventName()).isEqualTo("ObjectCreated:Put");
              assertThat(event.bucket()).isEqualTo(BUCKET);
              assertThat(event.key()).isEqualTo("incoming/a.txt");
              assertThat(event.size()).hasValue(5);
              assertThat(event.eTag()).isEqualTo(eTag.replace("\"", ""));
            });
  }

  @Test
  void sequencersGrowFromEventToEvent() {
    s3.putObject(
        request -> request.bucket(BUCKET).key("incoming/s.txt"), RequestBody.fromString("1"));
    s3.deleteObject(request -> request.bucket(BUCKET).key("incoming/s.txt"));

    assertThat(events).hasSize(2);
    assertThat(events.get(1).sequencer()).isGreaterThan(events.get(0).sequencer());
  }

  @Test
  void copyReportsTheDestination() {
    s3.putObject(
        request -> request.bucket(BUCKET).key("incoming/source.txt"),
        RequestBody.fromString("copy me"));
    events.clear();

    s3.copyObject(
        request ->
            request
                .sourceBucket(BUCKET)
                .sourceKey("incoming/source.txt")
                .destinationBucket(BUCKET)
                .destinationKey("incoming/copy.txt"));

    assertThat(events)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.eventName()).isEqualTo("ObjectCreated:Copy");
              assertThat(event.key()).isEqualTo("incoming/copy.txt");
              assertThat(event.size()).hasValue(7);
            });
  }

  @Test
  void completingAMultipartUploadReportsTheWholeObject() {
    String key = "incoming/multi part.bin";
    String uploadId =
        s3.createMultipartUpload(request -> request.bucket(BUCKET).key(key)).uploadId();
    String part =
        s3.uploadPart(
                request -> request.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(new byte[1000]))
            .eTag();
    assertThat(events).isEmpty();

    s3.completeMultipartUpload(
        request ->
            request
                .bucket(BUCKET)
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(
                    upload ->
                        upload.parts(CompletedPart.builder().partNumber(1).eTag(part).build())));

    assertThat(events)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.eventName()).isEqualTo("ObjectCreated:CompleteMultipartUpload");
              assertThat(event.key()).isEqualTo(key);
              assertThat(event.size()).hasValue(1000);
            });
  }

  @Test
  void deleteObjectsReportsEachRemovedKey() {
    s3.putObject(
        request -> request.bucket(BUCKET).key("incoming/d1.txt"), RequestBody.fromString("1"));
    s3.putObject(
        request -> request.bucket(BUCKET).key("incoming/d2.txt"), RequestBody.fromString("2"));
    events.clear();

    s3.deleteObjects(
        request ->
            request
                .bucket(BUCKET)
                .delete(
                    delete ->
                        delete.objects(
                            ObjectIdentifier.builder().key("incoming/d1.txt").build(),
                            ObjectIdentifier.builder().key("incoming/d2.txt").build())));

    assertThat(events).extracting(S3ObjectEvent::eventName).containsOnly("ObjectRemoved:Delete");
    assertThat(events)
        .extracting(S3ObjectEvent::key)
        .containsExactlyInAnyOrder("incoming/d1.txt", "incoming/d2.txt");
  }

  @Test
  void failingDeletesAnswer500AndReportNothing() {
    s3.putObject(
        request -> request.bucket(BUCKET).key("incoming/keep.txt"), RequestBody.fromString("k"));
    events.clear();
    server.storage().failObjectDeletes(true);

    assertThatThrownBy(
            () -> s3.deleteObject(request -> request.bucket(BUCKET).key("incoming/keep.txt")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(500));
    assertThat(events).isEmpty();
    assertThat(
            s3.headObject(request -> request.bucket(BUCKET).key("incoming/keep.txt"))
                .contentLength())
        .isEqualTo(1);
  }

  @Test
  void corsAllowsBrowserUploadsFromTheDashboardOnly() throws Exception {
    HttpResponse<String> allowed = preflight(DASHBOARD);
    HttpResponse<String> other = preflight("http://127.0.0.1:9999");

    assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue(DASHBOARD);
    assertThat(allowed.headers().firstValue("access-control-allow-headers").orElse(""))
        .containsIgnoringCase("x-amz-meta-file-name")
        .containsIgnoringCase("if-none-match");
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void corsAllowsRangedPreviewReadsFromTheDashboard() throws Exception {
    HttpResponse<String> ranged = preflight(DASHBOARD, "GET", "range");

    assertThat(ranged.headers().firstValue("access-control-allow-origin")).hasValue(DASHBOARD);
    assertThat(ranged.headers().firstValue("access-control-allow-headers").orElse(""))
        .containsIgnoringCase("range");
  }

  private static HttpResponse<String> preflight(String origin) throws Exception {
    return preflight(origin, "PUT", "content-type,if-none-match,x-amz-meta-file-name");
  }

  private static HttpResponse<String> preflight(String origin, String method, String headers)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.endpoint() + "/" + BUCKET + "/incoming/x"))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
