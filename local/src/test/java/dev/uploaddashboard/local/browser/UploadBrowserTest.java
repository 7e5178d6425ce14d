package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.FilePayload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Uploading through the presigned PUT, with progress; the new file reaches the list via the sync
 * path.
 */
class UploadBrowserTest extends DashboardTestBase {

  private static final int UPLOAD_BYTES = 3 * 1024 * 1024;

  @Test
  void uploadShowsProgressThenTheFileIsListedAndOpens() {
    seedSampleFiles();
    open();
    // Slow the upload link down (about 1.5 MB/s) so progress is visible, as it is over a real
    // network.
    throttleUploads(1_500_000);
    recordProgressValues();

    byte[] body = new byte[UPLOAD_BYTES];
    java.util.Arrays.fill(body, (byte) 'a');
    page.locator("#file-input")
        .setInputFiles(new FilePayload("site-backup.txt", "text/plain", body));

    Locator item =
        page.locator(
            ".upload-item",
            new com.microsoft.playwright.Page.LocatorOptions().setHasText("site-backup.txt"));
    Locator progress = item.locator("progress");
    expect(progress).isVisible();
    expect(item).hasAttribute("data-state", "uploading");
    expect(item.locator(".upload__status")).containsText("%");
    page.waitForCondition(
        () ->
            (Boolean)
                page.evaluate(
                    "() => { const p = document.querySelector('.upload-item progress'); return p.value > p.max / 4; }"));
    screenshot("upload-progress");

    expect(item)
        .hasAttribute(
            "data-state",
            "done",
            new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions()
                .setTimeout(30_000));
    expect(progress).hasAttribute("value", String.valueOf(UPLOAD_BYTES));
    @SuppressWarnings("unchecked")
    List<Number> seen = (List<Number>) page.evaluate("() => window.progressValues");
    assertThat(seen)
        .as("progress values seen while uploading")
        .anySatisfy(value -> assertThat(value.doubleValue()).isBetween(1.0, UPLOAD_BYTES - 1.0));
    assertThat(seen.get(seen.size() - 1).intValue()).isEqualTo(UPLOAD_BYTES);
    screenshot("upload-done");

    // Listed because the server lists it (newest first), not because the page made up a row.
    expect(rows().first()).containsText("site-backup.txt");
    expect(rows()).hasCount(5);
    fileButton("site-backup.txt").click();
    expect(page.locator("#details-name")).hasText("site-backup.txt");
    expect(page.locator("#details .preview__text")).containsText("aaaa");
    expect(page.locator("#details")).containsText("Showing the first 64 KB");

    String key = (String) page.locator("#details .details__card").getAttribute("data-key");
    assertThat(key).startsWith("incoming/").endsWith("/site-backup.txt");
    assertThat(
            product
                .s3Client()
                .headObject(b -> b.bucket(product.bucketName()).key(key))
                .contentLength())
        .isEqualTo(UPLOAD_BYTES);
    assertThat(liveRow(key))
        .get()
        .satisfies(
            row -> {
              assertThat(row.get("file_name")).isEqualTo(AttributeValue.fromS("site-backup.txt"));
              assertThat(row.get("content_type")).isEqualTo(AttributeValue.fromS("text/plain"));
            });
  }

  @Test
  void severalFilesAtOnceEachGetTheirOwnProgressAndAllAreListed() {
    open();
    page.locator("#file-input")
        .setInputFiles(
            new FilePayload[] {
              new FilePayload("a.txt", "text/plain", "alpha".getBytes(StandardCharsets.UTF_8)),
              new FilePayload(
                  "b.json", "application/json", "{\"b\": 2}".getBytes(StandardCharsets.UTF_8)),
              new FilePayload("c.bin", "", new byte[] {1, 2, 3}),
            });

    expect(page.locator(".upload-item")).hasCount(3);
    expect(page.locator(".upload-item[data-state=done]")).hasCount(3);
    expect(rows()).hasCount(3);
    fileButton("c.bin").click();
    // No type from the browser: the dashboard sends application/octet-stream.
    expect(page.locator("#details")).containsText("Binary");
  }

  @Test
  void droppedFilesAreUploaded() {
    open();
    page.evaluate(
        "() => {"
            + " const data = new DataTransfer();"
            + " data.items.add(new File(['dropped text'], 'dropped.txt', { type: 'text/plain' }));"
            + " const zone = document.getElementById('dropzone');"
            + " zone.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: data }));"
            + " zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));"
            + "}");
    expect(page.locator(".upload-item[data-state=done]")).hasCount(1);
    expect(fileButton("dropped.txt")).isVisible();
    expect(page.locator("#dropzone"))
        .not()
        .hasClass(java.util.regex.Pattern.compile("is-dragging"));
  }

  @Test
  void refusedUploadLinkIsExplainedAndCanBeRetried() {
    open();
    // Storage refuses the presigned PUT once (as S3 does for an expired URL), then accepts the
    // retry.
    java.util.concurrent.atomic.AtomicBoolean refused =
        new java.util.concurrent.atomic.AtomicBoolean();
    page.route(
        product.s3Endpoint() + "/**",
        route -> {
          if (route.request().method().equals("PUT") && refused.compareAndSet(false, true)) {
            route.fulfill(
                new com.microsoft.playwright.Route.FulfillOptions()
                    .setStatus(403)
                    .setHeaders(
                        java.util.Map.of(
                            "Access-Control-Allow-Origin", product.dashboardUrl().toString()))
                    .setBody(
                        "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>"));
          } else {
            route.resume();
          }
        });
    page.locator("#file-input")
        .setInputFiles(
            new FilePayload("late.txt", "text/plain", "late".getBytes(StandardCharsets.UTF_8)));

    Locator item = page.locator(".upload-item");
    expect(item).hasAttribute("data-state", "failed");
    expect(item).containsText("The upload link expired or was refused");
    expect(rows()).hasCount(0);

    item.getByText("Retry").click();
    expect(item).hasAttribute("data-state", "done");
    expect(fileButton("late.txt")).isVisible();
  }

  @Test
  void tooLargeFileIsRefusedWithTheLimit() {
    open();
    page.route(
        product.apiUrl() + "/uploads",
        route ->
            route.fulfill(
                new com.microsoft.playwright.Route.FulfillOptions()
                    .setStatus(413)
                    .setHeaders(
                        java.util.Map.of(
                            "Access-Control-Allow-Origin",
                            product.dashboardUrl().toString(),
                            "Content-Type",
                            "application/json"))
                    .setBody("{\"error\": \"File is too large\", \"code\": \"too_large\"}")));
    page.locator("#file-input")
        .setInputFiles(new FilePayload("huge.bin", "application/octet-stream", new byte[2048]));

    Locator item = page.locator(".upload-item");
    expect(item).hasAttribute("data-state", "failed");
    expect(item).containsText("Too large");
    expect(rows()).hasCount(0);
  }

  private void throttleUploads(int bytesPerSecond) {
    CDPSession cdp = context.newCDPSession(page);
    cdp.send("Network.enable");
    JsonObject conditions = new JsonObject();
    conditions.addProperty("offline", false);
    conditions.addProperty("latency", 0);
    conditions.addProperty("downloadThroughput", -1);
    conditions.addProperty("uploadThroughput", bytesPerSecond);
    cdp.send("Network.emulateNetworkConditions", conditions);
  }

  /** Records every value the progress bar takes, to prove it moved through intermediate values. */
  private void recordProgressValues() {
    page.evaluate(
        "() => {"
            + " window.progressValues = [];"
            + " new MutationObserver(() => {"
            + "   const p = document.querySelector('.upload-item progress');"
            + "   if (p && p.hasAttribute('value')) window.progressValues.push(p.value);"
            + " }).observe(document.getElementById('upload-list'), { subtree: true, childList: true, attributes: true });"
            + "}");
  }
}
