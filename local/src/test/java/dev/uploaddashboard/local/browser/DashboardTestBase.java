package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.uploaddashboard.local.LocalOptions;
import dev.uploaddashboard.local.LocalProduct;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The product in local mode (in memory, free ports) and one Chromium per test class; a fresh
 * browser context and page per test, and an empty bucket and table before each test. Pages sign in
 * through the development identity provider's real sign-in page, as {@value #DEFAULT_USER} unless a
 * test says otherwise.
 */
abstract class DashboardTestBase {
  /** axe-core's source, read on first use. */
  private static final class AxeSource {
    static final String TEXT = read();

    private static String read() {
      try {
        return java.nio.file.Files.readString(RepositoryFiles.axeScript());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  static final Duration SYNC_TIMEOUT = Duration.ofSeconds(15);
  static final String DEFAULT_USER = "alice";

  /** sessionStorage key of the dashboard's tokens (web/js/auth.js). */
  static final String SESSION_KEY = "upload-dashboard.session";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * Starts the test class's product with this access (and ID) token lifetime instead of an hour.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface AccessTokenLifetime {
    int seconds();
  }

  /** Starts the test class's product offering only these list orders ({@code SORT_ORDERS}). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface SortOrders {
    String value();
  }

  static LocalProduct product;
  static Playwright playwright;
  static Browser browser;

  BrowserContext context;
  Page page;
  final List<String> pageErrors = new ArrayList<>();

  @BeforeAll
  static void startProductAndBrowser(TestInfo info) throws Exception {
    Chromium.executable(); // fail fast, with the install hint, before starting anything
    LocalOptions.Builder options =
        LocalOptions.builder()
            .inMemory()
            .ephemeralPorts()
            .webRoot(RepositoryFiles.root().resolve("web"));
    info.getTestClass()
        .map(type -> type.getAnnotation(AccessTokenLifetime.class))
        .ifPresent(lifetime -> options.accessTokenLifetime(Duration.ofSeconds(lifetime.seconds())));
    info.getTestClass()
        .map(type -> type.getAnnotation(SortOrders.class))
        .ifPresent(orders -> options.sortOrders(orders.value()));
    product = LocalProduct.start(options.build());
    playwright = Chromium.playwright();
    browser = Chromium.launch(playwright);
  }

  @AfterAll
  static void stopProductAndBrowser() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (product != null) {
      product.close();
    }
  }

  @BeforeEach
  void freshStateAndPage() {
    product.failObjectDeletes(false);
    emptyBucketAndTable();
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 860));
    context.setDefaultTimeout(15_000);
    page = newPage();
  }

  @AfterEach
  void closeContext() {
    if (context != null) {
      context.close();
    }
    assertThat(pageErrors).as("uncaught errors in the page").isEmpty();
  }

  Page newPage() {
    Page created = context.newPage();
    created.onPageError(error -> pageErrors.add(error));
    return created;
  }

  /**
   * Deletes every object (the sync writes tombstones), then every row, so each test starts empty.
   */
  static void emptyBucketAndTable() {
    var s3 = product.s3Client();
    for (S3Object object :
        s3.listObjectsV2Paginator(b -> b.bucket(product.bucketName())).contents()) {
      s3.deleteObject(b -> b.bucket(product.bucketName()).key(object.key()));
    }
    product.awaitSyncIdle(SYNC_TIMEOUT);
    var dynamo = product.dynamoDbClient();
    for (Map<String, AttributeValue> item :
        dynamo
            .scanPaginator(ScanRequest.builder().tableName(product.tableName()).build())
            .items()) {
      dynamo.deleteItem(
          b ->
              b.tableName(product.tableName())
                  .key(Map.of("bucket", item.get("bucket"), "object_key", item.get("object_key"))));
    }
  }

  // --- seeding through the product's real sync path
  // --------------------------------------------------

  record Seeded(String name, String key) {}

  /**
   * Puts an object under {@value #DEFAULT_USER}'s prefix and waits until the sync handler has
   * written its row.
   */
  static Seeded seed(String name, String contentType, byte[] body) {
    return seedFor(DEFAULT_USER, name, contentType, body);
  }

  /**
   * An object under the user's prefix ({@code incoming/<sub>/<uuid>/<name>}), so the user owns its
   * row.
   */
  static Seeded seedFor(String user, String name, String contentType, byte[] body) {
    String key = "incoming/" + product.user(user).sub() + "/" + UUID.randomUUID() + "/" + name;
    product
        .s3Client()
        .putObject(
            b -> b.bucket(product.bucketName()).key(key).contentType(contentType),
            RequestBody.fromBytes(body));
    product.awaitSyncIdle(SYNC_TIMEOUT);
    pauseForDistinctTimestamps();
    return new Seeded(name, key);
  }

  /**
   * Puts many objects under the user's prefix at once (a few in parallel), then waits once for the
   * sync: far faster than {@link #seedFor} one by one. The rows' upload times may tie.
   */
  static List<Seeded> seedMany(
      String user,
      List<String> names,
      String contentType,
      java.util.function.Function<String, byte[]> body) {
    String prefix = "incoming/" + product.user(user).sub() + "/";
    List<Seeded> seeded =
        names.stream()
            .map(name -> new Seeded(name, prefix + UUID.randomUUID() + "/" + name))
            .toList();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> puts = new ArrayList<>();
      for (Seeded file : seeded) {
        puts.add(
            pool.submit(
                () ->
                    product
                        .s3Client()
                        .putObject(
                            b ->
                                b.bucket(product.bucketName())
                                    .key(file.key())
                                    .contentType(contentType),
                            RequestBody.fromBytes(body.apply(file.name())))));
      }
      for (var put : puts) {
        put.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdown();
    }
    product.awaitSyncIdle(SYNC_TIMEOUT);
    return seeded;
  }

  static Seeded seedText(String name, String text) {
    return seed(name, "text/plain", text.getBytes(StandardCharsets.UTF_8));
  }

  /** Seeds files oldest first, so the list shows them in reverse order. */
  static List<Seeded> seedSampleFiles() {
    List<Seeded> seeded = new ArrayList<>();
    seeded.add(
        seed(
            "customers-2026.csv",
            "text/csv",
            "id,name,plan\n1,Acme Corp,team\n2,Globex,enterprise\n3,Initech,starter\n"
                .getBytes(StandardCharsets.UTF_8)));
    seeded.add(seed("quarterly-report.pdf", "application/pdf", new byte[184_320]));
    seeded.add(seed("team-photo.png", "image/png", png(640, 400)));
    seeded.add(
        seedText(
            "release-notes.txt",
            "Release 1.4\n\n- Delete files from the dashboard\n"
                + "- Live updates across tabs\n- Faster list loading\n"));
    return seeded;
  }

  /** uploaded_at has millisecond precision: a short pause keeps the seeded order unambiguous. */
  static void pauseForDistinctTimestamps() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A small, real PNG (a gradient), so the image preview has something to show. */
  static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = image.createGraphics();
    graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    graphics.setPaint(
        new GradientPaint(0, 0, new Color(0x2451b7), width, height, new Color(0x7fc8a9)));
    graphics.fillRect(0, 0, width, height);
    graphics.setColor(new Color(255, 255, 255, 90));
    graphics.fillOval(width / 8, height / 6, width / 3, width / 3);
    graphics.fillOval(width / 2, height / 3, width / 4, width / 4);
    graphics.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  // --- product state through the SDK
  // -----------------------------------------------------------------

  static boolean objectExists(String key) {
    try {
      product.s3Client().headObject(b -> b.bucket(product.bucketName()).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    }
  }

  /**
   * The live metadata row, if any. After a delete the sync records a tombstone for the removal (so
   * a late "created" event cannot resurrect the row); a tombstone is not a live row.
   */
  static Optional<Map<String, AttributeValue>> liveRow(String key) {
    Map<String, AttributeValue> item =
        product
            .dynamoDbClient()
            .getItem(
                b ->
                    b.tableName(product.tableName())
                        .key(
                            Map.of(
                                "bucket",
                                AttributeValue.fromS(product.bucketName()),
                                "object_key",
                                AttributeValue.fromS(key)))
                        .consistentRead(true))
            .item();
    return item == null || !item.containsKey("uploaded_at") ? Optional.empty() : Optional.of(item);
  }

  // --- the page
  // ----------------------------------------------------------------------------------------

  static LocatorAssertions expect(Locator locator) {
    return PlaywrightAssertions.assertThat(locator);
  }

  void open() {
    open(page);
  }

  /** Opens the dashboard, signing in as {@value #DEFAULT_USER} if this tab has no session yet. */
  static void open(Page target) {
    open(target, DEFAULT_USER);
  }

  static void open(Page target, String user) {
    target.navigate(product.dashboardUrl() + "/");
    target.locator(DASHBOARD_READY + ", #sign-in:not([hidden])").first().waitFor();
    if (target.locator("#sign-in").isVisible()) {
      signIn(target, user);
    }
    target.locator(DASHBOARD_READY).first().waitFor();
  }

  static final String DASHBOARD_READY =
      "#file-table:not([hidden]), #list-status .empty, #list-status .status--error";

  /**
   * From the dashboard's sign-in screen: "Sign in", then the identity provider's own page
   * (username, password, submit) unless its session cookie signs this context in straight away;
   * back on the dashboard once it shows the user.
   */
  static void signIn(Page target, String user) {
    target
        .getByRole(
            AriaRole.BUTTON,
            new Page.GetByRoleOptions().setName(Pattern.compile("^Sign in( again)?$")))
        .click();
    target.locator("#username, #account-name:not(:empty)").first().waitFor();
    if (target.url().startsWith(product.identityProviderUrl().toString())) {
      submitSignInForm(target, user);
    }
    expect(target.locator("#account-name")).hasText(product.user(user).email());
  }

  /** Fills in and submits the identity provider's sign-in form. */
  static void submitSignInForm(Page target, String user) {
    target.getByLabel("Username").fill(user);
    target.getByLabel("Password").fill(product.user(user).password());
    target.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
  }

  /**
   * The dashboard's sign-in screen, shown instead of the dashboard when this tab has no session.
   */
  static Locator signInScreen(Page target) {
    return target.locator("#sign-in");
  }

  /**
   * A browser context of its own (its own cookies and storage): another person at another computer.
   */
  static BrowserContext newPerson() {
    BrowserContext other =
        browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 860));
    other.setDefaultTimeout(15_000);
    return other;
  }

  /** The token endpoint's status for a refresh_token grant, as the dashboard sends it. */
  static int refreshGrant(String refreshToken) {
    return postToProvider(
        "/oauth2/token",
        Map.of(
            "grant_type",
            "refresh_token",
            "client_id",
            product.clientId(),
            "refresh_token",
            refreshToken));
  }

  /** Revokes a refresh token at the provider, as signing out elsewhere would. */
  static void revoke(String refreshToken) {
    assertThat(
            postToProvider(
                "/oauth2/revoke", Map.of("token", refreshToken, "client_id", product.clientId())))
        .isEqualTo(200);
  }

  private static int postToProvider(String path, Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(product.identityProviderUrl() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The tab's stored session (tokens), or null when signed out. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> storedSession(Page target) {
    return (Map<String, Object>)
        target.evaluate("key => JSON.parse(sessionStorage.getItem(key))", SESSION_KEY);
  }

  static Locator rows(Page target) {
    return target.locator("#file-rows tr");
  }

  Locator rows() {
    return rows(page);
  }

  /** The row's name button, which opens the details panel. */
  static Locator fileButton(Page target, String name) {
    return target
        .locator("#file-rows")
        .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
  }

  Locator fileButton(String name) {
    return fileButton(page, name);
  }

  Locator rowDeleteButton(String name) {
    return page.locator("#file-rows")
        .getByRole(
            AriaRole.BUTTON,
            new Locator.GetByRoleOptions().setName("Delete " + name).setExact(true));
  }

  Locator rowDownloadButton(String name) {
    return page.locator("#file-rows")
        .getByRole(
            AriaRole.BUTTON,
            new Locator.GetByRoleOptions().setName("Download " + name).setExact(true));
  }

  /** The row's checkbox ("Select <name>"). */
  static Locator rowCheckbox(Page target, String name) {
    return target
        .locator("#file-rows")
        .getByRole(
            AriaRole.CHECKBOX,
            new Locator.GetByRoleOptions().setName("Select " + name).setExact(true));
  }

  Locator rowCheckbox(String name) {
    return rowCheckbox(page, name);
  }

  /** The selection toolbar (shown while files are selected). */
  Locator toolbar() {
    return page.locator("#selection-toolbar");
  }

  /** The names in the list, top to bottom. */
  List<String> shownNames() {
    return page.locator("#file-rows th.cell-name").allInnerTexts().stream()
        .map(String::strip)
        .toList();
  }

  Locator detailsPanel() {
    return page.locator("#details");
  }

  Locator dialog() {
    return page.getByRole(AriaRole.DIALOG);
  }

  Locator confirmDeleteButton() {
    return dialog()
        .getByRole(
            AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete").setExact(true));
  }

  String focusedElementDescription() {
    return (String)
        page.evaluate(
            "() => { const e = document.activeElement;"
                + " if (!e || e === document.body) return '';"
                + " return e.getAttribute('aria-label') || e.id || e.textContent.trim(); }");
  }

  /** Runs axe-core on the page; returns serious and critical violations, one line each. */
  @SuppressWarnings("unchecked")
  static List<String> seriousViolations(Page target) {
    if (!(Boolean) target.evaluate("() => typeof window.axe === 'object'")) {
      // Not a <script> tag: the page's real CSP (script-src 'self') rightly refuses inline scripts.
      // Code that Playwright compiles through DevTools is not subject to the page's CSP.
      target.evaluate("() => {\n" + AxeSource.TEXT + "\n}");
    }
    return (List<String>)
        target.evaluate(
            "async () => {"
                + " const result = await axe.run(document, { resultTypes: ['violations'] });"
                + " return result.violations"
                + "   .filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + "   .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);"
                + "}");
  }

  List<String> seriousViolations() {
    return seriousViolations(page);
  }

  void screenshot(String name) {
    screenshot(page, name);
  }

  static void screenshot(Page target, String name) {
    target.screenshot(
        new Page.ScreenshotOptions()
            .setFullPage(true)
            .setPath(RepositoryFiles.screenshots().resolve(name + ".png")));
  }
}
