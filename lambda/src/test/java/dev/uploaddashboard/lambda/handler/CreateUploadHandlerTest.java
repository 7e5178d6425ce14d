package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uploaddashboard.lambda.service.ObjectKeys;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.TestBucket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CreateUploadHandlerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final long MAX_BYTES = 4096;
  private static final String UUID_SEGMENT =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  private TestBucket bucket;
  private CreateUploadHandler handler;

  @BeforeEach
  void setUp() {
    bucket = new TestBucket();
    Map<String, String> env = new HashMap<>(bucket.env());
    env.put("MAX_UPLOAD_BYTES", Long.toString(MAX_BYTES));
    handler = new CreateUploadHandler(env::get);
  }

  @Test
  void presignedPutUploadsWithExactlyTheReturnedHeaders() throws Exception {
    byte[] content = bytes(1500);
    Instant before = Instant.now();

    HttpResult result = createUpload("Quarterly report (final) été.pdf", "application/pdf", 1500);

    assertThat(result.status()).isEqualTo(201);
    JsonNode body = result.body();
    String key = body.path("key").asText();
    assertThat(body.path("bucket").asText()).isEqualTo(bucket.name());
    assertThat(key)
        .matches(
            "incoming/"
                + Events.USER_SUB
                + "/"
                + UUID_SEGMENT
                + "/Quarterly-report-final-été\\.pdf");
    assertThat(body.path("method").asText()).isEqualTo("PUT");
    assertThat(body.path("max_bytes").asLong()).isEqualTo(MAX_BYTES);
    // One minute: S3 checks expiry when the PUT starts, so that is all an upload start needs.
    assertThat(Instant.parse(body.path("expires_at").asText()))
        .isBetween(before.plusSeconds(59), Instant.now().plusSeconds(61));
    assertThat(fieldNames(body.path("headers")))
        .containsExactlyInAnyOrder("Content-Type", "x-amz-meta-file-name", "If-None-Match");
    assertThat(body.path("headers").path("If-None-Match").asText()).isEqualTo("*");
    assertThat(body.path("headers").path("Content-Type").asText()).isEqualTo("application/pdf");
    assertThat(body.path("headers").path("x-amz-meta-file-name").asText())
        .isEqualTo("Quarterly%20report%20%28final%29%20%C3%A9t%C3%A9.pdf");

    HttpResponse<String> put =
        put(body, body.path("headers").path("Content-Type").asText(), content);

    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(bucket.objectBytes(key)).isEqualTo(content);
    var head = bucket.emulators().s3Client().headObject(r -> r.bucket(bucket.name()).key(key));
    assertThat(head.contentType()).isEqualTo("application/pdf");
    assertThat(head.metadata())
        .containsEntry("file-name", "Quarterly%20report%20%28final%29%20%C3%A9t%C3%A9.pdf");
  }

  @Test
  void anUploadUrlCreatesOneObjectAndAReplayCannotOverwriteIt() throws Exception {
    HttpResult result = createUpload("notes.txt", "text/plain", 5);
    JsonNode ticket = result.body();
    String key = ticket.path("key").asText();
    byte[] first = "first".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] replay = "evil!".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThat(put(ticket, "text/plain", first).statusCode()).isEqualTo(200);
    HttpResponse<String> again = put(ticket, "text/plain", replay);

    // If-None-Match: * is signed in: S3 answers 412 Precondition Failed once the key exists.
    assertThat(again.statusCode()).isEqualTo(412);
    assertThat(bucket.objectBytes(key)).isEqualTo(first);
  }

  @Test
  void aPutWithoutTheSignedCreateOnlyHeaderIsRefused() throws Exception {
    HttpResult result = createUpload("notes.txt", "text/plain", 5);
    JsonNode ticket = result.body();

    HttpResponse<String> put =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(ticket.path("upload_url").asText()))
                .header("Content-Type", "text/plain")
                .header(
                    "x-amz-meta-file-name",
                    ticket.path("headers").path("x-amz-meta-file-name").asText())
                .PUT(HttpRequest.BodyPublishers.ofString("hello"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(put.statusCode()).isEqualTo(403);
    assertThat(bucket.objectExists(ticket.path("key").asText())).isFalse();
  }

  @Test
  void putWithAnotherContentTypeIsRefused() throws Exception {
    HttpResult result = createUpload("photo.png", "image/png", 100);

    HttpResponse<String> put = put(result.body(), "text/html", bytes(100));

    assertThat(put.statusCode()).isEqualTo(403);
    assertThat(bucket.objectExists(result.body().path("key").asText())).isFalse();
  }

  @Test
  void putWithAnotherLengthIsRefused() throws Exception {
    HttpResult result = createUpload("photo.png", "image/png", 100);

    HttpResponse<String> put = put(result.body(), "image/png", bytes(101));

    assertThat(put.statusCode()).isEqualTo(403);
    assertThat(bucket.objectExists(result.body().path("key").asText())).isFalse();
  }

  @Test
  void tooLargeIs413AndMaxIsAllowed() {
    HttpResult tooLarge = createUpload("big.bin", "application/octet-stream", MAX_BYTES + 1);
    HttpResult huge =
        HttpResult.invoke(
            handler,
            uploadEvent(
                "{\"file_name\":\"a.bin\",\"content_type\":\"application/octet-stream\","
                    + "\"size\":123456789012345678901234567890}"));
    HttpResult atMax = createUpload("big.bin", "application/octet-stream", MAX_BYTES);

    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.code()).isEqualTo("too_large");
    assertThat(huge.status()).isEqualTo(413);
    assertThat(atMax.status()).isEqualTo(201);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../etc/passwd",
        "a/b/c.txt",
        "..",
        ".",
        "...",
        "/",
        "\\..\\windows\\system32",
        "incoming/../x",
        "  ",
        "%2e%2e%2fsecret"
      })
  void keyIsServerGeneratedWhateverTheName(String fileName) {
    HttpResult result = createUpload(fileName, "text/plain", 10);

    assertThat(result.status()).isEqualTo(201);
    String key = result.body().path("key").asText();
    assertThat(key).startsWith("incoming/");
    String[] segments = key.split("/", -1);
    assertThat(segments).hasSize(4);
    assertThat(segments[1]).isEqualTo(Events.USER_SUB);
    assertThat(segments[2]).matches(UUID_SEGMENT);
    assertThat(segments[3]).isNotEmpty().matches("[\\p{L}\\p{N}._-]+").isNotIn(".", "..");
    assertThat(ObjectKeys.isValid(key)).isTrue();
  }

  @Test
  void eachUploadGetsItsOwnKey() {
    String first = createUpload("same.txt", "text/plain", 1).body().path("key").asText();
    String second = createUpload("same.txt", "text/plain", 1).body().path("key").asText();

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void longNamesAreCappedInTheKeyButKeptInTheMetadata() {
    String name = "報".repeat(200);

    HttpResult result = createUpload(name, "text/plain", 1);

    assertThat(result.status()).isEqualTo(201);
    String lastSegment = result.body().path("key").asText().replaceFirst(".*/", "");
    assertThat(lastSegment).isEqualTo("報".repeat(100));
    assertThat(result.body().path("headers").path("x-amz-meta-file-name").asText())
        .isEqualTo("%E5%A0%B1".repeat(200));
  }

  @Test
  void rejectsNamesWhoseEncodingExceedsS3MetadataLimit() {
    // 255 characters, but 2295 bytes once percent-encoded: S3 caps user metadata at 2 KB.
    HttpResult result = createUpload("報".repeat(255), "text/plain", 1);

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo("invalid_field");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "invoice\u202Efdp.exe", // right-to-left override: shows as "invoiceexe.pdf"
        "a\u2066b\u2069.txt", // left-to-right isolate and its pop
        "pay\u200Bpal.pdf", // zero-width space
        "zero\u200Djoiner.txt",
        "\uFEFFreport.txt", // byte order mark
        "soft\u00ADhyphen.txt",
        "tag\uDB40\uDC41.txt" // U+E0041, a tag character (outside the BMP)
      })
  void rejectsInvisibleFormattingCharactersInTheName(String fileName) {
    HttpResult result = createUpload(fileName, "text/plain", 10);

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo("invalid_field");
    assertThat(result.body().path("error").asText())
        .contains("file_name")
        .contains("invisible formatting characters");
    assertThat(result.body().has("upload_url")).isFalse();
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("not json", "invalid_json"),
        Arguments.of("[1,2]", "invalid_json"),
        Arguments.of("{}", "missing_fields"),
        Arguments.of("{\"content_type\":\"text/plain\",\"size\":1}", "missing_fields"),
        Arguments.of("{\"file_name\":\"a.txt\",\"size\":1}", "missing_fields"),
        Arguments.of("{\"file_name\":\"a.txt\",\"content_type\":\"text/plain\"}", "missing_fields"),
        Arguments.of(body("\"\"", "\"text/plain\"", "1"), "invalid_field"),
        Arguments.of(body("7", "\"text/plain\"", "1"), "invalid_field"),
        Arguments.of(body("\"" + "a".repeat(256) + "\"", "\"text/plain\"", "1"), "invalid_field"),
        Arguments.of(body("\"a\\u0000.txt\"", "\"text/plain\"", "1"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"\"", "1"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"pdf\"", "1"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"text/\"", "1"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"/plain\"", "1"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"text/plain html\"", "1"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"text/plain\\r\\nX-Evil: 1\"", "1"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"text/" + "p".repeat(251) + "\"", "1"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "[\"text/plain\"]", "1"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"text/plain\"", "0"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"text/plain\"", "-5"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"text/plain\"", "1.5"), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"text/plain\"", "\"10\""), "invalid_field"),
        Arguments.of(body("\"a.txt\"", "\"text/plain\"", "true"), "invalid_field"));
  }

  @ParameterizedTest(name = "[{index}] {1}: {0}")
  @MethodSource("badBodies")
  void rejectsBadFields(String body, String code) {
    HttpResult result = HttpResult.invoke(handler, uploadEvent(body));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo(code);
    assertThat(result.body().has("upload_url")).isFalse();
  }

  @Test
  void acceptsBoundaryValues() {
    assertThat(createUpload("a".repeat(255), "text/plain", 1).status()).isEqualTo(201);
    assertThat(createUpload("a.txt", "text/plain; charset=utf-8", 1).status()).isEqualTo(201);
    assertThat(
            createUpload(
                    "a.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    1)
                .status())
        .isEqualTo(201);
  }

  private HttpResult createUpload(String fileName, String contentType, long size) {
    return HttpResult.invoke(
        handler,
        uploadEvent(
            Events.json(Map.of("file_name", fileName, "content_type", contentType, "size", size))));
  }

  private static String body(String fileName, String contentType, String size) {
    return "{\"file_name\":"
        + fileName
        + ",\"content_type\":"
        + contentType
        + ",\"size\":"
        + size
        + "}";
  }

  private static JsonNode uploadEvent(String body) {
    return Events.withBody(Events.load("http-api-create-upload"), body);
  }

  private static HttpResponse<String> put(JsonNode ticket, String contentType, byte[] content)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(ticket.path("upload_url").asText()))
            .header("Content-Type", contentType)
            .header(
                "x-amz-meta-file-name",
                ticket.path("headers").path("x-amz-meta-file-name").asText())
            .header("If-None-Match", ticket.path("headers").path("If-None-Match").asText())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] bytes(int size) {
    byte[] content = new byte[size];
    Arrays.fill(content, (byte) 'x');
    content[0] = (byte) 0xC3;
    return content;
  }

  private static Iterable<String> fieldNames(JsonNode node) {
    return node::fieldNames;
  }
}
