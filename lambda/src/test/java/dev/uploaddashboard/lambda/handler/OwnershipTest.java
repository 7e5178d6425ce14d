package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.lambda.testing.CallRecorder;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.TestBucket;
import dev.uploaddashboard.lambda.testing.TestContext;
import dev.uploaddashboard.lambda.testing.TwoUsers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sign-in and per-user ownership across the HTTP routes and sync (contract: issue 4). */
class OwnershipTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TwoUsers users;
  private String admin;
  private CallRecorder calls;
  private ListFilesHandler list;
  private FileDetailHandler detail;
  private DeleteFileHandler delete;
  private CreateUploadHandler upload;

  @BeforeEach
  void setUp() {
    users = new TwoUsers();
    admin = TestBucket.newUserId("admin");
    RecordedHandlers handlers = new RecordedHandlers(users.bucket);
    calls = handlers.calls();
    list = handlers.list;
    detail = handlers.detail;
    delete = handlers.delete;
    upload = handlers.upload;
  }

  @Test
  void aUserListsOnlyTheirOwnFilesNewestFirstPageByPage() {
    for (int i = 1; i <= 4; i++) {
      users.withFile(users.aliceKey("f" + i + ".txt"), "2026-11-21T08:00:0" + i + ".000Z");
      users.withFile(users.bobKey("f" + i + ".txt"), "2026-11-21T08:00:0" + i + ".500Z");
    }

    List<Integer> pageSizes = new ArrayList<>();
    List<String> alicesView = pageThrough(asUser(users.alice), 2, pageSizes);
    List<String> bobsView = pageThrough(asUser(users.bob), 100, new ArrayList<>());

    assertThat(pageSizes).containsExactly(2, 2, 1);
    assertThat(alicesView)
        .containsExactly(
            users.aliceKey("f4.txt"),
            users.aliceKey("f3.txt"),
            users.aliceKey("f2.txt"),
            users.aliceKey("f1.txt"),
            users.aliceFile);
    assertThat(bobsView).hasSize(5).allMatch(key -> key.startsWith(users.bobKey("")));
    users.assertNothingChanged();
  }

  @Test
  void anAdminListsEveryFileIncludingThoseWithoutOwner() {
    List<String> adminsView = pageThrough(asAdmin(admin), 2, new ArrayList<>());
    List<String> alicesView = pageThrough(asUser(users.alice), 100, new ArrayList<>());

    assertThat(adminsView).containsExactly(users.ownerlessFile, users.bobFile, users.aliceFile);
    assertThat(alicesView).containsExactly(users.aliceFile);
    users.assertNothingChanged();
  }

  @Test
  void aUserCannotOpenAnotherUsersFileAndLearnsNothing() {
    HttpResult hidden = HttpResult.invoke(detail, detailEvent(asUser(users.alice), users.bobFile));

    assertThat(hidden.status()).isEqualTo(404);
    assertThat(calls.calls()).as("AWS calls for another user's key").isEmpty();

    HttpResult missing =
        HttpResult.invoke(detail, detailEvent(asUser(users.alice), users.aliceKey("none.txt")));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(calls.calls()).containsExactly("GetItemRequest");
    assertThat(hidden.body()).isEqualTo(missing.body());
    assertThat(hidden.raw().path("headers")).isEqualTo(missing.raw().path("headers"));
    users.assertNothingChanged();
  }

  @Test
  void aUserCannotDeleteAnotherUsersFileAndLearnsNothing() {
    HttpResult hidden = HttpResult.invoke(delete, deleteEvent(asUser(users.alice), users.bobFile));

    assertThat(hidden.status()).isEqualTo(404);
    assertThat(hidden.body())
        .isEqualTo(
            Events.parse(
                Events.json(
                    Map.of(
                        "error",
                        "File not found",
                        "code",
                        "not_found",
                        "bucket",
                        users.bucket.name(),
                        "object_key",
                        users.bobFile))));
    assertThat(calls.calls()).as("AWS calls for another user's key").isEmpty();
    users.assertNothingChanged();

    String missingKey = users.aliceKey("none.txt");
    HttpResult missing = HttpResult.invoke(delete, deleteEvent(asUser(users.alice), missingKey));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(calls.calls()).containsExactly("DeleteObjectRequest", "DeleteItemRequest");
    assertThat(((ObjectNode) missing.body().deepCopy()).put("object_key", users.bobFile))
        .isEqualTo(hidden.body());
  }

  @Test
  void aUserDeletesTheirOwnFile() {
    HttpResult result = HttpResult.invoke(delete, deleteEvent(asUser(users.bob), users.bobFile));

    assertThat(result.status()).isEqualTo(200);
    users.assertOnlyDeleted(users.bobFile);
  }

  @Test
  void anAdminOpensAndDeletesAnotherUsersFile() {
    HttpResult opened = HttpResult.invoke(detail, detailEvent(asAdmin(admin), users.bobFile));
    HttpResult deleted = HttpResult.invoke(delete, deleteEvent(asAdmin(admin), users.bobFile));

    assertThat(opened.status()).isEqualTo(200);
    assertThat(opened.body().path("item").path("object_key").asText()).isEqualTo(users.bobFile);
    assertThat(deleted.status()).isEqualTo(200);
    users.assertOnlyDeleted(users.bobFile);
  }

  @Test
  void anAdminOpensAndDeletesAFileWithoutOwnerThatNoUserCanReach() {
    HttpResult userOpens =
        HttpResult.invoke(detail, detailEvent(asUser(users.alice), users.ownerlessFile));
    HttpResult userDeletes =
        HttpResult.invoke(delete, deleteEvent(asUser(users.alice), users.ownerlessFile));
    assertThat(userOpens.status()).isEqualTo(404);
    assertThat(userDeletes.status()).isEqualTo(404);
    users.assertNothingChanged();

    HttpResult opened = HttpResult.invoke(detail, detailEvent(asAdmin(admin), users.ownerlessFile));
    HttpResult deleted =
        HttpResult.invoke(delete, deleteEvent(asAdmin(admin), users.ownerlessFile));

    assertThat(opened.status()).isEqualTo(200);
    assertThat(deleted.status()).isEqualTo(200);
    users.assertOnlyDeleted(users.ownerlessFile);
  }

  @Test
  void uploadsGoUnderTheCallersOwnPrefixWhateverTheBodySays() {
    String body =
        "{\"file_name\":\"../"
            + users.bob
            + "/x.txt\",\"content_type\":\"text/plain\",\"size\":3,"
            + "\"key\":\""
            + users.bobKey("x.txt")
            + "\",\"owner\":\""
            + users.bob
            + "\"}";

    HttpResult alices = HttpResult.invoke(upload, uploadEvent(asUser(users.alice), body));
    HttpResult admins = HttpResult.invoke(upload, uploadEvent(asAdmin(admin), body));

    assertThat(alices.status()).isEqualTo(201);
    assertThat(alices.body().path("key").asText()).startsWith(users.aliceKey(""));
    assertThat(admins.status()).isEqualTo(201);
    assertThat(admins.body().path("key").asText()).startsWith("incoming/" + admin + "/");
    users.assertNothingChanged();
  }

  @Test
  void cursorsAreBoundToTheirIndexAndPartition() {
    users.withFile(users.aliceKey("a2.txt"), "2026-11-21T08:00:02.000Z");
    users.withFile(users.aliceKey("a3.txt"), "2026-11-21T08:00:03.000Z");
    users.withFile(users.bobKey("b2.txt"), "2026-11-21T08:00:04.000Z");
    String alices = firstCursor(asUser(users.alice));
    String bobs = firstCursor(asUser(users.bob));
    String admins = firstCursor(asAdmin(admin));
    String aliceJson = decode(alices);

    // Each cursor works for the listing it came from, and only shows that partition.
    HttpResult alicePage2 = listPage(asUser(users.alice), alices);
    assertThat(alicePage2.status()).isEqualTo(200);
    assertThat(keys(alicePage2.body())).containsExactly(users.aliceKey("a2.txt"));
    assertThat(listPage(asUser(users.bob), bobs).status()).isEqualTo(200);
    assertThat(listPage(asAdmin(admin), admins).status()).isEqualTo(200);

    String forgedForBob =
        encode(
            aliceJson
                .replace(users.aliceKey("a3.txt"), users.bobKey("b2.txt"))
                .replace(users.alice, users.bob));
    List<Map.Entry<ObjectNode, String>> refused =
        List.of(
            Map.entry(asUser(users.bob), alices),
            Map.entry(asUser(users.alice), bobs),
            Map.entry(asAdmin(admin), alices),
            Map.entry(asUser(users.alice), admins),
            Map.entry(asUser(users.alice), forgedForBob),
            Map.entry(
                asUser(users.bob),
                encode(
                    aliceJson.replace("\"owner\":\"" + users.alice, "\"owner\":\"" + users.bob))),
            Map.entry(
                asAdmin(admin),
                encode(aliceJson.replace("owner_uploaded_at_index", "uploaded_at_index"))),
            Map.entry(
                asUser(users.alice),
                encode(
                    aliceJson
                        .replace("owner_uploaded_at_index", "uploaded_at_index")
                        .replace("\"owner\":\"" + users.alice + "\",", ""))));
    for (Map.Entry<ObjectNode, String> attempt : refused) {
      HttpResult result = listPage(attempt.getKey(), attempt.getValue());
      assertThat(result.status()).as(decode(attempt.getValue())).isEqualTo(400);
      assertThat(result.code()).isEqualTo("invalid_cursor");
      assertThat(result.body().has("items")).isFalse();
    }
    users.assertNothingChanged();
  }

  static Stream<Arguments> unusableSignIns() {
    Map<String, Consumer<ObjectNode>> variants = new LinkedHashMap<>();
    variants.put("no authorizer", e -> ((ObjectNode) e.get("requestContext")).remove("authorizer"));
    variants.put(
        "lambda authorizer instead of jwt",
        e ->
            ((ObjectNode) e.get("requestContext"))
                .putObject("authorizer")
                .putObject("lambda")
                .put("sub", "alice"));
    variants.put("no claims", e -> jwt(e).remove("claims"));
    variants.put("claims as a string", e -> jwt(e).put("claims", "{\"sub\":\"alice\"}"));
    variants.put("no sub", e -> Events.claims(e).remove("sub"));
    variants.put("null sub", e -> Events.claims(e).putNull("sub"));
    variants.put("empty sub", e -> Events.claims(e).put("sub", ""));
    variants.put("numeric sub", e -> Events.claims(e).put("sub", 42));
    variants.put("sub as array", e -> Events.claims(e).putArray("sub").add("alice"));
    variants.put("sub with a slash", e -> Events.claims(e).put("sub", "alice/../bob"));
    variants.put("sub of dots", e -> Events.claims(e).put("sub", ".."));
    variants.put("sub with spaces", e -> Events.claims(e).put("sub", " alice "));
    variants.put("sub with unicode", e -> Events.claims(e).put("sub", "ålice"));
    variants.put("sub of 129 characters", e -> Events.claims(e).put("sub", "a".repeat(129)));
    variants.put(
        "admin group but no sub",
        e -> Events.claims(e).put("cognito:groups", "[admins]").remove("sub"));
    List<Arguments> cases = new ArrayList<>();
    for (String route : List.of("list", "detail", "delete", "upload")) {
      variants.forEach((name, change) -> cases.add(Arguments.of(route, name, change)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "[{index}] {0}: {1}")
  @MethodSource("unusableSignIns")
  void withoutAUsableSubEveryRouteAnswers401AndTouchesNothing(
      String route, String variant, Consumer<ObjectNode> change) {
    ObjectNode event =
        switch (route) {
          case "list" -> Events.withQuery(Events.load("http-api-list-metadata"), Map.of());
          case "detail" -> detailEvent(asUser(users.alice), users.aliceFile);
          case "delete" -> deleteEvent(asUser(users.alice), users.aliceFile);
          default -> Events.load("http-api-create-upload");
        };
    change.accept(event);
    var handler =
        switch (route) {
          case "list" -> list;
          case "detail" -> detail;
          case "delete" -> delete;
          default -> upload;
        };

    HttpResult result = HttpResult.invoke(handler, event);

    assertThat(result.status()).isEqualTo(401);
    assertThat(result.body())
        .isEqualTo(Events.parse("{\"error\":\"Sign-in required\",\"code\":\"unauthorized\"}"));
    assertThat(calls.calls()).isEmpty();
    users.assertNothingChanged();
  }

  @Test
  void signInIsCheckedBeforeMediaTypeSizeAndJson() {
    ObjectNode event = deleteEvent(asUser(users.alice), users.aliceFile);
    Events.claims(event).remove("sub");
    Events.withHeader(event, "content-type", "text/plain");
    Events.withBody(event, "x".repeat(20_000));

    HttpResult result = HttpResult.invoke(delete, event);

    assertThat(result.status()).isEqualTo(401);
    users.assertNothingChanged();
  }

  /**
   * Only what the HTTP API JWT authorizer delivers counts: a JSON array of names, or its rendering
   * of the array as {@code "[a b]"}. Everything else is ambiguous and grants no group.
   */
  static Stream<Arguments> groupsClaims() {
    return Stream.of(
        // API Gateway's rendering of a string array claim
        Arguments.of("\"[admins]\"", true),
        Arguments.of("\"[uploaders admins]\"", true),
        Arguments.of("\"[admins uploaders]\"", true),
        Arguments.of("\"[uploaders]\"", false),
        Arguments.of("\"[]\"", false),
        Arguments.of("\"[administrators]\"", false),
        Arguments.of("\"[notadmins admins-readonly]\"", false),
        // API Gateway separates elements with one space; a comma belongs to the name.
        Arguments.of("\"[uploaders,admins]\"", false),
        // never rendered by API Gateway: edge or doubled spaces, tabs, nested brackets
        Arguments.of("\"[ admins]\"", false),
        Arguments.of("\"[admins ]\"", false),
        Arguments.of("\"[uploaders  admins]\"", false),
        Arguments.of("\"[uploaders\\tadmins]\"", false),
        Arguments.of("\"[[admins]]\"", false),
        Arguments.of("\" [admins]\"", false),
        // a group literally named "admins", quotes included, renders as ["admins"]: not admins
        Arguments.of("\"[\\\"admins\\\"]\"", false),
        Arguments.of("\"[uploaders \\\"admins\\\"]\"", false),
        // a JSON array inside the string is not what API Gateway sends
        Arguments.of("\"[\\\"uploaders\\\",\\\"admins\\\"]\"", false),
        Arguments.of("\"[\\\"admins\\\"\"", false),
        // a real JSON array node
        Arguments.of("[\"admins\"]", true),
        Arguments.of("[\"uploaders\",\"admins\"]", true),
        Arguments.of("[\"uploaders\"]", false),
        Arguments.of("[]", false),
        Arguments.of("[\"\\\"admins\\\"\"]", false),
        Arguments.of("[\"admins\",\"\\\"admins\\\"\"]", false),
        Arguments.of("[\"admins \"]", false),
        Arguments.of("[\"uploaders admins\"]", false),
        Arguments.of("[\"\"]", false),
        Arguments.of("[[\"admins\"]]", false),
        Arguments.of("[\"admins\",[\"x\"]]", false),
        Arguments.of("[\"admins\",null]", false),
        Arguments.of("[{\"name\":\"admins\"}]", false),
        // a plain or comma/space separated string: ambiguous, no group
        Arguments.of("\"admins\"", false),
        Arguments.of("\" admins \"", false),
        Arguments.of("\"uploaders,admins\"", false),
        Arguments.of("\"uploaders, admins\"", false),
        Arguments.of("\"uploaders admins\"", false),
        Arguments.of("\"\\\"admins\\\"\"", false),
        Arguments.of("\"Admins\"", false),
        Arguments.of("\"[Admins]\"", false),
        Arguments.of("\"[ADMINS]\"", false),
        Arguments.of("\"\"", false),
        // other JSON types
        Arguments.of("null", false),
        Arguments.of("true", false),
        Arguments.of("42", false),
        Arguments.of("{\"admins\":true}", false));
  }

  @ParameterizedTest(name = "[{index}] cognito:groups = {0} -> admin {1}")
  @MethodSource("groupsClaims")
  void readsTheGroupsClaimInEachEncoding(String claimJson, boolean admin) {
    String carol = TestBucket.newUserId("carol");
    ObjectNode event = asUser(carol);
    Events.claims(event).set("cognito:groups", Events.parse(claimJson));

    HttpResult listed = HttpResult.invoke(list, Events.withQuery(event, Map.of()));
    HttpResult opened = HttpResult.invoke(detail, detailEvent(event.deepCopy(), users.bobFile));

    assertThat(listed.status()).isEqualTo(200);
    if (admin) {
      assertThat(keys(listed.body()))
          .containsExactly(users.ownerlessFile, users.bobFile, users.aliceFile);
      assertThat(opened.status()).isEqualTo(200);
    } else {
      assertThat(keys(listed.body())).isEmpty();
      assertThat(opened.status()).isEqualTo(404);
    }
    users.assertNothingChanged();
  }

  @Test
  void aUserWithoutAGroupsClaimIsARegularUser() {
    ObjectNode event = asUser(users.alice);
    assertThat(Events.claims(event).has("cognito:groups")).isFalse();

    HttpResult listed = HttpResult.invoke(list, Events.withQuery(event, Map.of()));

    assertThat(keys(listed.body())).containsExactly(users.aliceFile);
  }

  @Test
  void aUnicodeNameWorksEndToEndForItsOwnerOnly() throws Exception {
    String name = "報告書 été ü+%2F.pdf";
    byte[] content = "quarterly numbers".getBytes(StandardCharsets.UTF_8);
    HttpResult ticket =
        HttpResult.invoke(
            upload,
            uploadEvent(
                asUser(users.alice),
                Events.json(
                    Map.of(
                        "file_name",
                        name,
                        "content_type",
                        "application/pdf",
                        "size",
                        content.length))));
    assertThat(ticket.status()).isEqualTo(201);
    String key = ticket.body().path("key").asText();
    assertThat(key).startsWith(users.aliceKey("")).endsWith("/報告書-été-ü-2F.pdf");

    // Exactly the returned headers, as the dashboard sends them.
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(ticket.body().path("upload_url").asText()))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
    ticket
        .body()
        .path("headers")
        .fields()
        .forEachRemaining(h -> request.header(h.getKey(), h.getValue().asText()));
    HttpResponse<String> put = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(200);

    syncCreated(key, "0055AED6DCD90281E5");

    assertThat(users.bucket.row(key).orElseThrow().get("owner").s()).isEqualTo(users.alice);
    HttpResult alicesList = HttpResult.invoke(list, listEvent(asUser(users.alice)));
    assertThat(keys(alicesList.body())).contains(key);
    assertThat(alicesList.body().path("items").get(0).path("file_name").asText()).isEqualTo(name);
    assertThat(keys(HttpResult.invoke(list, listEvent(asUser(users.bob))).body()))
        .doesNotContain(key);
    assertThat(HttpResult.invoke(detail, detailEvent(asUser(users.bob), key)).status())
        .isEqualTo(404);
    assertThat(HttpResult.invoke(delete, deleteEvent(asUser(users.bob), key)).status())
        .isEqualTo(404);
    assertThat(users.bucket.objectExists(key)).isTrue();

    HttpResult opened = HttpResult.invoke(detail, detailEvent(asUser(users.alice), key));
    assertThat(opened.status()).isEqualTo(200);
    HttpResponse<byte[]> download =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(opened.body().path("download_url").asText())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.body()).isEqualTo(content);

    HttpResult deleted = HttpResult.invoke(delete, deleteEvent(asUser(users.alice), key));
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body().path("object_key").asText()).isEqualTo(key);
    users.assertNothingChanged();
  }

  private void syncCreated(String key, String sequencer) throws Exception {
    ObjectNode event = Events.load("s3-object-created");
    ObjectNode s3 = (ObjectNode) event.path("Records").get(0).get("s3");
    ((ObjectNode) s3.get("bucket")).put("name", users.bucket.name());
    // S3 sends keys form-encoded, slashes left as they are.
    ((ObjectNode) s3.get("object"))
        .put("key", URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"))
        .put("sequencer", sequencer);
    new MetadataSyncHandler(users.bucket.envLookup())
        .handleRequest(
            new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)),
            new ByteArrayOutputStream(),
            new TestContext());
  }

  private List<String> pageThrough(ObjectNode caller, int limit, List<Integer> pageSizes) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, String> query = new HashMap<>(Map.of("limit", Integer.toString(limit)));
      if (cursor != null) {
        query.put("cursor", cursor);
      }
      HttpResult page = HttpResult.invoke(list, Events.withQuery(caller.deepCopy(), query));
      assertThat(page.status()).isEqualTo(200);
      pageSizes.add(page.body().path("items").size());
      seen.addAll(keys(page.body()));
      JsonNode next = page.body().path("next_cursor");
      cursor = next.isNull() ? null : next.asText();
    } while (cursor != null && pageSizes.size() < 20);
    return seen;
  }

  private String firstCursor(ObjectNode caller) {
    HttpResult page = HttpResult.invoke(list, Events.withQuery(caller, Map.of("limit", "1")));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body().path("next_cursor").isTextual()).isTrue();
    return page.body().path("next_cursor").asText();
  }

  private HttpResult listPage(ObjectNode caller, String cursor) {
    return HttpResult.invoke(
        list, Events.withQuery(caller, Map.of("limit", "1", "cursor", cursor)));
  }

  private static ObjectNode jwt(ObjectNode event) {
    return (ObjectNode) event.path("requestContext").path("authorizer").path("jwt");
  }

  private static ObjectNode asUser(String sub) {
    return Events.asUser(Events.load("http-api-list-metadata"), sub);
  }

  private static ObjectNode asAdmin(String sub) {
    return Events.asAdmin(Events.load("http-api-list-metadata"), sub);
  }

  private static ObjectNode listEvent(ObjectNode caller) {
    return Events.withQuery(caller, Map.of("limit", "100"));
  }

  /** The event file's request, signed in as the caller of another event. */
  private static ObjectNode signedInAs(ObjectNode caller, String eventFile) {
    ObjectNode event = Events.load(eventFile);
    ((ObjectNode) event.get("requestContext"))
        .set("authorizer", caller.path("requestContext").path("authorizer").deepCopy());
    return event;
  }

  private static ObjectNode detailEvent(ObjectNode caller, String key) {
    return Events.withQuery(signedInAs(caller, "http-api-file-detail"), Map.of("key", key));
  }

  private ObjectNode deleteEvent(ObjectNode caller, String key) {
    return Events.withBody(
        signedInAs(caller, "http-api-delete-metadata"),
        Events.json(Map.of("bucket", users.bucket.name(), "key", key)));
  }

  private static ObjectNode uploadEvent(ObjectNode caller, String body) {
    return Events.withBody(signedInAs(caller, "http-api-create-upload"), body);
  }

  private static List<String> keys(JsonNode body) {
    List<String> keys = new ArrayList<>();
    body.path("items").forEach(item -> keys.add(item.path("object_key").asText()));
    return keys;
  }

  private static String decode(String cursor) {
    return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
