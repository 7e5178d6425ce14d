package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.MultipartS3;
import dev.uploaddashboard.lambda.testing.TestBucket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The multipart routes of the upload function against s3proxy (its upload ids made to behave as on
 * AWS, see MultipartS3): start, part URLs signed with each part's length and CRC32C, list parts
 * (resume), complete (full-object CRC32C), abort; ownership and bad input. Parts are 8 MiB, so a
 * two-part file is 8 MiB and a bit.
 */
class MultipartUploadHandlerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int MIB = 1024 * 1024;
  private static final int PART = 8 * MIB;

  /** Small enough that two full parts are over it: highest part number 3, largest part 8 MiB. */
  private static final long MAX_BYTES = 12L * MIB;

  private TestBucket bucket;
  private S3Client s3;
  private Map<String, String> env;
  private CreateUploadHandler handler;

  @BeforeEach
  void setUp() throws Exception {
    bucket = new TestBucket();
    MultipartS3 multipartS3 = MultipartS3.get();
    s3 = multipartS3.client();
    s3.createBucket(r -> r.bucket(bucket.name()));
    env = new HashMap<>(bucket.env());
    env.put("AWS_ENDPOINT_URL_S3", multipartS3.endpoint().toString());
    Map<String, String> limited = new HashMap<>(env);
    limited.put("MAX_MULTIPART_UPLOAD_BYTES", Long.toString(MAX_BYTES));
    handler = new CreateUploadHandler(limited::get);
  }

  private byte[] objectBytes(String key) {
    return s3.getObjectAsBytes(r -> r.bucket(bucket.name()).key(key)).asByteArray();
  }

  private boolean objectExists(String key) {
    try {
      s3.headObject(r -> r.bucket(bucket.name()).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    }
  }

  @Test
  void aFileUploadedInPartsBecomesOneObjectWithItsFullObjectCrc32c() throws Exception {
    byte[] file = content(PART + 1000, 7);

    HttpResult started = start("clip.mp4", "video/mp4", file.length);

    assertThat(started.status()).isEqualTo(201);
    JsonNode body = started.body();
    String key = body.path("key").asText();
    String uploadId = body.path("upload_id").asText();
    assertThat(key).startsWith("incoming/" + Events.USER_SUB + "/").endsWith("/clip.mp4");
    assertThat(body.path("bucket").asText()).isEqualTo(bucket.name());
    assertThat(body.path("part_size").asLong()).isEqualTo(PART);
    assertThat(body.path("part_count").asInt()).isEqualTo(2);
    assertThat(body.path("max_bytes").asLong()).isEqualTo(MAX_BYTES);
    assertThat(body.path("checksum_algorithm").asText()).isEqualTo("CRC32C");
    assertThat(body.path("checksum_type").asText()).isEqualTo("FULL_OBJECT");
    assertThat(body.path("parts").size()).isZero();

    uploadParts(key, uploadId, file, 1, 2);
    HttpResult completed = complete(key, uploadId, file);

    assertThat(completed.status()).as(completed.body().toString()).isEqualTo(200);
    assertThat(completed.body().path("key").asText()).isEqualTo(key);
    assertThat(completed.body().path("size").asLong()).isEqualTo(file.length);
    assertThat(completed.body().path("checksum_crc32c").asText()).isEqualTo(crc32c(file));
    assertThat(objectBytes(key)).isEqualTo(file);
    var head =
        s3.headObject(r -> r.bucket(bucket.name()).key(key).checksumMode(ChecksumMode.ENABLED));
    assertThat(head.contentType()).isEqualTo("video/mp4");
    assertThat(head.metadata()).containsEntry("file-name", "clip.mp4");
    assertThat(head.checksumCRC32C()).isEqualTo(crc32c(file));
    assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
  }

  @Test
  void aCorruptedPartIsRefusedByS3AndCanBeSentAgain() throws Exception {
    byte[] file = content(PART + 10, 3);
    JsonNode upload = start("data.bin", "application/octet-stream", file.length).body();
    String key = upload.path("key").asText();
    String uploadId = upload.path("upload_id").asText();
    byte[] part1 = Arrays.copyOfRange(file, 0, PART);
    JsonNode url = signOne(key, uploadId, 1, part1);
    byte[] corrupted = part1.clone();
    corrupted[12345] ^= 0x01;

    HttpResponse<String> refused = put(url, corrupted);

    // The URL binds the part's CRC32C: S3 computes the body's and answers 400 BadDigest.
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("BadDigest");
    assertThat(listParts(key, uploadId).body().path("parts").size()).isZero();
    assertThat(put(url, part1).statusCode()).isEqualTo(200);
    assertThat(listParts(key, uploadId).body().path("parts").size()).isEqualTo(1);
  }

  @Test
  void listPartsTellsAResumedUploadWhatS3AlreadyHas() throws Exception {
    byte[] file = content(PART + 77, 5);
    JsonNode upload = start("resume.bin", "application/octet-stream", file.length).body();
    String key = upload.path("key").asText();
    String uploadId = upload.path("upload_id").asText();
    uploadParts(key, uploadId, file, 2, 2);

    HttpResult listed = listParts(key, uploadId);

    assertThat(listed.status()).isEqualTo(200);
    JsonNode parts = listed.body().path("parts");
    assertThat(parts.size()).isEqualTo(1);
    assertThat(parts.get(0).path("part_number").asInt()).isEqualTo(2);
    assertThat(parts.get(0).path("size").asLong()).isEqualTo(77);
    assertThat(parts.get(0).path("etag").asText()).isNotEmpty();
    // AWS also lists each part's CRC32C; s3proxy 4.1.0 never writes it into ListParts (its XML
    // has no checksum elements), so the browser keeps its own and sends them on completion.
    assertThat(parts.get(0).has("checksum_crc32c")).isTrue(); // null here, a value on AWS

    // Part 1 is missing: completing now is refused and keeps the upload.
    HttpResult early = complete(key, uploadId, file);
    assertThat(early.status()).isEqualTo(400);
    assertThat(early.code()).isEqualTo("incomplete_upload");
    assertThat(early.error()).contains("[1]");

    uploadParts(key, uploadId, file, 1, 1);
    assertThat(complete(key, uploadId, file).status()).isEqualTo(200);
    assertThat(objectBytes(key)).isEqualTo(file);
  }

  @Test
  void aWholeFileChecksumThatDoesNotMatchThePartsIsRefused() throws Exception {
    byte[] file = content(PART + 5, 9);
    JsonNode upload = start("x.bin", "application/octet-stream", file.length).body();
    String key = upload.path("key").asText();
    String uploadId = upload.path("upload_id").asText();
    uploadParts(key, uploadId, file, 1, 2);

    HttpResult wrong = complete(key, uploadId, file, crc32c(new byte[] {1, 2, 3}));

    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.code()).isEqualTo("checksum_mismatch");
    assertThat(objectExists(key)).isFalse();
    assertThat(complete(key, uploadId, file).status()).isEqualTo(200);
  }

  @Test
  void aPartChecksumAtCompletionThatIsNotTheStoredPartsIsRefusedAndTheUploadStaysOpen()
      throws Exception {
    // AWS answers InvalidPart here; s3proxy keeps no part checksums and would complete, so the
    // test's s3proxy reproduces AWS (AwsMultipartRules).
    byte[] file = content(PART + 7, 15);
    JsonNode upload = start("p.bin", "application/octet-stream", file.length).body();
    String key = upload.path("key").asText();
    String uploadId = upload.path("upload_id").asText();
    uploadParts(key, uploadId, file, 1, 2);
    List<Map<String, Object>> parts = new ArrayList<>(partChecksums(file));
    parts.set(0, Map.of("part_number", 1, "checksum_crc32c", crc32c(new byte[] {4, 5, 6})));

    HttpResult wrong = complete(key, uploadId, parts, crc32c(file));

    assertThat(wrong.status()).as(wrong.body().toString()).isEqualTo(400);
    assertThat(wrong.code()).isEqualTo("checksum_mismatch");
    assertThat(wrong.body().toString()).doesNotContain("Exception", "at dev.");
    assertThat(objectExists(key)).isFalse();
    assertThat(listParts(key, uploadId).body().path("parts")).hasSize(2);
    assertThat(complete(key, uploadId, file).status()).isEqualTo(200);
    assertThat(objectBytes(key)).isEqualTo(file);
  }

  @Test
  void completingWithoutAChecksumStillRecordsTheFullObjectChecksum() throws Exception {
    byte[] file = content(PART + 3, 11);
    JsonNode upload = start("y.bin", "application/octet-stream", file.length).body();
    String key = upload.path("key").asText();
    String uploadId = upload.path("upload_id").asText();
    uploadParts(key, uploadId, file, 1, 2);

    HttpResult completed =
        invoke(
            "POST /uploads/multipart/complete",
            Events.json(Map.of("key", key, "upload_id", uploadId, "parts", partChecksums(file))));

    assertThat(completed.status()).isEqualTo(200);
    assertThat(completed.body().path("checksum_crc32c").asText()).isEqualTo(crc32c(file));
  }

  @Test
  void partsOverTheMaximumAreAbortedNotCompleted() throws Exception {
    // Each part URL is within bounds (8 MiB, part 1 and 2), but together they are over 12 MiB.
    byte[] file = content(2 * PART, 13);
    JsonNode upload = start("z.bin", "application/octet-stream", MAX_BYTES).body();
    String key = upload.path("key").asText();
    String uploadId = upload.path("upload_id").asText();
    uploadParts(key, uploadId, file, 1, 2);

    HttpResult tooLarge = complete(key, uploadId, file);

    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.code()).isEqualTo("too_large");
    assertThat(objectExists(key)).isFalse();
    assertThat(listParts(key, uploadId).status()).isEqualTo(404);
  }

  @Test
  void abortRemovesTheUploadAndASecondAbortIs404() throws Exception {
    byte[] file = content(PART + 1, 17);
    JsonNode upload = start("a.bin", "application/octet-stream", file.length).body();
    String key = upload.path("key").asText();
    String uploadId = upload.path("upload_id").asText();
    uploadParts(key, uploadId, file, 1, 1);

    HttpResult aborted = abort(key, uploadId);

    assertThat(aborted.status()).isEqualTo(200);
    assertThat(listParts(key, uploadId).status()).isEqualTo(404);
    assertThat(abort(key, uploadId).status()).isEqualTo(404);
    assertThat(complete(key, uploadId, file).code()).isEqualTo("not_found");
    assertThat(objectExists(key)).isFalse();
  }

  @Test
  void anotherUsersUploadCannotBeSignedListedCompletedOrAborted() throws Exception {
    byte[] file = content(PART + 1, 19);
    JsonNode upload = start("mine.bin", "application/octet-stream", file.length).body();
    String key = upload.path("key").asText();
    String uploadId = upload.path("upload_id").asText();
    uploadParts(key, uploadId, file, 1, 2);
    String mallory = TestBucket.newUserId("mallory");
    String keyAndId = Events.json(Map.of("key", key, "upload_id", uploadId));
    String completion =
        Events.json(Map.of("key", key, "upload_id", uploadId, "parts", partChecksums(file)));
    ObjectNode partsBody =
        (ObjectNode)
            Events.parse(
                Events.json(
                    Map.of(
                        "key",
                        key,
                        "upload_id",
                        uploadId,
                        "parts",
                        List.of(partJson(1, new byte[] {1})))));

    List<HttpResult> answers =
        List.of(
            asUser(mallory, "POST /uploads/multipart/parts", partsBody.toString()),
            asUser(mallory, "GET /uploads/multipart/parts", null, key, uploadId),
            asUser(mallory, "POST /uploads/multipart/complete", completion),
            asUser(mallory, "DELETE /uploads/multipart", keyAndId),
            asAdmin(mallory, "POST /uploads/multipart/complete", completion),
            asAdmin(mallory, "DELETE /uploads/multipart", keyAndId));

    assertThat(answers)
        .allSatisfy(
            a -> {
              assertThat(a.status()).isEqualTo(404);
              assertThat(a.code()).isEqualTo("not_found");
            });
    assertThat(listParts(key, uploadId).body().path("parts").size()).isEqualTo(2);
    assertThat(complete(key, uploadId, file).status()).isEqualTo(200);
  }

  @Test
  void anotherUsersUploadIdUnderOnesOwnKeyIsNotFound() throws Exception {
    byte[] file = content(PART + 1, 23);
    String bob = TestBucket.newUserId("bob");
    JsonNode bobs =
        asUser(
                bob,
                "POST /uploads/multipart",
                Events.json(
                    Map.of(
                        "file_name",
                        "b.bin",
                        "content_type",
                        "application/octet-stream",
                        "size",
                        file.length)))
            .body();
    JsonNode mine = start("m.bin", "application/octet-stream", file.length).body();
    String myKey = mine.path("key").asText();
    String bobsId = bobs.path("upload_id").asText();

    // S3 ties an upload id to its key: bob's id under my key is no upload at all.
    assertThat(listParts(myKey, bobsId).status()).isEqualTo(404);
    assertThat(complete(myKey, bobsId, file).status()).isEqualTo(404);
    assertThat(abort(myKey, bobsId).status()).isEqualTo(404);
    JsonNode url = signOne(myKey, bobsId, 1, Arrays.copyOfRange(file, 0, PART));
    assertThat(statusOrRefused(url, Arrays.copyOfRange(file, 0, PART))).isIn(404, -1);
    assertThat(
            asUser(bob, "GET /uploads/multipart/parts", null, bobs.path("key").asText(), bobsId)
                .body()
                .path("parts")
                .size())
        .isZero();
  }

  @Test
  void theDefaultMaximumIsFiveGibAndEnforcedAtTheStart() {
    CreateUploadHandler defaults = new CreateUploadHandler(env::get);
    long fiveGib = 5L * 1024 * 1024 * 1024;

    HttpResult atMax =
        HttpResult.invoke(
            defaults, event("POST /uploads/multipart", startBody("big.iso", fiveGib)));
    HttpResult over =
        HttpResult.invoke(
            defaults, event("POST /uploads/multipart", startBody("big.iso", fiveGib + 1)));

    assertThat(atMax.status()).isEqualTo(201);
    assertThat(atMax.body().path("max_bytes").asLong()).isEqualTo(fiveGib);
    assertThat(atMax.body().path("part_size").asLong()).isEqualTo(PART);
    assertThat(atMax.body().path("part_count").asInt()).isEqualTo(640);
    assertThat(over.status()).isEqualTo(413);
    assertThat(over.code()).isEqualTo("too_large");
  }

  @Test
  void startCanSignTheFirstParts() throws Exception {
    byte[] file = content(PART + 100, 29);
    byte[] part1 = Arrays.copyOfRange(file, 0, PART);
    Map<String, Object> body = new HashMap<>(startMap("first.bin", file.length));
    body.put("parts", List.of(partJson(1, part1)));

    HttpResult started = invoke("POST /uploads/multipart", Events.json(body));

    assertThat(started.status()).isEqualTo(201);
    JsonNode parts = started.body().path("parts");
    assertThat(parts.size()).isEqualTo(1);
    assertThat(parts.get(0).path("part_number").asInt()).isEqualTo(1);
    assertThat(parts.get(0).path("headers").path("x-amz-checksum-crc32c").asText())
        .isEqualTo(crc32c(part1));
    assertThat(put(parts.get(0), part1).statusCode()).isEqualTo(200);
  }

  @Test
  void aPartUrlBindsItsLength() throws Exception {
    byte[] file = content(PART + 1, 31);
    JsonNode upload = start("len.bin", "application/octet-stream", file.length).body();
    String key = upload.path("key").asText();
    String uploadId = upload.path("upload_id").asText();
    JsonNode url = signOne(key, uploadId, 1, Arrays.copyOfRange(file, 0, PART));

    assertThat(statusOrRefused(url, Arrays.copyOfRange(file, 0, PART - 1))).isIn(403, -1);
    assertThat(listParts(key, uploadId).body().path("parts").size()).isZero();
  }

  static Stream<Arguments> badRequests() {
    String key = "incoming/" + Events.USER_SUB + "/0d0b9e52-3c0b-4b59-9bb0-5f1a2b3c4d5e/a.bin";
    String ok = "\"AAAAAA==\"";
    return Stream.of(
        Arguments.of("POST /uploads/multipart", "{}", "missing_fields"),
        Arguments.of("POST /uploads/multipart", "nope", "invalid_json"),
        Arguments.of(
            "POST /uploads/multipart",
            "{\"file_name\":\"a\",\"content_type\":\"text/plain\",\"size\":0}",
            "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart",
            "{\"file_name\":\"a\",\"content_type\":\"text/plain\",\"size\":1,"
                + "\"checksum_crc32c\":"
                + ok
                + "}",
            "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart",
            "{\"file_name\":\"a\",\"content_type\":\"text/plain\",\"size\":10,"
                + "\"parts\":[{\"part_number\":2,\"size\":10,\"checksum_crc32c\":"
                + ok
                + "}]}",
            "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/parts", "{\"key\":\"" + key + "\"}", "missing_fields"),
        Arguments.of("POST /uploads/multipart/parts", parts(key, "7"), "invalid_field"),
        Arguments.of("POST /uploads/multipart/parts", parts(key, "[]"), "invalid_field"),
        Arguments.of("POST /uploads/multipart/parts", parts(key, "[1]"), "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/parts", parts(key, part("0", "5", ok)), "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/parts", parts(key, part("4", "5", ok)), "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/parts", parts(key, part("1.5", "5", ok)), "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/parts", parts(key, part("1", "0", ok)), "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/parts",
            parts(key, part("1", Long.toString(PART + 1L), ok)),
            "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/parts",
            parts(key, part("1", "5", "\"abc\"")),
            "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/parts",
            parts(key, part("1", "5", "\"AAAAAAA=\"")),
            "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/parts",
            parts(key, "[" + part1("1", "5", ok) + "," + part1("1", "6", ok) + "]"),
            "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/parts",
            parts(
                key,
                "["
                    + String.join(",", java.util.Collections.nCopies(101, part1("1", "5", ok)))
                    + "]"),
            "too_many_parts"),
        Arguments.of(
            "POST /uploads/multipart/complete",
            "{\"key\":\"" + key + "\",\"upload_id\":\"abc\"}",
            "missing_fields"),
        Arguments.of(
            "POST /uploads/multipart/complete",
            "{\"key\":\"" + key + "\",\"upload_id\":\"abc\",\"parts\":[]}",
            "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/complete",
            "{\"key\":\""
                + key
                + "\",\"upload_id\":\"abc\",\"parts\":[{\"part_number\":2,\"checksum_crc32c\":"
                + ok
                + "}]}",
            "invalid_field"),
        Arguments.of(
            "POST /uploads/multipart/complete",
            "{\"key\":\"incoming/../x\",\"upload_id\":\"abc\",\"parts\":[]}",
            "invalid_key"),
        Arguments.of(
            "POST /uploads/multipart/complete",
            "{\"key\":\"" + key + "\",\"upload_id\":\"a b\",\"parts\":[]}",
            "invalid_upload_id"),
        Arguments.of(
            "POST /uploads/multipart/complete",
            "{\"key\":\""
                + key
                + "\",\"upload_id\":\"abc\",\"parts\":[],\"checksum_crc32c\":\"x\"}",
            "invalid_field"),
        Arguments.of("DELETE /uploads/multipart", "{\"upload_id\":\"abc\"}", "missing_fields"),
        Arguments.of(
            "DELETE /uploads/multipart", "{\"key\":7,\"upload_id\":\"abc\"}", "invalid_field"));
  }

  @ParameterizedTest(name = "[{index}] {0} {2}: {1}")
  @MethodSource("badRequests")
  void badInputIsA400WithItsCode(String route, String body, String code) {
    HttpResult result = invoke(route, body);

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo(code);
    assertThat(result.body().has("upload_id")).isFalse();
    assertThat(result.body().has("parts")).isFalse();
  }

  @Test
  void listPartsWithoutItsParametersIsA400() {
    HttpResult result = HttpResult.invoke(handler, event("GET /uploads/multipart/parts", null));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo("missing_fields");
  }

  @Test
  void aSinglePutWithAChecksumBindsItAndKeepsItOnTheObject() throws Exception {
    byte[] file = content(3000, 37);
    Map<String, Object> body =
        Map.of(
            "file_name",
            "small.bin",
            "content_type",
            "application/octet-stream",
            "size",
            file.length,
            "checksum_crc32c",
            crc32c(file));
    HttpResult ticket = invoke("POST /uploads", Events.json(body));
    assertThat(ticket.status()).isEqualTo(201);
    JsonNode headers = ticket.body().path("headers");
    assertThat(headers.path("x-amz-checksum-crc32c").asText()).isEqualTo(crc32c(file));
    String key = ticket.body().path("key").asText();
    byte[] corrupted = file.clone();
    corrupted[0] ^= 0x40;

    assertThat(putTicket(ticket.body(), corrupted).statusCode()).isEqualTo(400);
    assertThat(putTicket(ticket.body(), file).statusCode()).isEqualTo(200);
    var head =
        s3.headObject(r -> r.bucket(bucket.name()).key(key).checksumMode(ChecksumMode.ENABLED));
    assertThat(head.checksumCRC32C()).isEqualTo(crc32c(file));
  }

  // --- helpers

  private HttpResult start(String name, String contentType, long size) {
    return invoke(
        "POST /uploads/multipart",
        Events.json(Map.of("file_name", name, "content_type", contentType, "size", size)));
  }

  private static Map<String, Object> startMap(String name, long size) {
    return Map.of("file_name", name, "content_type", "application/octet-stream", "size", size);
  }

  private static String startBody(String name, long size) {
    return Events.json(startMap(name, size));
  }

  /** Completes with the file's parts and the whole file's CRC32C, as the browser does. */
  private HttpResult complete(String key, String uploadId, byte[] file) {
    return complete(key, uploadId, file, crc32c(file));
  }

  private HttpResult complete(String key, String uploadId, byte[] file, String checksum) {
    return complete(key, uploadId, partChecksums(file), checksum);
  }

  private HttpResult complete(
      String key, String uploadId, List<Map<String, Object>> parts, String checksum) {
    return invoke(
        "POST /uploads/multipart/complete",
        Events.json(
            Map.of(
                "key", key, "upload_id", uploadId, "parts", parts, "checksum_crc32c", checksum)));
  }

  private static List<Map<String, Object>> partChecksums(byte[] file) {
    List<Map<String, Object>> parts = new ArrayList<>();
    for (int n = 1; (n - 1) * (long) PART < file.length; n++) {
      parts.add(Map.of("part_number", n, "checksum_crc32c", crc32c(part(file, n))));
    }
    return parts;
  }

  private HttpResult abort(String key, String uploadId) {
    return invoke(
        "DELETE /uploads/multipart", Events.json(Map.of("key", key, "upload_id", uploadId)));
  }

  private HttpResult listParts(String key, String uploadId) {
    ObjectNode event = event("GET /uploads/multipart/parts", null);
    Events.withQuery(event, Map.of("key", key, "upload_id", uploadId));
    return HttpResult.invoke(handler, event);
  }

  private JsonNode signOne(String key, String uploadId, int number, byte[] part) {
    HttpResult signed =
        invoke(
            "POST /uploads/multipart/parts",
            Events.json(
                Map.of(
                    "key", key, "upload_id", uploadId, "parts", List.of(partJson(number, part)))));
    assertThat(signed.status()).as(signed.body().toString()).isEqualTo(200);
    return signed.body().path("parts").get(0);
  }

  /** Signs and PUTs parts {@code first..last} of the file (8 MiB each, the last one shorter). */
  private void uploadParts(String key, String uploadId, byte[] file, int first, int last)
      throws Exception {
    List<Map<String, Object>> wanted = new ArrayList<>();
    for (int n = first; n <= last; n++) {
      wanted.add(partJson(n, part(file, n)));
    }
    HttpResult signed =
        invoke(
            "POST /uploads/multipart/parts",
            Events.json(Map.of("key", key, "upload_id", uploadId, "parts", wanted)));
    assertThat(signed.status()).as(signed.body().toString()).isEqualTo(200);
    for (JsonNode url : signed.body().path("parts")) {
      HttpResponse<String> put = put(url, part(file, url.path("part_number").asInt()));
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      assertThat(put.headers().firstValue("ETag")).isPresent();
    }
  }

  private static byte[] part(byte[] file, int number) {
    int from = (number - 1) * PART;
    return Arrays.copyOfRange(file, from, Math.min(file.length, from + PART));
  }

  private static Map<String, Object> partJson(int number, byte[] part) {
    return Map.of("part_number", number, "size", part.length, "checksum_crc32c", crc32c(part));
  }

  private static String part(String number, String size, String checksum) {
    return "[" + part1(number, size, checksum) + "]";
  }

  private static String part1(String number, String size, String checksum) {
    return "{\"part_number\":"
        + number
        + ",\"size\":"
        + size
        + ",\"checksum_crc32c\":"
        + checksum
        + "}";
  }

  private static String parts(String key, String parts) {
    return "{\"key\":\"" + key + "\",\"upload_id\":\"abc\",\"parts\":" + parts + "}";
  }

  private static HttpResponse<String> put(JsonNode url, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.path("url").asText()));
    url.path("headers")
        .fields()
        .forEachRemaining(h -> request.header(h.getKey(), h.getValue().asText()));
    return HTTP.send(
        request.PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The status of the part PUT, or -1 when the server answered before taking the body and closed
   * the connection (s3proxy does so for a refused signature or an unknown upload; the client then
   * fails while still sending).
   */
  private static int statusOrRefused(JsonNode url, byte[] body) throws Exception {
    try {
      return put(url, body).statusCode();
    } catch (java.io.IOException refusedMidBody) {
      return -1;
    }
  }

  private static HttpResponse<String> putTicket(JsonNode ticket, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(ticket.path("upload_url").asText()));
    ticket
        .path("headers")
        .fields()
        .forEachRemaining(h -> request.header(h.getKey(), h.getValue().asText()));
    return HTTP.send(
        request.PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResult invoke(String route, String body) {
    return HttpResult.invoke(handler, event(route, body));
  }

  private HttpResult asUser(String sub, String route, String body) {
    return HttpResult.invoke(handler, Events.asUser(event(route, body), sub));
  }

  private HttpResult asUser(String sub, String route, String body, String key, String uploadId) {
    ObjectNode event = Events.asUser(event(route, body), sub);
    Events.withQuery(event, Map.of("key", key, "upload_id", uploadId));
    return HttpResult.invoke(handler, event);
  }

  private HttpResult asAdmin(String sub, String route, String body) {
    return HttpResult.invoke(handler, Events.asAdmin(event(route, body), sub));
  }

  /**
   * The recorded POST /uploads event, re-routed: route key, method and path as API Gateway sets
   * them.
   */
  static ObjectNode event(String routeKey, String body) {
    ObjectNode event = Events.withBody(Events.load("http-api-create-upload"), body);
    String method = routeKey.substring(0, routeKey.indexOf(' '));
    String path = routeKey.substring(routeKey.indexOf(' ') + 1);
    event.put("routeKey", routeKey).put("rawPath", path);
    ObjectNode context = (ObjectNode) event.get("requestContext");
    context.put("routeKey", routeKey);
    ((ObjectNode) context.get("http")).put("method", method).put("path", path);
    if (body == null) {
      ((ObjectNode) event.get("headers")).remove("content-length");
    }
    return event;
  }

  static String crc32c(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  /** Bytes that differ from part to part and from test to test. */
  private static byte[] content(int size, int seed) {
    byte[] bytes = new byte[size];
    new java.util.Random(seed).nextBytes(bytes);
    return bytes;
  }
}
