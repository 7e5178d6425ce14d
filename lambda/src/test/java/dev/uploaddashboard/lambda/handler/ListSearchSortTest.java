package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.uploaddashboard.lambda.service.FileListService;
import dev.uploaddashboard.lambda.store.FileListings;
import dev.uploaddashboard.lambda.testing.CallRecorder;
import dev.uploaddashboard.lambda.testing.Emulators;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.TestBucket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code GET /metadata?q=&sort=&order=}: search and sort over the caller's whole listing (an
 * admin's: the bucket), page by page, with cursors bound to their search and order.
 */
class ListSearchSortTest {
  // Fresh users per test: the owner indexes span the buckets that share the test table.
  private final String alice = TestBucket.newUserId("alice");
  private final String bob = TestBucket.newUserId("bob");

  private TestBucket bucket;
  private ListFilesHandler handler;

  @BeforeEach
  void setUp() {
    bucket = new TestBucket();
    handler = new ListFilesHandler(bucket.envLookup());
  }

  @Test
  void searchIsACaseInsensitiveSubstringOfTheNameOverEveryPage() {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String name = i % 7 == 0 ? "Q" + i + "-Annual-REPORT.pdf" : "photo-" + i + ".png";
      String key = row(alice, i, name, 100 + i);
      if (name.toLowerCase(Locale.ROOT).contains("report")) {
        expected.add(key);
      }
    }
    row(bob, 99, "bobs-report.pdf", 5); // another user's match is never shown

    List<JsonNode> pages = allPages(asUser(alice), Map.of("q", " rEpOrT ", "limit", "3"));

    List<String> found = keys(pages);
    assertThat(found).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
    assertThat(pages).allSatisfy(p -> assertThat(p.path("items").size()).isLessThanOrEqualTo(3));
    // newest first by default
    java.util.Collections.reverse(expected);
    assertThat(found).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"name,asc", "name,desc", "size,asc", "size,desc", "uploaded,asc", "uploaded,desc"})
  void sortsTheWholeListingAndPagesThroughIt(String sort, String order) {
    List<Map<String, String>> files = new ArrayList<>();
    String[] names = {
      "banana.txt", "Apple.txt", "cherry.txt", "apple.txt", "Date.txt", "éclair.txt"
    };
    for (int i = 0; i < 12; i++) {
      String name = names[i % names.length] + (i < 6 ? "" : ".bak");
      long size = (i * 37) % 5; // equal sizes: the order between them must still be stable
      String key = row(alice, i, name, size);
      files.add(Map.of("key", key, "name", name, "size", Long.toString(size)));
    }

    List<JsonNode> pages =
        allPages(asUser(alice), Map.of("sort", sort, "order", order, "limit", "5"));

    List<JsonNode> items = new ArrayList<>();
    pages.forEach(p -> p.path("items").forEach(items::add));
    assertThat(items).hasSize(12);
    assertThat(keys(pages)).doesNotHaveDuplicates();
    Function<JsonNode, String> sortValue =
        switch (sort) {
          case "name" -> i -> i.path("file_name").asText().toLowerCase(Locale.ROOT);
          case "size" -> i -> String.format("%020d", i.path("size").asLong());
          default -> i -> i.path("uploaded_at").asText();
        };
    Comparator<String> direction =
        order.equals("asc") ? Comparator.naturalOrder() : Comparator.reverseOrder();
    assertThat(items.stream().map(sortValue).toList()).isSortedAccordingTo(direction);
  }

  @Test
  void anAdminSearchesAndSortsTheWholeBucket() {
    row(alice, 1, "alice-notes.txt", 30);
    row(bob, 2, "bob-notes.txt", 10);
    row(bob, 3, "bob-photo.png", 20);

    List<JsonNode> pages =
        allPages(
            Events.asAdmin(Events.load("http-api-list-metadata"), "admin-1"),
            Map.of("q", "NOTES", "sort", "size", "order", "asc"));

    assertThat(names(pages)).containsExactly("bob-notes.txt", "alice-notes.txt");
  }

  @Test
  void aSearchReadsAtMostItsBudgetPerRequestAndAnswersShortPagesWithACursor() {
    for (int i = 0; i < 80; i++) {
      row(alice, i, i % 40 == 0 ? "needle-" + i + ".txt" : "hay-" + i + ".txt", 1);
    }
    CallRecorder calls = new CallRecorder();
    ListFilesHandler budgeted =
        new ListFilesHandler(
            new FileListService(
                new FileListings(bucket.emulators().dynamoDb(calls), Emulators.TABLE),
                bucket.name(),
                30));

    List<JsonNode> pages = allPages(budgeted, asUser(alice), Map.of("q", "needle"));

    assertThat(names(pages)).containsExactly("needle-40.txt", "needle-0.txt");
    // 80 rows, newest first, 30 a request: none in 79..50, needle-40 in 49..20, needle-0 last.
    assertThat(pages.stream().map(p -> p.path("items").size()).toList()).containsExactly(0, 1, 1);
    assertThat(calls.calls()).hasSize(3);

    // With the deployed budget (10,000 rows) the same search is one page and one Query.
    calls.clear();
    ListFilesHandler deployed =
        new ListFilesHandler(
            new FileListService(
                new FileListings(bucket.emulators().dynamoDb(calls), Emulators.TABLE),
                bucket.name()));
    assertThat(allPages(deployed, asUser(alice), Map.of("q", "needle"))).hasSize(1);
    assertThat(calls.calls()).hasSize(1);
  }

  @Test
  void cursorsAreBoundToTheirSearchAndOrder() {
    for (int i = 0; i < 4; i++) {
      row(alice, i, "report-" + i + ".txt", i);
    }
    String cursor =
        HttpResult.invoke(handler, list(asUser(alice), Map.of("q", "report", "limit", "1")))
            .body()
            .path("next_cursor")
            .asText();

    assertThat(status(Map.of("q", "report", "limit", "1", "cursor", cursor))).isEqualTo(200);
    for (Map<String, String> other :
        List.of(
            Map.of("q", "repor", "cursor", cursor),
            Map.of("cursor", cursor),
            Map.of("q", "report", "order", "asc", "cursor", cursor),
            Map.of("q", "report", "sort", "name", "cursor", cursor))) {
      HttpResult result = HttpResult.invoke(handler, list(asUser(alice), other));
      assertThat(result.status()).as(other.toString()).isEqualTo(400);
      assertThat(result.code()).isEqualTo("invalid_cursor");
    }
    HttpResult borrowed =
        HttpResult.invoke(handler, list(asUser(bob), Map.of("q", "report", "cursor", cursor)));
    assertThat(borrowed.code()).isEqualTo("invalid_cursor");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "sort|date|invalid_sort",
        "sort|NAME|invalid_sort",
        "order|up|invalid_order",
        "order|ASC|invalid_order",
        "q|{LONG}|invalid_query",
        "q|a\u0001b|invalid_query"
      })
  void badParametersAre400(String name, String value, String code) {
    HttpResult result =
        HttpResult.invoke(
            handler, list(asUser(alice), Map.of(name, value.replace("{LONG}", "x".repeat(201)))));

    assertThat(result.status()).isEqualTo(400);
    assertThat(result.code()).isEqualTo(code);
  }

  @Test
  void whileAnUpgradeIsAddingAnOrdersIndexThatOrderIsRefusedAndTheOthersWork() {
    Map<String, String> env = new HashMap<>(bucket.env());
    env.put("SORT_ORDERS", "uploaded,name");
    ListFilesHandler upgrading = new ListFilesHandler(env::get);
    row(alice, 1, "a.txt", 1);

    HttpResult bySize = HttpResult.invoke(upgrading, list(asUser(alice), Map.of("sort", "size")));
    HttpResult byName = HttpResult.invoke(upgrading, list(asUser(alice), Map.of("sort", "name")));

    assertThat(bySize.status()).isEqualTo(400);
    assertThat(bySize.code()).isEqualTo("sort_unavailable");
    assertThat(byName.status()).isEqualTo(200);
    assertThat(names(List.of(byName.body()))).containsExactly("a.txt");
  }

  @Test
  void aRowWrittenBeforeNameSortExistedIsStillFoundWhateverTheCase() {
    String key = row(alice, 1, "Old-Quarterly-Report.pdf", 9);
    bucket
        .emulators()
        .dynamoDbClient()
        .updateItem(
            r ->
                r.tableName(Emulators.TABLE)
                    .key(
                        Map.of(
                            "bucket", AttributeValue.fromS(bucket.name()),
                            "object_key", AttributeValue.fromS(key)))
                    .updateExpression("REMOVE name_sort"));
    row(alice, 2, "holiday.png", 3);

    assertThat(names(allPages(asUser(alice), Map.of("q", "quarterly"))))
        .containsExactly("Old-Quarterly-Report.pdf");
  }

  @Test
  void anEmptySearchIsTheWholeListingAndNoMatchIsAnEmptyPage() {
    row(alice, 1, "a.txt", 1);

    assertThat(names(allPages(asUser(alice), Map.of("q", "   ")))).containsExactly("a.txt");
    JsonNode none = HttpResult.invoke(handler, list(asUser(alice), Map.of("q", "zzz"))).body();
    assertThat(none.path("items")).isEmpty();
    assertThat(none.path("next_cursor").isNull()).isTrue();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /** A live row of the owner's, uploaded {@code i} seconds into the minute, as sync writes it. */
  private String row(String owner, int i, String name, long size) {
    String key = String.format("incoming/%s/%04d/%s", owner, i, name);
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("bucket", AttributeValue.fromS(bucket.name()));
    item.put("object_key", AttributeValue.fromS(key));
    item.put("owner", AttributeValue.fromS(owner));
    item.put("file_name", AttributeValue.fromS(name));
    item.put("name_sort", AttributeValue.fromS(name.toLowerCase(Locale.ROOT)));
    item.put("size", AttributeValue.fromN(Long.toString(size)));
    item.put("content_type", AttributeValue.fromS("text/plain"));
    item.put(
        "uploaded_at",
        AttributeValue.fromS(String.format("2026-11-21T08:%02d:%02d.000Z", i / 60, i % 60)));
    item.put("etag", AttributeValue.fromS("e"));
    item.put("sequencer", AttributeValue.fromS("0".repeat(31) + "1"));
    bucket.emulators().dynamoDbClient().putItem(r -> r.tableName(Emulators.TABLE).item(item));
    return key;
  }

  private static JsonNode asUser(String sub) {
    return Events.asUser(Events.load("http-api-list-metadata"), sub);
  }

  private static JsonNode list(JsonNode base, Map<String, String> query) {
    return Events.withQuery(
        (com.fasterxml.jackson.databind.node.ObjectNode) base.deepCopy(), query);
  }

  private int status(Map<String, String> query) {
    return HttpResult.invoke(handler, list(asUser(alice), query)).status();
  }

  private List<JsonNode> allPages(JsonNode base, Map<String, String> query) {
    return allPages(handler, base, query);
  }

  private static List<JsonNode> allPages(
      ListFilesHandler target, JsonNode base, Map<String, String> query) {
    List<JsonNode> pages = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      Map<String, String> q = new HashMap<>(query);
      cursor.ifPresent(c -> q.put("cursor", c));
      HttpResult page = HttpResult.invoke(target, list(base, q));
      assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
      pages.add(page.body());
      JsonNode next = page.body().path("next_cursor");
      cursor = next.isNull() ? Optional.empty() : Optional.of(next.asText());
    } while (cursor.isPresent() && pages.size() < 100);
    return pages;
  }

  private static List<String> keys(List<JsonNode> pages) {
    List<String> keys = new ArrayList<>();
    pages.forEach(p -> p.path("items").forEach(i -> keys.add(i.path("object_key").asText())));
    return keys;
  }

  private static List<String> names(List<JsonNode> pages) {
    List<String> names = new ArrayList<>();
    pages.forEach(p -> p.path("items").forEach(i -> names.add(i.path("file_name").asText())));
    return names;
  }
}
