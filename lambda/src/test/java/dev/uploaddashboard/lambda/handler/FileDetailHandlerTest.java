package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.TestBucket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileDetailHandlerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String U = Events.USER_SUB;
  private static final String KEY = "incoming/" + U + "/7d2e/Rapport-ete.pdf";

  private TestBucket bucket;
  private FileDetailHandler handler;

  @BeforeEach
  void setUp() {
    bucket = new TestBucket();
    handler = new FileDetailHandler(bucket.envLookup());
  }

  @Test
  void returnsTheItemAndAWorkingDownloadUrl() throws Exception {
    byte[] content = "%PDF-1.7 quarterly numbers".getBytes(StandardCharsets.UTF_8);
    bucket.putObject(KEY, content, "application/pdf", Map.of());
    bucket.putLiveRow(KEY, "Rapport été.pdf", "2026-11-21T07:48:10.123Z");

    Instant before = Instant.now();
    HttpResult result = HttpResult.invoke(handler, detailEvent(KEY));

    assertThat(result.status()).isEqualTo(200);
    JsonNode item = result.body().path("item");
    assertThat(item.path("object_key").asText()).isEqualTo(KEY);
    assertThat(item.path("file_name").asText()).isEqualTo("Rapport été.pdf");
    assertThat(item.path("bucket").asText()).isEqualTo(bucket.name());
    assertThat(item.path("uploaded_at").asText()).isEqualTo("2026-11-21T07:48:10.123Z");
    Instant expiresAt = Instant.parse(result.body().path("download_url_expires_at").asText());
    assertThat(expiresAt).isBetween(before.plusSeconds(299), Instant.now().plusSeconds(301));

    HttpResponse<byte[]> download =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(result.body().path("download_url").asText())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(content);
    assertThat(download.headers().firstValue("Content-Disposition"))
        .hasValue(
            "attachment; filename=\"Rapport _t_.pdf\"; filename*=UTF-8''Rapport%20%C3%A9t%C3%A9.pdf");
  }

  @Test
  void aTamperedDownloadUrlIsRefused() throws Exception {
    bucket.putFile(KEY, "a.pdf", "2026-11-21T07:48:10.123Z");
    String secret = "incoming/" + TestBucket.newUserId("other") + "/secret.txt";
    bucket.putFile(secret, "secret.txt", "2026-11-21T07:48:10.123Z");
    String url = HttpResult.invoke(handler, detailEvent(KEY)).body().path("download_url").asText();

    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url.replace(KEY, secret))).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(403);
  }

  @Test
  void usesTheConfiguredTtl() {
    bucket.putFile(KEY, "a.pdf", "2026-11-21T07:48:10.123Z");
    Map<String, String> env = new HashMap<>(bucket.env());
    env.put("DOWNLOAD_URL_TTL_SECONDS", "60");

    HttpResult result = HttpResult.invoke(new FileDetailHandler(env::get), detailEvent(KEY));

    assertThat(result.body().path("download_url").asText()).contains("X-Amz-Expires=60");
    assertThat(Instant.parse(result.body().path("download_url_expires_at").asText()))
        .isBefore(Instant.now().plusSeconds(61));
  }

  @Test
  void readsTheKeyFromTheRawQueryStringWhenTheParameterMapIsAbsent() {
    String key = "incoming/" + U + "/7d2e/my report+final.pdf";
    bucket.putFile(key, "my report+final.pdf", "2026-11-21T07:48:10.123Z");
    var event = Events.load("http-api-file-detail");
    event.remove("queryStringParameters");
    event.put("rawQueryString", "key=incoming%2F" + U + "%2F7d2e%2Fmy%20report%2Bfinal.pdf");

    HttpResult result = HttpResult.invoke(handler, event);

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body().path("item").path("object_key").asText()).isEqualTo(key);
  }

  @Test
  void missingFileIs404() {
    HttpResult result = HttpResult.invoke(handler, detailEvent("incoming/" + U + "/missing.txt"));

    assertThat(result.status()).isEqualTo(404);
    assertThat(result.code()).isEqualTo("not_found");
    assertThat(result.body().has("download_url")).isFalse();
  }

  @Test
  void tombstoneIs404() {
    bucket.putTombstone(KEY, "0".repeat(31) + "5");

    HttpResult result = HttpResult.invoke(handler, detailEvent(KEY));

    assertThat(result.status()).isEqualTo(404);
    assertThat(result.code()).isEqualTo("not_found");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"incoming/../secret.txt", "private/secret.txt", "incoming/", "/incoming/a"})
  void badKeyIs400(String key) {
    HttpResult result = HttpResult.invoke(handler, detailEvent(key));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo("invalid_key");
  }

  @Test
  void missingKeyParameterIs400() {
    HttpResult result =
        HttpResult.invoke(handler, Events.withQuery(Events.load("http-api-file-detail"), Map.of()));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo("invalid_key");
  }

  private static JsonNode detailEvent(String key) {
    return Events.withQuery(Events.load("http-api-file-detail"), Map.of("key", key));
  }
}
