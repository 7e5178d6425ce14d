package dev.uploaddashboard.local.browser;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.LoadState;
import dev.uploaddashboard.local.LocalOptions;
import dev.uploaddashboard.local.LocalProduct;
import dev.uploaddashboard.local.auth.DevUser;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The dashboard's performance budget, measured in real Chromium against local mode (run by {@code
 * bin/bench}; not a JUnit test). Prints one table:
 *
 * <ul>
 *   <li>first-load transfer: bytes on the wire as Chromium counts them (CDP {@code
 *       encodedDataLength}: headers plus compressed body), cold cache, up to the first page of the
 *       list, no previews; the load of a tab that has signed in already (as {@code admin}, who sees
 *       every seeded row), as after a reload;
 *   <li>navigation to first page on screen, with 10,000 rows in the table;
 *   <li>"Load more" to the next page on screen;
 *   <li>Confirm click in the delete dialog to the list settled (row gone, list reloaded from the
 *       server).
 * </ul>
 *
 * Times are taken inside the page with {@code performance.now()}, two animation frames after the
 * DOM change (so the frame has been painted). Each figure is the median over several runs.
 *
 * <p>Each measure has a budget (the README's Performance table). The process exits with status 2
 * and names the measures over budget when any median exceeds its budget, and with 1 when the
 * benchmark itself fails.
 *
 * <p>Arguments: {@code --rows N} (default 10000), {@code --runs N} (default 7).
 */
public final class DashboardBenchmark {

  private static final DateTimeFormatter UPLOADED_AT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final double BUDGET_BYTES = 100 * 1024;
  private static final double BUDGET_FIRST_PAGE_MS = 1000;
  private static final double BUDGET_NEXT_PAGE_MS = 1000;
  private static final double BUDGET_DELETE_MS = 1000;
  private static final double BUDGET_SEARCH_MS = 1000;
  private static final double BUDGET_BULK_DELETE_MS = 10_000;
  private static final int BULK_FILES = 1000;
  static final int OVER_BUDGET = 2;

  /**
   * Records when rows first appear, two frames later (painted). Installed before any page script.
   */
  private static final String FIRST_ROWS_PROBE =
      """
      (() => {
        const observer = new MutationObserver(() => {
          const rows = document.getElementById('file-rows');
          if (rows && rows.rows.length > 0) {
            observer.disconnect();
            requestAnimationFrame(() => requestAnimationFrame(() => { window.benchFirstRows = performance.now(); }));
          }
        });
        observer.observe(document, { childList: true, subtree: true });
      })()""";

  /**
   * Clicks a button, then resolves with the ms until {@code settled()} holds and two frames have
   * passed.
   */
  private static final String TIME_UNTIL =
      """
      ([buttonSelector, settledSource]) => new Promise((resolve, reject) => {
        const settled = new Function('return (' + settledSource + ')()');
        const start = performance.now();
        const done = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
        const observer = new MutationObserver(() => { if (settled()) { observer.disconnect(); done(); } });
        observer.observe(document.body, { childList: true, subtree: true, attributes: true });
        setTimeout(() => { observer.disconnect(); reject(new Error('not settled within 20 s')); }, 20000);
        document.querySelector(buttonSelector).click();
      })""";

  private DashboardBenchmark() {}

  public static void main(String[] args) {
    int status;
    try {
      List<String> over = run(args);
      if (over.isEmpty()) {
        System.out.println("All measures within budget.");
        status = 0;
      } else {
        System.err.println("bin/bench: over budget: " + String.join("; ", over));
        status = OVER_BUDGET;
      }
    } catch (Exception | Error e) {
      e.printStackTrace();
      status = 1;
    }
    // Ends the JVM even if a library left a non-daemon thread behind.
    System.exit(status);
  }

  /** Runs the benchmark, prints the table and returns the measures over budget. */
  private static List<String> run(String[] args) throws Exception {
    int rows = intArg(args, "--rows", 10_000);
    int runs = intArg(args, "--runs", 7);
    int realObjects = runs + 3;

    Chromium.executable();
    System.out.printf(
        "Starting local mode; seeding %,d rows in DynamoDB and %d real objects...%n",
        rows, realObjects);
    try (LocalProduct product =
            LocalProduct.start(
                LocalOptions.builder()
                    .inMemory()
                    .ephemeralPorts()
                    .webRoot(RepositoryFiles.root().resolve("web"))
                    .build());
        Playwright playwright = Chromium.playwright();
        Browser browser = Chromium.launch(playwright)) {
      long seedStart = System.nanoTime();
      seedRows(product, rows);
      for (int i = 0; i < realObjects; i++) {
        String name = String.format("real-object-%02d.txt", i);
        product
            .s3Client()
            .putObject(
                b ->
                    b.bucket(product.bucketName())
                        .key("incoming/" + UUID.randomUUID() + "/" + name)
                        .contentType("text/plain"),
                RequestBody.fromString("benchmark object " + i, StandardCharsets.UTF_8));
      }
      product.awaitSyncIdle(Duration.ofSeconds(30));
      System.out.printf(
          "Seeded in %.1f s. Measuring (%d runs each)...%n%n",
          (System.nanoTime() - seedStart) / 1e9, runs);

      String url = product.dashboardUrl() + "/";
      String dashboardOrigin = origin(product.dashboardUrl());

      List<Double> transfer = new ArrayList<>();
      List<Double> transferDashboard = new ArrayList<>();
      List<Double> firstPage = new ArrayList<>();
      List<Double> nextPage = new ArrayList<>();
      List<Double> delete = new ArrayList<>();

      warmUp(browser, product, url);
      for (int run = 0; run < runs; run++) {
        try (BrowserContext context =
            browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 860))) {
          Page page = context.newPage();
          signIn(page, product, url);
          page.addInitScript(FIRST_ROWS_PROBE);
          Map<String, Long> bytesByOrigin = recordTransfer(context, page);

          page.navigate(url);
          page.waitForFunction("() => typeof window.benchFirstRows === 'number'");
          firstPage.add(((Number) page.evaluate("() => window.benchFirstRows")).doubleValue());
          page.waitForLoadState(LoadState.NETWORKIDLE);
          long total = bytesByOrigin.values().stream().mapToLong(Long::longValue).sum();
          transfer.add((double) total);
          transferDashboard.add((double) bytesByOrigin.getOrDefault(dashboardOrigin, 0L));

          // Next pages: "Load more" three times in this run.
          for (int more = 0; more < 3; more++) {
            int before = page.locator("#file-rows tr").count();
            nextPage.add(
                time(
                    page,
                    "#load-more",
                    "() => document.getElementById('file-rows').rows.length > " + before));
          }

          // Delete: the newest real object (top row), Confirm to the list settled.
          page.locator("#file-rows tr").first().locator("[data-action=delete]").click();
          page.locator("#delete-dialog[open]").waitFor();
          String key =
              (String) page.evaluate("() => document.querySelector('#file-rows tr').dataset.key");
          delete.add(
              time(
                  page,
                  "#delete-confirm",
                  "() => !document.getElementById('delete-dialog').open"
                      + " && !document.querySelector('#file-rows tr[data-key=\""
                      + key
                      + "\"]')"
                      + " && document.getElementById('file-table').getAttribute('aria-busy') === 'false'"));
        }
      }

      // The API itself, as the signed-in admin: searches and orders over the whole listing, and
      // one bulk delete of 1,000 real files (objects and rows, through the sync path).
      Map<String, List<Double>> api = new LinkedHashMap<>();
      String token;
      try (BrowserContext context = browser.newContext()) {
        Page page = context.newPage();
        signIn(page, product, url);
        token =
            (String)
                page.evaluate(
                    "() => JSON.parse(sessionStorage.getItem('upload-dashboard.session')).accessToken");
      }
      ApiClient client = new ApiClient(product.apiUrl(), token);
      Map<String, String> searches = new LinkedHashMap<>();
      searches.put("search, rare match: first page (reads all rows)", "q=archive-0999&limit=50");
      searches.put("search, common match: first page", "q=.PDF&limit=50");
      searches.put("sort by name: first page", "sort=name&order=asc&limit=50");
      searches.put("sort by size, largest first: first page", "sort=size&order=desc&limit=50");
      for (Map.Entry<String, String> search : searches.entrySet()) {
        client.get(search.getValue()); // warm-up
        List<Double> times = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
          times.add(client.get(search.getValue()));
        }
        api.put(search.getKey(), times);
      }
      List<String> bulk = seedFiles(product, BULK_FILES);
      List<Double> bulkDelete = List.of(client.deleteAll(product.bucketName(), bulk));
      product.awaitSyncIdle(Duration.ofSeconds(60));
      long left = bulk.stream().filter(key -> objectExists(product, key)).count();
      if (left > 0) {
        throw new IllegalStateException(left + " of the bulk-deleted objects are still there");
      }

      String chromium = browser.version();
      System.out.printf(
          "Upload dashboard benchmark: local mode, Chromium %s, %,d rows + %d objects, median of %d runs%n",
          chromium, rows, realObjects, runs);
      String line = "-".repeat(86);
      System.out.println(line);
      System.out.printf("%-46s %10s %10s %10s  %s%n", "measure", "median", "min", "max", "budget");
      System.out.println(line);
      List<String> over = new ArrayList<>();
      printBytes(
          "first load transfer, total (cold cache)",
          transfer,
          budget(over, "first load transfer", median(transfer), BUDGET_BYTES, kb(BUDGET_BYTES)));
      printBytes("  of which the dashboard's own files", transferDashboard, "");
      printBytes("  of which API calls (first page)", minus(transfer, transferDashboard), "");
      printMillis(
          "navigation -> first page on screen",
          firstPage,
          budget(
              over,
              "first page on screen",
              median(firstPage),
              BUDGET_FIRST_PAGE_MS,
              ms(BUDGET_FIRST_PAGE_MS)));
      printMillis(
          "Load more -> next page on screen",
          nextPage,
          budget(
              over,
              "next page on screen",
              median(nextPage),
              BUDGET_NEXT_PAGE_MS,
              ms(BUDGET_NEXT_PAGE_MS)));
      printMillis(
          "delete: Confirm -> list settled",
          delete,
          budget(over, "delete settled", median(delete), BUDGET_DELETE_MS, ms(BUDGET_DELETE_MS)));
      for (Map.Entry<String, List<Double>> measure : api.entrySet()) {
        printMillis(
            "API " + measure.getKey(),
            measure.getValue(),
            budget(
                over,
                measure.getKey(),
                median(measure.getValue()),
                BUDGET_SEARCH_MS,
                ms(BUDGET_SEARCH_MS)));
      }
      printMillis(
          "API bulk delete of " + BULK_FILES + " files (one request)",
          bulkDelete,
          budget(
              over,
              "bulk delete",
              median(bulkDelete),
              BUDGET_BULK_DELETE_MS,
              ms(BUDGET_BULK_DELETE_MS)));
      System.out.println(line);
      return over;
    }
  }

  /**
   * The budget column ({@code "< 1000 ms (ok)"}); a median over budget is added to {@code over}.
   */
  private static String budget(
      List<String> over, String measure, double median, double limit, String limitText) {
    if (median < limit) {
      return "< " + limitText + " (ok)";
    }
    over.add(
        measure
            + " median "
            + (limitText.endsWith("KB") ? kb(median) : ms(median))
            + " >= "
            + limitText);
    return "< " + limitText + " (OVER)";
  }

  /**
   * Opens the dashboard once so the JVM, Chromium and local mode are warm before anything is timed.
   */
  private static void warmUp(Browser browser, LocalProduct product, String url) {
    try (BrowserContext context = browser.newContext()) {
      Page page = context.newPage();
      signIn(page, product, url);
      page.locator("#file-rows tr").first().waitFor();
    }
  }

  /**
   * Signs the tab in as admin through the identity provider's page; the tab keeps its session
   * afterwards.
   */
  private static void signIn(Page page, LocalProduct product, String url) {
    DevUser admin = product.user("admin");
    page.navigate(url);
    page.locator("#sign-in-button").click();
    page.getByLabel("Username").fill(admin.name());
    page.getByLabel("Password").fill(admin.password());
    page.locator("button[type=submit]").click();
    page.locator("#account-name:not(:empty)").waitFor();
  }

  /** Sums CDP encodedDataLength (wire bytes: headers and body as received) per origin. */
  private static Map<String, Long> recordTransfer(BrowserContext context, Page page) {
    CDPSession cdp = context.newCDPSession(page);
    Map<String, String> originByRequest = new ConcurrentHashMap<>();
    Map<String, Long> bytesByOrigin = new ConcurrentHashMap<>();
    cdp.on(
        "Network.requestWillBeSent",
        event ->
            originByRequest.put(
                event.get("requestId").getAsString(),
                origin(URI.create(event.getAsJsonObject("request").get("url").getAsString()))));
    cdp.on(
        "Network.loadingFinished",
        event -> {
          String origin = originByRequest.getOrDefault(event.get("requestId").getAsString(), "?");
          bytesByOrigin.merge(origin, event.get("encodedDataLength").getAsLong(), Long::sum);
        });
    cdp.send("Network.enable");
    JsonObject noCache = new JsonObject();
    noCache.addProperty("cacheDisabled", true);
    cdp.send("Network.setCacheDisabled", noCache);
    return bytesByOrigin;
  }

  private static double time(Page page, String buttonSelector, String settled) {
    return ((Number) page.evaluate(TIME_UNTIL, List.of(buttonSelector, settled))).doubleValue();
  }

  /** Real files of the admin (objects through S3 and sync); returns their keys. */
  private static List<String> seedFiles(LocalProduct product, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = String.format(Locale.ROOT, "incoming/%s/bulk-%04d.txt", UUID.randomUUID(), i);
      product
          .s3Client()
          .putObject(
              b -> b.bucket(product.bucketName()).key(key).contentType("text/plain"),
              RequestBody.fromString("bulk " + key, StandardCharsets.UTF_8));
      keys.add(key);
    }
    product.awaitSyncIdle(Duration.ofSeconds(120));
    return keys;
  }

  private static boolean objectExists(LocalProduct product, String key) {
    try {
      product.s3Client().headObject(b -> b.bucket(product.bucketName()).key(key));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** The API over HTTP with a bearer token; each call returns its wall time in milliseconds. */
  private record ApiClient(URI base, String token) {
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    double get(String query) throws Exception {
      return send(
          java.net.http.HttpRequest.newBuilder(URI.create(base + "/metadata?" + query)).GET(),
          "GET /metadata?" + query);
    }

    double deleteAll(String bucket, List<String> keys) throws Exception {
      StringBuilder body = new StringBuilder("{\"bucket\":\"" + bucket + "\",\"keys\":[");
      for (int i = 0; i < keys.size(); i++) {
        body.append(i == 0 ? "\"" : ",\"").append(keys.get(i)).append('"');
      }
      body.append("]}");
      return send(
          java.net.http.HttpRequest.newBuilder(URI.create(base + "/metadata"))
              .header("Content-Type", "application/json")
              .method("DELETE", java.net.http.HttpRequest.BodyPublishers.ofString(body.toString())),
          "DELETE /metadata (" + keys.size() + " keys)");
    }

    private double send(java.net.http.HttpRequest.Builder request, String label) throws Exception {
      long start = System.nanoTime();
      java.net.http.HttpResponse<String> response =
          HTTP.send(
              request.header("Authorization", "Bearer " + token).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      double millis = (System.nanoTime() - start) / 1e6;
      boolean allDeleted = !label.startsWith("DELETE") || response.body().contains("\"failed\":0");
      if (response.statusCode() != 200 || !allDeleted) {
        throw new IllegalStateException(
            label + " answered " + response.statusCode() + ": " + response.body());
      }
      return millis;
    }
  }

  /** Rows as the sync writes them, older than the real objects, written with BatchWriteItem. */
  private static void seedRows(LocalProduct product, int count) {
    DynamoDbClient dynamo = product.dynamoDbClient();
    Instant start = Instant.now().minus(Duration.ofDays(30));
    String[] types = {"application/pdf", "image/png", "text/csv", "application/zip", "text/plain"};
    String[] extensions = {"pdf", "png", "csv", "zip", "txt"};
    List<WriteRequest> batch = new ArrayList<>(25);
    for (int i = 0; i < count; i++) {
      String name =
          String.format(Locale.ROOT, "archive-%05d.%s", i, extensions[i % extensions.length]);
      Map<String, AttributeValue> item = new HashMap<>();
      item.put("bucket", AttributeValue.fromS(product.bucketName()));
      item.put("object_key", AttributeValue.fromS("incoming/" + UUID.randomUUID() + "/" + name));
      item.put("file_name", AttributeValue.fromS(name));
      item.put("name_sort", AttributeValue.fromS(name.toLowerCase(Locale.ROOT)));
      item.put("size", AttributeValue.fromN(Long.toString(1_000L + 7_919L * i)));
      item.put("content_type", AttributeValue.fromS(types[i % types.length]));
      item.put("uploaded_at", AttributeValue.fromS(UPLOADED_AT.format(start.plusSeconds(i * 60L))));
      item.put("etag", AttributeValue.fromS("\"" + Integer.toHexString(i) + "\""));
      item.put("sequencer", AttributeValue.fromS(String.format("%032X", i)));
      batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
      if (batch.size() == 25 || i == count - 1) {
        write(dynamo, product.tableName(), batch);
        batch = new ArrayList<>(25);
      }
    }
  }

  private static void write(DynamoDbClient dynamo, String table, List<WriteRequest> batch) {
    Map<String, List<WriteRequest>> pending = Map.of(table, batch);
    while (!pending.isEmpty()) {
      final Map<String, List<WriteRequest>> request = pending;
      BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b.requestItems(request));
      pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
    }
  }

  private static String origin(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
  }

  private static List<Double> minus(List<Double> a, List<Double> b) {
    List<Double> result = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      result.add(a.get(i) - b.get(i));
    }
    return result;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static void printBytes(String label, List<Double> values, String budget) {
    System.out.printf(
        "%-46s %10s %10s %10s  %s%n",
        label,
        kb(median(values)),
        kb(Collections.min(values)),
        kb(Collections.max(values)),
        budget);
  }

  private static void printMillis(String label, List<Double> values, String budget) {
    System.out.printf(
        "%-46s %10s %10s %10s  %s%n",
        label,
        ms(median(values)),
        ms(Collections.min(values)),
        ms(Collections.max(values)),
        budget);
  }

  private static String kb(double bytes) {
    return String.format(Locale.ROOT, "%.1f KB", bytes / 1024);
  }

  private static String ms(double millis) {
    return String.format(Locale.ROOT, "%.0f ms", millis);
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }
}
