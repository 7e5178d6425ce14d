package dev.uploaddashboard.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uploaddashboard.contract.FunctionSpec;
import dev.uploaddashboard.contract.Functions;
import dev.uploaddashboard.local.auth.SignInFlow;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The whole product in memory, driven the ways users and the dashboard drive it. */
class LocalProductTest {

  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(20);

  private static LocalProduct product;
  private static ApiCalls api;

  @BeforeAll
  static void start() throws Exception {
    product = LocalProduct.start(LocalOptions.builder().ephemeralPorts().inMemory().build());
    api = ApiCalls.as(product, "alice");
  }

  @AfterAll
  static void stop() {
    product.close();
  }

  @Test
  void anObjectPutStraightIntoS3IsListed() throws Exception {
    String key = putObject("report 2026.txt", "hello");

    product.awaitSyncIdle(SYNC_TIMEOUT);

    JsonNode item = api.listed(key);
    assertThat(item.get("bucket").asText()).isEqualTo(product.bucketName());
    assertThat(item.get("size").asLong()).isEqualTo(5);
    assertThat(product.syncFailures()).isEmpty();
  }

  @Test
  void anObjectDeletedStraightFromS3DisappearsFromTheList() throws Exception {
    String key = putObject("gone.txt", "bye");
    product.awaitSyncIdle(SYNC_TIMEOUT);
    assertThat(api.listedKeys()).contains(key);

    product.s3Client().deleteObject(request -> request.bucket(product.bucketName()).key(key));
    product.awaitSyncIdle(SYNC_TIMEOUT);

    assertThat(api.listedKeys()).doesNotContain(key);
  }

  @Test
  void objectsOutsideTheUploadPrefixAreNotSynced() throws Exception {
    String key = "elsewhere/" + UUID.randomUUID() + ".txt";
    product
        .s3Client()
        .putObject(
            request -> request.bucket(product.bucketName()).key(key).contentType("text/plain"),
            RequestBody.fromString("x"));
    product.awaitSyncIdle(SYNC_TIMEOUT);

    assertThat(ApiCalls.as(product, "admin").listedKeys()).doesNotContain(key);
  }

  @Test
  void deleteThroughTheApiRemovesTheObjectAndItsRow() throws Exception {
    String key = putObject("delete me.txt", "content");
    product.awaitSyncIdle(SYNC_TIMEOUT);

    HttpResponse<String> response = api.delete(product.bucketName(), key);
    product.awaitSyncIdle(SYNC_TIMEOUT);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(ApiCalls.JSON.readTree(response.body()).get("object_key").asText()).isEqualTo(key);
    assertThat(api.listedKeys()).doesNotContain(key);
    assertThat(objectExists(key)).isFalse();
    Map<String, AttributeValue> row =
        product
            .dynamoDbClient()
            .getItem(
                request ->
                    request
                        .tableName(product.tableName())
                        .key(
                            Map.of(
                                "bucket",
                                AttributeValue.fromS(product.bucketName()),
                                "object_key",
                                AttributeValue.fromS(key))))
            .item();
    assertThat(row).doesNotContainKey("uploaded_at");
  }

  @Test
  void whenS3FailsDeletesTheApiAnswers5xxAndTheFileStaysListed() throws Exception {
    String key = putObject("sticky.txt", "still here");
    product.awaitSyncIdle(SYNC_TIMEOUT);

    product.failObjectDeletes(true);
    HttpResponse<String> response;
    try {
      response = api.delete(product.bucketName(), key);
    } finally {
      product.failObjectDeletes(false);
    }
    product.awaitSyncIdle(SYNC_TIMEOUT);

    assertThat(response.statusCode()).isBetween(500, 599);
    assertThat(response.body()).doesNotContain("Exception");
    assertThat(api.listedKeys()).contains(key);
    assertThat(objectExists(key)).isTrue();
  }

  @Test
  void aBrowserStyleUploadWithThePresignedUrlIsListed() throws Exception {
    byte[] content = "name,size\na,1\n".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> created =
        api.post(
            "/uploads",
            "{\"file_name\":\"Quarterly report.csv\",\"content_type\":\"text/csv\",\"size\":"
                + content.length
                + "}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode upload = ApiCalls.JSON.readTree(created.body());
    HttpRequest.Builder put =
        HttpRequest.newBuilder(URI.create(upload.get("upload_url").asText()))
            .header("Origin", product.dashboardUrl().toString())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
    upload
        .get("headers")
        .fields()
        .forEachRemaining(header -> put.header(header.getKey(), header.getValue().asText()));

    HttpResponse<String> stored = ApiCalls.send(put);
    product.awaitSyncIdle(SYNC_TIMEOUT);

    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    assertThat(stored.headers().firstValue("access-control-allow-origin"))
        .hasValue(product.dashboardUrl().toString());
    JsonNode item = api.listed(upload.get("key").asText());
    assertThat(item.get("file_name").asText()).isEqualTo("Quarterly report.csv");
    assertThat(item.get("content_type").asText()).isEqualTo("text/csv");
  }

  @Test
  void anUploadUrlCreatesOneObjectAndAReplayIsRefusedWithoutAnEvent() throws Exception {
    HttpResponse<String> created =
        api.post(
            "/uploads", "{\"file_name\":\"once.txt\",\"content_type\":\"text/plain\",\"size\":5}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode upload = ApiCalls.JSON.readTree(created.body());
    String key = upload.get("key").asText();

    HttpResponse<String> first = ApiCalls.send(presignedPut(upload, "first"));
    product.awaitSyncIdle(SYNC_TIMEOUT);
    JsonNode listed = api.listed(key);
    HttpResponse<String> replay = ApiCalls.send(presignedPut(upload, "again"));
    product.awaitSyncIdle(SYNC_TIMEOUT);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    // The PUT is signed with If-None-Match: * and local S3 enforces it like S3 (412).
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(412);
    assertThat(
            product
                .s3Client()
                .getObjectAsBytes(r -> r.bucket(product.bucketName()).key(key))
                .asUtf8String())
        .isEqualTo("first");
    assertThat(api.listed(key)).isEqualTo(listed);
  }

  private HttpRequest.Builder presignedPut(JsonNode upload, String content) {
    HttpRequest.Builder put =
        HttpRequest.newBuilder(URI.create(upload.get("upload_url").asText()))
            .header("Origin", product.dashboardUrl().toString())
            .PUT(HttpRequest.BodyPublishers.ofString(content));
    upload
        .get("headers")
        .fields()
        .forEachRemaining(header -> put.header(header.getKey(), header.getValue().asText()));
    return put;
  }

  @Test
  void s3AllowsTheDashboardsPreflightForAnUpload() throws Exception {
    HttpResponse<String> response =
        ApiCalls.send(
            HttpRequest.newBuilder(
                    product.s3Endpoint().resolve("/" + product.bucketName() + "/incoming/x/y.txt"))
                .header("Origin", product.dashboardUrl().toString())
                .header("Access-Control-Request-Method", "PUT")
                .header(
                    "Access-Control-Request-Headers",
                    "content-type,if-none-match,x-amz-meta-file-name")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("access-control-allow-headers").orElse(""))
        .containsIgnoringCase("if-none-match");
    assertThat(response.headers().firstValue("access-control-allow-origin"))
        .hasValue(product.dashboardUrl().toString());
    assertThat(response.headers().firstValue("access-control-allow-methods").orElse(""))
        .contains("PUT");
  }

  @Test
  void theApiAllowsTheDashboardOriginOnly() throws Exception {
    String dashboard = product.dashboardUrl().toString();
    HttpResponse<String> allowed =
        ApiCalls.send(
            HttpRequest.newBuilder(product.apiUrl().resolve("/metadata"))
                .header("Origin", dashboard)
                .header("Access-Control-Request-Method", "DELETE")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    HttpResponse<String> refused =
        ApiCalls.send(
            HttpRequest.newBuilder(product.apiUrl().resolve("/metadata"))
                .header("Origin", "http://127.0.0.1:1")
                .header("Access-Control-Request-Method", "DELETE")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue(dashboard);
    // Lists: their order carries no meaning (Jetty's CrossOriginHandler keeps them as sets).
    assertThat(
            allowed.headers().firstValue("access-control-allow-methods").orElseThrow().split(","))
        .containsExactlyInAnyOrder("GET", "POST", "DELETE");
    assertThat(
            allowed.headers().firstValue("access-control-allow-headers").orElseThrow().split(","))
        .containsExactlyInAnyOrder("content-type", "authorization");
    assertThat(refused.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void theApiServesExactlyTheContractsRoutesBehindTheAuthorizer() throws Exception {
    for (FunctionSpec function : Functions.API) {
      for (String route : function.routes()) {
        HttpResponse<String> anonymous =
            ApiCalls.send(
                HttpRequest.newBuilder(product.apiUrl().resolve(FunctionSpec.path(route)))
                    .method(FunctionSpec.method(route), HttpRequest.BodyPublishers.noBody()));
        assertThat(anonymous.statusCode()).as(route).isEqualTo(401);
      }
    }
  }

  @Test
  void dynamoDbAnswersNoWebPageNotEvenTheDashboard() throws Exception {
    // The dashboard never calls DynamoDB, so no origin needs CORS there; a page that could read or
    // wipe local data (moto's server answers `*` by default) must get nothing.
    for (String origin : List.of(product.dashboardUrl().toString(), "http://attacker.example")) {
      HttpResponse<String> preflight =
          ApiCalls.send(
              HttpRequest.newBuilder(product.dynamoDbEndpoint())
                  .header("Origin", origin)
                  .header("Access-Control-Request-Method", "POST")
                  .header("Access-Control-Request-Headers", "content-type,x-amz-target")
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
      HttpResponse<String> scan =
          ApiCalls.send(
              HttpRequest.newBuilder(product.dynamoDbEndpoint())
                  .header("Origin", origin)
                  .header("Content-Type", "application/x-amz-json-1.0")
                  .header("X-Amz-Target", "DynamoDB_20120810.Scan")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"TableName\": \"" + product.tableName() + "\"}")));

      for (HttpResponse<String> response : List.of(preflight, scan)) {
        assertThat(response.statusCode()).as(origin).isEqualTo(403);
        assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(response.body()).doesNotContain(product.bucketName());
      }
    }
    assertThat(product.dynamoDbEndpoint().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void theDashboardIsServedWithAConfigPointingAtTheApiAndTheSignInService() throws Exception {
    HttpResponse<String> config =
        ApiCalls.send(HttpRequest.newBuilder(product.dashboardUrl().resolve("/config.json")));
    HttpResponse<String> index =
        ApiCalls.send(HttpRequest.newBuilder(product.dashboardUrl().resolve("/")));

    JsonNode document = ApiCalls.JSON.readTree(config.body());
    assertThat(document.get("apiUrl").asText()).isEqualTo(product.apiUrl().toString());
    assertThat(document.at("/auth/authorizeUrl").asText())
        .isEqualTo(product.identityProviderUrl() + "/oauth2/authorize");
    assertThat(document.at("/auth/tokenUrl").asText())
        .isEqualTo(product.identityProviderUrl() + "/oauth2/token");
    assertThat(document.at("/auth/revokeUrl").asText())
        .isEqualTo(product.identityProviderUrl() + "/oauth2/revoke");
    assertThat(document.at("/auth/logoutUrl").asText())
        .isEqualTo(product.identityProviderUrl() + "/logout");
    assertThat(document.at("/auth/clientId").asText()).isEqualTo(product.clientId());
    assertThat(document.at("/auth/scopes").toString())
        .isEqualTo("[\"openid\",\"email\",\"profile\"]");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
  }

  @Test
  void unknownRoutesAndWrongMethodsGetApiGatewaysNotFound() throws Exception {
    HttpResponse<String> notFound =
        ApiCalls.send(HttpRequest.newBuilder(product.apiUrl().resolve("/files")));
    HttpResponse<String> wrongMethod =
        ApiCalls.send(
            HttpRequest.newBuilder(product.apiUrl().resolve("/metadata"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));

    // An HTTP API answers 404 {"message":"Not Found"} for a path or a method it has no route
    // for (it has no 405), before the authorizer.
    for (HttpResponse<String> response : List.of(notFound, wrongMethod)) {
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
    }
  }

  /** An object put straight into S3 under alice's prefix, as an upload of hers would be. */
  @Test
  void signingInThroughTheIdentityProviderGivesATokenTheRealHandlersAccept() throws Exception {
    SignInFlow flow =
        new SignInFlow(
            product.identityProviderUrl(), product.clientId(), product.dashboardUrl() + "/");
    JsonNode tokens = flow.signIn("bob", "bob-local-password");
    String bobsFile =
        "incoming/" + product.user("bob").sub() + "/" + UUID.randomUUID() + "/notes.txt";
    product
        .s3Client()
        .putObject(
            request -> request.bucket(product.bucketName()).key(bobsFile).contentType("text/plain"),
            RequestBody.fromString("bob's"));
    product.awaitSyncIdle(SYNC_TIMEOUT);

    ApiCalls bob = new ApiCalls(product.apiUrl(), tokens.get("access_token").asText());

    assertThat(bob.listedKeys()).contains(bobsFile);
    assertThat(new ApiCalls(product.apiUrl(), tokens.get("id_token").asText()).listedKeys())
        .contains(bobsFile);
  }

  @Test
  void theApiRefusesCallsWithoutAValidTokenBeforeAnyHandlerRunsButNotPreflights() throws Exception {
    String dashboard = product.dashboardUrl().toString();
    HttpResponse<String> missing =
        ApiCalls.send(
            HttpRequest.newBuilder(product.apiUrl().resolve("/metadata"))
                .header("Origin", dashboard)
                .GET());
    String token = product.accessTokenFor("alice");
    HttpResponse<String> tampered =
        ApiCalls.send(
            HttpRequest.newBuilder(product.apiUrl().resolve("/metadata"))
                .header("Authorization", "Bearer " + withAlteredSignature(token))
                .GET());
    HttpResponse<String> upload =
        ApiCalls.send(
            HttpRequest.newBuilder(product.apiUrl().resolve("/uploads"))
                .header("Origin", dashboard)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"file_name\":\"a.txt\",\"content_type\":\"text/plain\",\"size\":1}")));
    HttpResponse<String> preflight =
        ApiCalls.send(
            HttpRequest.newBuilder(product.apiUrl().resolve("/uploads"))
                .header("Origin", dashboard)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

    for (HttpResponse<String> response : List.of(missing, tampered, upload)) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
    }
    assertThat(missing.headers().firstValue("access-control-allow-origin")).hasValue(dashboard);
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(dashboard);
  }

  @Test
  void eachUserSeesOnlyTheirOwnFilesAndAdminSeesEveryFile() throws Exception {
    ApiCalls alice = ApiCalls.as(product, "alice");
    ApiCalls bob = ApiCalls.as(product, "bob");
    ApiCalls admin = ApiCalls.as(product, "admin");
    String key = upload(alice, "alice private.txt", "only alice");
    product.awaitSyncIdle(SYNC_TIMEOUT);
    String detailPath =
        "/metadata/file?key=" + java.net.URLEncoder.encode(key, StandardCharsets.UTF_8);

    assertThat(key).startsWith("incoming/" + product.user("alice").sub() + "/");
    assertThat(alice.listedKeys()).contains(key);
    assertThat(alice.get(detailPath).statusCode()).isEqualTo(200);

    assertThat(bob.listedKeys()).doesNotContain(key);
    HttpResponse<String> bobOpens = bob.get(detailPath);
    HttpResponse<String> bobDeletes = bob.delete(product.bucketName(), key);
    assertThat(bobOpens.statusCode()).isEqualTo(404);
    assertThat(bobDeletes.statusCode()).isEqualTo(404);
    assertThat(ApiCalls.JSON.readTree(bobDeletes.body()).get("code").asText())
        .isEqualTo("not_found");
    assertThat(objectExists(key)).isTrue();

    assertThat(admin.listedKeys()).contains(key);
    assertThat(admin.get(detailPath).statusCode()).isEqualTo(200);
    assertThat(alice.listedKeys()).contains(key);
  }

  /**
   * POST /uploads and the presigned PUT, as the dashboard does them; returns the new object's key.
   */
  private static String upload(ApiCalls as, String fileName, String content) throws Exception {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> created =
        as.post(
            "/uploads",
            ApiCalls.JSON.writeValueAsString(
                Map.of("file_name", fileName, "content_type", "text/plain", "size", bytes.length)));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode upload = ApiCalls.JSON.readTree(created.body());
    HttpRequest.Builder put =
        HttpRequest.newBuilder(URI.create(upload.get("upload_url").asText()))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
    upload
        .get("headers")
        .fields()
        .forEachRemaining(header -> put.header(header.getKey(), header.getValue().asText()));
    HttpResponse<String> stored = ApiCalls.send(put);
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    return upload.get("key").asText();
  }

  private static String putObject(String fileName, String content) {
    String key =
        "incoming/" + product.user("alice").sub() + "/" + UUID.randomUUID() + "/" + fileName;
    product
        .s3Client()
        .putObject(
            request -> request.bucket(product.bucketName()).key(key).contentType("text/plain"),
            RequestBody.fromString(content));
    return key;
  }

  private static boolean objectExists(String key) {
    try {
      product.s3Client().headObject(request -> request.bucket(product.bucketName()).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** The token with its signature's first character changed (every bit of it is signature data). */
  private static String withAlteredSignature(String token) {
    int start = token.lastIndexOf('.') + 1;
    char first = token.charAt(start);
    return token.substring(0, start) + (first == 'A' ? 'Q' : 'A') + token.substring(start + 1);
  }
}
