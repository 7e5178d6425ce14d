package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.TwoUsers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue, one parameterized test per route and kind of input. Every case runs as
 * Alice against a bucket that also holds Bob's files and one without owner, and checks the whole
 * bucket afterwards: a rejected request wrote and deleted nothing, an accepted one exactly what it
 * named.
 */
class BadInputCatalogueTest {
  /** Files that a key decoded once too often (or a '+' read as a space) would land on. */
  private static final List<String> LOOKALIKES =
      List.of("incoming/{A}/u/a b.txt", "incoming/{A}/u/a/b.txt");

  private TwoUsers users;
  private RecordedHandlers handlers;

  /** Each test arranges its own fresh bucket first (key tests with more files). */
  private void arrange(String... moreFiles) {
    users = new TwoUsers(moreFiles);
    handlers = new RecordedHandlers(users.bucket);
  }

  // ---------------------------------------------------------------- keys: detail and delete

  /** How the API must answer for a key. */
  enum Expect {
    /** Alice's existing file: opened or deleted, that key and nothing else. */
    OWN_FILE,
    /** Under Alice's prefix but no such file: 404 (detail and delete do look). */
    MISSING,
    /** Not Alice's to touch: 404 exactly like a missing file, without any AWS call. */
    HIDDEN,
    /** Breaks the key rules: 400 invalid_key, without any AWS call. */
    INVALID
  }

  static Stream<Arguments> keys() {
    return Stream.of(
        key("unicode", "incoming/{A}/u/報告書 été.pdf", Expect.OWN_FILE),
        key("astral-plane character", "incoming/{A}/u/\uD83D\uDE00.txt", Expect.OWN_FILE),
        key("spaces", "incoming/{A}/u/my report final.txt", Expect.OWN_FILE),
        key("plus is a plus", "incoming/{A}/u/a+b.txt", Expect.OWN_FILE),
        key("literal %2F is three characters", "incoming/{A}/u/a%2Fb.txt", Expect.OWN_FILE),
        key("literal %20 is three characters", "incoming/{A}/u/a%20b.txt", Expect.OWN_FILE),
        key("dots inside a segment", "incoming/{A}/u/..hidden...txt", Expect.OWN_FILE),
        key("backslashes", "incoming/{A}/u/..\\..\\x.txt", Expect.OWN_FILE),
        key("exactly 1024 bytes", "{A1024}", Expect.OWN_FILE),
        key(
            "unicode, other normalization",
            "incoming/{A}/u/報告書 e\u0301te\u0301.pdf",
            Expect.MISSING),
        key("%252F is not decoded twice", "incoming/{A}/u/a%252Fb.txt", Expect.MISSING),
        key("encoded dots stay literal", "incoming/{A}/%2e%2e/{B}/canary/bob.txt", Expect.MISSING),
        key("own prefix only", "incoming/{A}/", Expect.MISSING),
        key("other user's file", "incoming/{B}/canary/bob.txt", Expect.HIDDEN),
        key("other user's missing file", "incoming/{B}/none.txt", Expect.HIDDEN),
        key("user id sharing Alice's as prefix", "incoming/{A}0/canary/alice.txt", Expect.HIDDEN),
        key("Alice's id in other case", "incoming/{A_UPPER}/canary/alice.txt", Expect.HIDDEN),
        key("Alice's id without a slash", "incoming/{A}", Expect.HIDDEN),
        key("no owner segment", "incoming/legacy-report.txt", Expect.HIDDEN),
        key("encoded slash after own id", "incoming/{A}%2F..%2F{B}/canary/bob.txt", Expect.HIDDEN),
        key(
            "division slash lookalike",
            "incoming/{A}\u2215..\u2215{B}/canary/bob.txt",
            Expect.HIDDEN),
        key("dot-dot into other user", "incoming/{A}/../{B}/canary/bob.txt", Expect.INVALID),
        key("dot-dot at the end", "incoming/{A}/u/..", Expect.INVALID),
        key("dot segment", "incoming/{A}/./canary/alice.txt", Expect.INVALID),
        key("leading slash", "/incoming/{A}/canary/alice.txt", Expect.INVALID),
        key("double slash after prefix", "incoming//{A}/canary/alice.txt", Expect.INVALID),
        key("double slash inside", "incoming/{A}//canary/alice.txt", Expect.INVALID),
        key("NUL", "incoming/{A}/canary/alice.txt\u0000", Expect.INVALID),
        key("line feed", "incoming/{A}/canary\n/alice.txt", Expect.INVALID),
        key("carriage return", "incoming/{A}/canary/alice.txt\r", Expect.INVALID),
        key("tab", "incoming/{A}/canary/\talice.txt", Expect.INVALID),
        key("DEL", "incoming/{A}/canary/alice\u007f.txt", Expect.INVALID),
        key("C1 control", "incoming/{A}/canary/alice\u0085.txt", Expect.INVALID),
        key("1025 bytes", "{A1025}", Expect.INVALID),
        key("outside incoming/", "uploads/{A}/canary/alice.txt", Expect.INVALID),
        key("prefix in other case", "INCOMING/{A}/canary/alice.txt", Expect.INVALID),
        key("no prefix", "{A}/canary/alice.txt", Expect.INVALID),
        key("prefix alone", "incoming/", Expect.INVALID));
  }

  private static Arguments key(String label, String template, Expect expect) {
    return Arguments.of(label, template, expect);
  }

  @ParameterizedTest(name = "[{index}] detail, {2}: {0}")
  @MethodSource("keys")
  void detailAnswersEachKeyAsItsKindRequires(String label, String template, Expect expect) {
    String key = arrange(template, expect);

    // As API Gateway sends it (decoded parameter map), and with only the raw query string.
    ObjectNode withMap = Events.withQuery(asAlice("http-api-file-detail"), Map.of("key", key));
    ObjectNode rawOnly = withMap.deepCopy();
    rawOnly.remove("queryStringParameters");
    for (ObjectNode event : List.of(withMap, rawOnly)) {
      handlers.calls().clear();
      HttpResult result = HttpResult.invoke(handlers.detail, event);
      switch (expect) {
        case OWN_FILE -> {
          assertThat(result.status()).isEqualTo(200);
          assertThat(result.body().path("item").path("object_key").asText()).isEqualTo(key);
        }
        case MISSING -> assertNotFound(result, false);
        case HIDDEN -> assertNotFound(result, true);
        case INVALID -> assertInvalidKey(result);
      }
    }
    users.assertNothingChanged();
  }

  @ParameterizedTest(name = "[{index}] delete, {2}: {0}")
  @MethodSource("keys")
  void deleteAnswersEachKeyAsItsKindRequires(String label, String template, Expect expect) {
    String key = arrange(template, expect);

    HttpResult result = HttpResult.invoke(handlers.delete, deleteEvent(key));

    switch (expect) {
      case OWN_FILE -> {
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body().path("object_key").asText()).isEqualTo(key);
        users.assertOnlyDeleted(key);
      }
      case MISSING, HIDDEN -> {
        assertNotFound(result, expect == Expect.HIDDEN);
        assertThat(result.body().path("object_key").asText()).isEqualTo(key);
        users.assertNothingChanged();
      }
      case INVALID -> {
        assertInvalidKey(result);
        users.assertNothingChanged();
      }
    }
  }

  @Test
  void aLoneSurrogateInAKeyIsInvalidOnBothRoutes() throws Exception {
    arrange();
    // Only a JSON escape can carry a lone surrogate; UTF-8 cannot encode one.
    String key = users.aliceKey("canary/alice\uD800.txt");
    ObjectWriter escaping = Events.MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
    ObjectNode detail = Events.withQuery(asAlice("http-api-file-detail"), Map.of("key", "x"));
    ((ObjectNode) detail.get("queryStringParameters")).put("key", key);
    ObjectNode delete =
        Events.withBody(
            asAlice("http-api-delete-metadata"),
            escaping.writeValueAsString(Map.of("bucket", users.bucket.name(), "key", key)));

    assertInvalidKey(HttpResult.invoke(handlers.detail, escaping.writeValueAsString(detail)));
    assertInvalidKey(HttpResult.invoke(handlers.delete, escaping.writeValueAsString(delete)));
    users.assertNothingChanged();
  }

  /**
   * Arranges the bucket (with the lookalikes, and Alice's file at the key when she owns one) and
   * returns the key the template stands for.
   */
  private String arrange(String template, Expect expect) {
    List<String> files = new ArrayList<>(LOOKALIKES);
    if (expect == Expect.OWN_FILE) {
      files.add(template);
    }
    arrange(files.toArray(String[]::new));
    return users.key(template);
  }

  private void assertNotFound(HttpResult result, boolean withoutAwsCalls) {
    assertThat(result.status()).isEqualTo(404);
    assertThat(result.code()).isEqualTo("not_found");
    assertThat(result.error()).isEqualTo("File not found");
    if (withoutAwsCalls) {
      assertThat(handlers.calls().calls()).as("AWS calls").isEmpty();
    } else {
      assertThat(handlers.calls().calls()).as("AWS calls").isNotEmpty();
    }
  }

  private void assertInvalidKey(HttpResult result) {
    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo("invalid_key");
    assertThat(handlers.calls().calls()).as("AWS calls").isEmpty();
  }

  // ---------------------------------------------------------------- JSON shapes and types

  static Stream<Arguments> deleteBodies() {
    String k = "\"{KEY}\"";
    String b = "\"{BUCKET}\"";
    return Stream.of(
        body("array", "[" + b + "," + k + "]", "invalid_json"),
        body("string", k, "invalid_json"),
        body("number", "42", "invalid_json"),
        body("null", "null", "invalid_json"),
        body("boolean", "true", "invalid_json"),
        body("not JSON", "bucket=" + b + "&key=" + k, "invalid_json"),
        body("trailing data", "{\"bucket\":" + b + ",\"key\":" + k + "}{}", "invalid_json"),
        body(
            "duplicate field",
            "{\"bucket\":" + b + ",\"key\":\"x\",\"key\":" + k + "}",
            "invalid_json"),
        body("deeply nested", "[".repeat(5000) + "]".repeat(5000), "invalid_json"),
        body("empty", "", "missing_fields"),
        body("empty object", "{}", "missing_fields"),
        body(
            "wrapped in an object",
            "{\"file\":{\"bucket\":" + b + ",\"key\":" + k + "}}",
            "missing_fields"),
        body("key null", "{\"bucket\":" + b + ",\"key\":null}", "missing_fields"),
        body(
            "key as object", "{\"bucket\":" + b + ",\"key\":{\"key\":" + k + "}}", "invalid_field"),
        body("key as array", "{\"bucket\":" + b + ",\"key\":[" + k + "]}", "invalid_field"),
        body("key as number", "{\"bucket\":" + b + ",\"key\":7}", "invalid_field"),
        body("key as boolean", "{\"bucket\":" + b + ",\"key\":false}", "invalid_field"),
        body("key empty", "{\"bucket\":" + b + ",\"key\":\"\"}", "invalid_field"),
        body(
            "bucket as object",
            "{\"bucket\":{\"name\":" + b + "},\"key\":" + k + "}",
            "invalid_field"),
        body("bucket as number", "{\"bucket\":1,\"key\":" + k + "}", "invalid_field"),
        body("other bucket", "{\"bucket\":\"other-bucket\",\"key\":" + k + "}", "bucket_mismatch"));
  }

  @ParameterizedTest(name = "[{index}] delete {2}: {0}")
  @MethodSource("deleteBodies")
  void deleteRejectsBodiesOfTheWrongShape(String label, String body, String code) {
    arrange();
    // The body names Alice's own file: a body wrongly accepted would delete it.
    String json = body.replace("{BUCKET}", users.bucket.name()).replace("{KEY}", users.aliceFile);

    HttpResult result =
        HttpResult.invoke(
            handlers.delete, Events.withBody(asAlice("http-api-delete-metadata"), json));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo(code);
    assertThat(result.error()).isNotBlank();
    assertThat(handlers.calls().calls()).isEmpty();
    users.assertNothingChanged();
  }

  static Stream<Arguments> uploadBodies() {
    String n = "\"file_name\":\"a.txt\"";
    String t = "\"content_type\":\"text/plain\"";
    return Stream.of(
        body("array", "[\"a.txt\",\"text/plain\",3]", "invalid_json"),
        body("string", "\"a.txt\"", "invalid_json"),
        body("number", "3", "invalid_json"),
        body("null", "null", "invalid_json"),
        body("boolean", "false", "invalid_json"),
        body("duplicate field", "{" + n + "," + t + ",\"size\":3,\"size\":4}", "invalid_json"),
        body("deeply nested", "{\"a\":".repeat(1500) + "1" + "}".repeat(1500), "invalid_json"),
        body("empty object", "{}", "missing_fields"),
        body(
            "wrapped in an object",
            "{\"upload\":{" + n + "," + t + ",\"size\":3}}",
            "missing_fields"),
        body("size null", "{" + n + "," + t + ",\"size\":null}", "missing_fields"),
        body("size as string", "{" + n + "," + t + ",\"size\":\"3\"}", "invalid_field"),
        body("size as hex string", "{" + n + "," + t + ",\"size\":\"0x10\"}", "invalid_field"),
        body("size as boolean", "{" + n + "," + t + ",\"size\":true}", "invalid_field"),
        body("size as object", "{" + n + "," + t + ",\"size\":{\"bytes\":3}}", "invalid_field"),
        body("size as array", "{" + n + "," + t + ",\"size\":[3]}", "invalid_field"),
        body("size as fraction", "{" + n + "," + t + ",\"size\":3.5}", "invalid_field"),
        body("size as 3.0", "{" + n + "," + t + ",\"size\":3.0}", "invalid_field"),
        body("size in exponent form", "{" + n + "," + t + ",\"size\":3e2}", "invalid_field"),
        body("size zero", "{" + n + "," + t + ",\"size\":0}", "invalid_field"),
        body("size negative", "{" + n + "," + t + ",\"size\":-3}", "invalid_field"),
        body("file_name as number", "{\"file_name\":7," + t + ",\"size\":3}", "invalid_field"),
        body(
            "file_name as array",
            "{\"file_name\":[\"a.txt\"]," + t + ",\"size\":3}",
            "invalid_field"),
        body(
            "file_name as object",
            "{\"file_name\":{\"name\":\"a.txt\"}," + t + ",\"size\":3}",
            "invalid_field"),
        body(
            "content_type as boolean",
            "{" + n + ",\"content_type\":true,\"size\":3}",
            "invalid_field"));
  }

  @ParameterizedTest(name = "[{index}] upload {2}: {0}")
  @MethodSource("uploadBodies")
  void uploadRejectsBodiesOfTheWrongShape(String label, String body, String code) {
    arrange();
    HttpResult result =
        HttpResult.invoke(
            handlers.upload, Events.withBody(asAlice("http-api-create-upload"), body));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo(code);
    assertThat(result.body().has("upload_url")).isFalse();
    users.assertNothingChanged();
  }

  private static Arguments body(String label, String body, String code) {
    return Arguments.of(label, body, code);
  }

  // ---------------------------------------------------------------- Content-Type

  static Stream<Arguments> mediaTypes() {
    List<Object[]> types =
        List.of(
            new Object[] {"application/json", true},
            new Object[] {"Application/JSON", true},
            new Object[] {"application/json; charset=utf-8", true},
            new Object[] {"application/json;charset=UTF-8", true},
            new Object[] {"application/json; charset=\"utf-8\"", true},
            new Object[] {"application/json ; charset=utf-8", true},
            new Object[] {"application/json;", true},
            new Object[] {null, false},
            new Object[] {"", false},
            new Object[] {"text/plain", false},
            new Object[] {"text/plain; charset=utf-8", false},
            new Object[] {"application/x-www-form-urlencoded", false},
            new Object[] {"multipart/form-data; boundary=----x", false},
            new Object[] {"application/jsonp", false},
            new Object[] {"application/json-patch+json", false},
            new Object[] {"application/vnd.api+json", false},
            new Object[] {"text/json", false},
            new Object[] {"json", false},
            new Object[] {"*/*", false},
            new Object[] {"application/json, text/plain", false},
            new Object[] {"application/json; charset=iso-8859-1", false},
            new Object[] {"application/json; charset=utf-16", false},
            new Object[] {"application/json; charset", false});
    return Stream.of("upload", "delete")
        .flatMap(route -> types.stream().map(t -> Arguments.of(route, t[0], t[1])));
  }

  @ParameterizedTest(name = "[{index}] {0}: Content-Type {1} -> accepted {2}")
  @MethodSource("mediaTypes")
  void onlyJsonBodiesAreAccepted(String route, String contentType, boolean accepted) {
    arrange();
    ObjectNode event = validRequest(route);
    Events.withHeader(event, "content-type", contentType);

    HttpResult result = HttpResult.invoke(handler(route), event);

    if (accepted) {
      assertAccepted(route, result);
    } else {
      assertThat(result.status()).isEqualTo(415);
      assertThat(result.code()).isEqualTo("unsupported_media_type");
      assertThat(handlers.calls().calls()).isEmpty();
      users.assertNothingChanged();
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("routesWithBodies")
  void theHeaderNameIsCaseInsensitive(String route) {
    arrange();
    ObjectNode event = validRequest(route);
    Events.withHeader(event, "content-type", null);
    Events.withHeader(event, "Content-Type", "application/json");

    assertAccepted(route, HttpResult.invoke(handler(route), event));
  }

  // ---------------------------------------------------------------- size and base64

  static Stream<String> routesWithBodies() {
    return Stream.of("upload", "delete");
  }

  /** A transformation of a valid request, and the answer expected for it. */
  record BodyCase(String label, Function<ObjectNode, ObjectNode> change, int status, String code) {
    @Override
    public String toString() {
      return label;
    }
  }

  /** The body limit of a route: 16 KiB, or for delete one that fits a batch of 1,000 keys. */
  static int limit(String route) {
    return route.equals("delete") ? DeleteFileHandler.MAX_BODY_BYTES : 16_384;
  }

  static List<BodyCase> cases(int limit) {
    return List.of(
        new BodyCase("exactly the limit", e -> padded(e, limit, false), 0, null),
        new BodyCase("the limit + 1 byte", e -> padded(e, limit + 1, false), 413, "body_too_large"),
        new BodyCase(
            "the limit + 1 byte of invalid JSON",
            e -> Events.withBody(e, "{".repeat(limit + 1)),
            413,
            "body_too_large"),
        new BodyCase(
            "under the limit in characters but over it in bytes",
            e -> withField(e, "note", "é".repeat(limit / 2 + 8)),
            413,
            "body_too_large"),
        new BodyCase("base64, valid", e -> base64(e, bodyOf(e)), 0, null),
        new BodyCase(
            "base64, exactly the limit decoded", e -> base64(e, padded(e, limit)), 0, null),
        new BodyCase(
            "base64, the limit + 1 byte decoded",
            e -> base64(e, padded(e, limit + 1)),
            413,
            "body_too_large"),
        new BodyCase(
            "base64 text too long to be within the limit, checked before decoding",
            e -> rawBase64(e, "!".repeat(limit * 2)),
            413,
            "body_too_large"),
        new BodyCase("base64, not base64", e -> rawBase64(e, "not base64 {}"), 400, "invalid_json"),
        new BodyCase(
            "base64, URL-safe alphabet",
            e -> rawBase64(e, urlSafe(bodyOf(withField(e, "note", "~~~??>")))),
            400,
            "invalid_json"),
        new BodyCase(
            "base64 with line breaks",
            e -> rawBase64(e, lineBroken(bodyOf(e))),
            400,
            "invalid_json"),
        new BodyCase(
            "base64 of bytes that are not UTF-8",
            e ->
                rawBase64(
                    e, Base64.getEncoder().encodeToString(new byte[] {'{', (byte) 0xC3, '(', '}'})),
            400,
            "invalid_json"),
        new BodyCase(
            "base64 of UTF-16 JSON",
            e ->
                rawBase64(
                    e,
                    Base64.getEncoder()
                        .encodeToString(bodyOf(e).getBytes(StandardCharsets.UTF_16))),
            400,
            "invalid_json"),
        new BodyCase("base64 of invalid JSON", e -> base64(e, "{\"key\":"), 400, "invalid_json"),
        new BodyCase(
            "base64 text sent as plain text",
            e -> Events.withBody(e, Base64.getEncoder().encodeToString(bytes(bodyOf(e)))),
            400,
            "invalid_json"),
        new BodyCase(
            "oversized and the wrong media type",
            e -> Events.withHeader(padded(e, limit + 4_000, false), "content-type", "text/plain"),
            415,
            "unsupported_media_type"));
  }

  static Stream<Arguments> bodies() {
    return routesWithBodies()
        .flatMap(route -> cases(limit(route)).stream().map(c -> Arguments.of(route, c)));
  }

  @ParameterizedTest(name = "[{index}] {0}: {1}")
  @MethodSource("bodies")
  void bodiesAreCheckedForSizeAndEncodingBeforeParsing(String route, BodyCase bodyCase) {
    arrange();
    ObjectNode event = bodyCase.change().apply(validRequest(route));

    HttpResult result = HttpResult.invoke(handler(route), event);

    if (bodyCase.status() == 0) {
      assertAccepted(route, result);
    } else {
      assertThat(result.status()).isEqualTo(bodyCase.status());
      assertThat(result.code()).isEqualTo(bodyCase.code());
      assertThat(handlers.calls().calls()).isEmpty();
      users.assertNothingChanged();
    }
  }

  // ---------------------------------------------------------------- helpers

  private ObjectNode asAlice(String eventFile) {
    return Events.asUser(Events.load(eventFile), users.alice);
  }

  /** A request that succeeds as it is: Alice uploads, or Alice deletes her own canary. */
  private ObjectNode validRequest(String route) {
    return route.equals("upload")
        ? Events.withBody(
            asAlice("http-api-create-upload"),
            "{\"file_name\":\"a.txt\",\"content_type\":\"text/plain\",\"size\":3}")
        : deleteEvent(users.aliceFile);
  }

  private ObjectNode deleteEvent(String key) {
    return Events.withBody(
        asAlice("http-api-delete-metadata"),
        Events.json(Map.of("bucket", users.bucket.name(), "key", key)));
  }

  private RequestStreamHandler handler(String route) {
    return route.equals("upload") ? handlers.upload : handlers.delete;
  }

  private void assertAccepted(String route, HttpResult result) {
    if (route.equals("upload")) {
      assertThat(result.status()).as(result.body().toString()).isEqualTo(201);
      assertThat(result.body().path("key").asText()).startsWith(users.aliceKey(""));
      users.assertNothingChanged();
    } else {
      assertThat(result.status()).as(result.body().toString()).isEqualTo(200);
      users.assertOnlyDeleted(users.aliceFile);
    }
  }

  private static String bodyOf(ObjectNode event) {
    return event.path("body").asText();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The event's JSON body with one more field. */
  private static ObjectNode withField(ObjectNode event, String name, String value) {
    ObjectNode body = (ObjectNode) Events.parse(bodyOf(event));
    body.put(name, value);
    return Events.withBody(event, body.toString());
  }

  /** The event's JSON body padded with trailing spaces to exactly this many bytes. */
  private static String padded(ObjectNode event, int bytes) {
    String body = bodyOf(event);
    return body + " ".repeat(bytes - bytes(body).length);
  }

  private static ObjectNode padded(ObjectNode event, int bytes, boolean base64) {
    String body = padded(event, bytes);
    return base64 ? base64(event, body) : Events.withBody(event, body);
  }

  private static ObjectNode base64(ObjectNode event, String body) {
    return Events.withBase64Body(event, body);
  }

  private static ObjectNode rawBase64(ObjectNode event, String encoded) {
    event.put("body", encoded);
    event.put("isBase64Encoded", true);
    return event;
  }

  private static String urlSafe(String body) {
    String standard = Base64.getEncoder().encodeToString(bytes(body));
    String urlSafe = Base64.getUrlEncoder().encodeToString(bytes(body));
    assertThat(urlSafe).as("test body must need the URL-safe alphabet").isNotEqualTo(standard);
    return urlSafe;
  }

  private static String lineBroken(String body) {
    return Base64.getMimeEncoder(8, "\r\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(bytes(body));
  }
}
