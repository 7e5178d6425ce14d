package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.TestBucket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Listing mechanics (order, paging, limits, cursors) on the whole bucket, as an admin sees it;
 * per-user listing and isolation are in {@link OwnershipTest}.
 */
class ListFilesHandlerTest {
  private static final String ADMIN = TestBucket.newUserId("admin");

  private TestBucket bucket;
  private ListFilesHandler handler;

  @BeforeEach
  void setUp() {
    bucket = new TestBucket();
    handler = new ListFilesHandler(bucket.envLookup());
  }

  @Test
  void listsLiveFilesNewestFirstAndNothingElse() {
    bucket.putLiveRow("incoming/b/second.txt", "second.txt", "2026-11-21T08:00:00.002Z");
    bucket.putLiveRow("incoming/a/first.txt", "first.txt", "2026-11-21T08:00:00.001Z");
    bucket.putLiveRow("incoming/c/third.txt", "third.txt", "2026-11-21T09:00:00.000Z");
    bucket.putTombstone("incoming/d/removed.txt", "0".repeat(31) + "9");
    new TestBucket().putLiveRow("incoming/x/other.txt", "other.txt", "2026-11-22T00:00:00.000Z");

    HttpResult result = HttpResult.invoke(handler, listEvent(Map.of()));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.header("Cache-Control")).isEqualTo("no-store");
    assertThat(keys(result.body()))
        .containsExactly("incoming/c/third.txt", "incoming/b/second.txt", "incoming/a/first.txt");
    assertThat(result.body().path("next_cursor").isNull()).isTrue();
    assertThat(result.body().path("items").get(0))
        .isEqualTo(
            Events.parse(
                Events.json(
                    new java.util.HashMap<String, Object>(
                        Map.of(
                            "bucket", bucket.name(),
                            "object_key", "incoming/c/third.txt",
                            "file_name", "third.txt",
                            "size", 7,
                            "content_type", "text/plain",
                            "uploaded_at", "2026-11-21T09:00:00.000Z")) {
                      {
                        // a row stored without a checksum (the item always has the field)
                        put("checksum_crc32c", null);
                      }
                    })));
  }

  @Test
  void emptyBucketListsNothing() {
    HttpResult result = HttpResult.invoke(handler, listEvent(Map.of()));

    assertThat(result.status()).isEqualTo(200);
    assertThat(result.body().path("items").isArray()).isTrue();
    assertThat(result.body().path("items")).isEmpty();
    assertThat(result.body().path("next_cursor").isNull()).isTrue();
  }

  @Test
  void pagesThroughEverythingWithoutDuplicatesOrGaps() {
    List<String> expected = new ArrayList<>();
    for (int i = 9; i >= 1; i--) {
      // Two files share each timestamp: ties must not be skipped or repeated at page edges.
      String at = String.format("2026-11-21T08:00:%02d.000Z", (i + 1) / 2);
      expected.add("incoming/f" + i + "/file.txt");
      bucket.putLiveRow("incoming/f" + i + "/file.txt", "file.txt", at);
    }
    for (int i = 0; i < 4; i++) {
      bucket.putTombstone("incoming/t" + i + "/gone.txt", "0".repeat(31) + "1");
    }

    List<String> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cursor = null;
    do {
      Map<String, String> query = new HashMap<>(Map.of("limit", "2"));
      if (cursor != null) {
        query.put("cursor", cursor);
      }
      HttpResult page = HttpResult.invoke(handler, listEvent(query));
      assertThat(page.status()).isEqualTo(200);
      pageSizes.add(page.body().path("items").size());
      seen.addAll(keys(page.body()));
      cursor =
          page.body().path("next_cursor").isNull()
              ? null
              : page.body().path("next_cursor").asText();
    } while (cursor != null && pageSizes.size() < 20);

    assertThat(pageSizes).containsExactly(2, 2, 2, 2, 1);
    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    assertThat(timestamps(seen)).isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void defaultsTo25AndAcceptsUpTo100() {
    for (int i = 0; i < 27; i++) {
      bucket.putLiveRow(
          "incoming/n" + i + "/f.txt", "f.txt", String.format("2026-11-21T08:00:%02d.000Z", i));
    }

    HttpResult byDefault = HttpResult.invoke(handler, listEvent(Map.of()));
    HttpResult atMost = HttpResult.invoke(handler, listEvent(Map.of("limit", "100")));
    HttpResult one = HttpResult.invoke(handler, listEvent(Map.of("limit", "1")));

    assertThat(byDefault.body().path("items")).hasSize(25);
    assertThat(byDefault.body().path("next_cursor").isTextual()).isTrue();
    assertThat(atMost.body().path("items")).hasSize(27);
    assertThat(atMost.body().path("next_cursor").isNull()).isTrue();
    assertThat(keys(one.body())).containsExactly("incoming/n26/f.txt");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "101", "-1", "abc", "1.5", "", "99999999999"})
  void rejectsLimitsOutOfBounds(String limit) {
    HttpResult result = HttpResult.invoke(handler, listEvent(Map.of("limit", limit)));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo("invalid_limit");
  }

  @Test
  void rejectsMalformedAndTamperedCursors() {
    bucket.putLiveRow("incoming/a/1.txt", "1.txt", "2026-11-21T08:00:01.000Z");
    bucket.putLiveRow("incoming/a/2.txt", "2.txt", "2026-11-21T08:00:02.000Z");
    String good =
        HttpResult.invoke(handler, listEvent(Map.of("limit", "1")))
            .body()
            .path("next_cursor")
            .asText();
    assertThat(HttpResult.invoke(handler, listEvent(Map.of("limit", "1", "cursor", good))).status())
        .isEqualTo(200);

    String decoded = new String(Base64.getUrlDecoder().decode(good), StandardCharsets.UTF_8);
    List<String> bad =
        List.of(
            "not a cursor!",
            "",
            good.substring(0, good.length() / 2),
            encode("[]"),
            encode("{\"bucket\":\"" + bucket.name() + "\"}"),
            encode(decoded.replace("\"index\":\"uploaded_at_index\",", "")),
            encode(decoded.replace(bucket.name(), "someone-elses-bucket")),
            encode(decoded.replace("2026-11-21T08:00:02.000Z", "2026-11-21")),
            encode(decoded.replace("incoming/a/2.txt", "../a/2.txt")),
            encode(decoded.replace("}", ",\"extra\":\"x\"}")));

    for (String cursor : bad) {
      HttpResult result = HttpResult.invoke(handler, listEvent(Map.of("cursor", cursor)));
      assertThat(result.status()).as(cursor).isEqualTo(400);
      assertThat(result.code()).as(cursor).isEqualTo("invalid_cursor");
    }
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode listEvent(Map<String, String> query) {
    return Events.withQuery(Events.asAdmin(Events.load("http-api-list-metadata"), ADMIN), query);
  }

  private static List<String> keys(JsonNode body) {
    List<String> keys = new ArrayList<>();
    body.path("items").forEach(item -> keys.add(item.path("object_key").asText()));
    return keys;
  }

  private static List<Integer> timestamps(List<String> keys) {
    List<Integer> values = new ArrayList<>();
    for (String key : keys) {
      int i = Integer.parseInt(key.substring("incoming/f".length(), key.indexOf("/file")));
      values.add((i + 1) / 2);
    }
    return values;
  }
}
