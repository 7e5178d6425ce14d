package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Selecting many files and deleting them in batches: progress, failures, retry, other tabs. */
class BulkDeleteBrowserTest extends DashboardTestBase {

  @Test
  void select250FilesAndDeleteThemInBatchesWithProgress() {
    List<String> names =
        IntStream.range(0, 250).mapToObj(i -> String.format("bulk-%03d.txt", i)).toList();
    List<Seeded> files =
        seedMany(DEFAULT_USER, names, "text/plain", name -> name.getBytes(StandardCharsets.UTF_8));
    Page other = newPage();
    open();
    open(other);
    expect(rows()).hasCount(50);
    expect(rows(other)).hasCount(50);
    List<Map<String, Object>> deletes = recordBulkDeletes();
    recordProgressTexts();

    page.locator("#select-page").check();
    expect(toolbar()).containsText("50 selected");
    button(toolbar(), "Select all files").click();
    expect(toolbar()).containsText("All 250 files are selected");
    button(toolbar(), "Delete 250 files").click();

    expect(dialog()).containsText("Delete 250 files?");
    expect(dialog().locator("#bulk-names")).isHidden(); // too many to name one by one
    expect(button(dialog(), "Cancel")).isFocused();
    button(dialog(), "Delete 250 files").click();

    expect(dialog()).isHidden(SLOW);
    expect(page.locator("#list-status")).containsText("No files yet");
    expect(page.locator("#notice")).containsText("Deleted 250 files.");
    expect(toolbar()).isHidden();
    assertThat(progressTexts())
        .contains("Deleting 100 of 250…", "Deleting 200 of 250…", "Deleting 250 of 250…");

    // Three requests of at most 100 keys, together every selected key once.
    assertThat(deletes).hasSize(3);
    List<String> sent = new ArrayList<>();
    for (Map<String, Object> body : deletes) {
      assertThat(body.get("bucket")).isEqualTo(product.bucketName());
      @SuppressWarnings("unchecked")
      List<String> keys = (List<String>) body.get("keys");
      assertThat(keys).hasSizeLessThanOrEqualTo(100);
      sent.addAll(keys);
    }
    assertThat(sent).containsExactlyInAnyOrderElementsOf(files.stream().map(Seeded::key).toList());

    // The other tab hears about it and reloads by itself.
    expect(other.locator("#list-status")).containsText("No files yet");
    expect(rows(other)).hasCount(0);

    product.awaitSyncIdle(SYNC_TIMEOUT);
    for (Seeded file : files) {
      assertThat(objectExists(file.key())).as("S3 object %s", file.name()).isFalse();
      assertThat(liveRow(file.key())).as("DynamoDB row %s", file.name()).isEmpty();
    }
  }

  @Test
  void partialFailureListsTheFileAndRetryFailedDeletesIt() {
    Seeded first = seedText("alpha.txt", "a");
    Seeded second = seedText("beta.txt", "b");
    Seeded third = seedText("gamma.txt", "c");
    open();
    expect(rows()).hasCount(3);

    for (Seeded file : List.of(first, second, third)) {
      rowCheckbox(file.name()).check();
    }
    expect(toolbar()).containsText("3 selected");
    button(toolbar(), "Delete 3 files").click();
    // Few files: the dialog names each of them.
    for (Seeded file : List.of(first, second, third)) {
      expect(dialog().locator("#bulk-names")).containsText(file.name());
    }

    product.failObjectDeletes(key -> key.equals(second.key()));
    button(dialog(), "Delete 3 files").click();

    Locator failures = dialog().locator("#bulk-failures li");
    expect(failures).hasCount(1);
    expect(failures).containsText(second.name());
    expect(dialog().getByRole(AriaRole.ALERT)).containsText("1 file could not be deleted");
    expect(button(dialog(), "Retry failed")).isFocused();
    expect(rows()).hasCount(1); // the list reloaded behind the dialog
    expect(fileButton(second.name())).isVisible();
    expect(toolbar()).containsText("1 selected"); // the failed file stays selected
    screenshot("bulk-delete-failure");
    product.awaitSyncIdle(SYNC_TIMEOUT);
    assertThat(objectExists(first.key())).isFalse();
    assertThat(objectExists(third.key())).isFalse();
    assertThat(objectExists(second.key())).isTrue();
    assertThat(liveRow(second.key())).isPresent();

    product.failObjectDeletes(false);
    button(dialog(), "Retry failed").click();

    expect(dialog()).isHidden();
    expect(page.locator("#list-status")).containsText("No files yet");
    expect(page.locator("#notice")).containsText("Deleted 1 file.");
    product.awaitSyncIdle(SYNC_TIMEOUT);
    for (Seeded file : List.of(first, second, third)) {
      assertThat(objectExists(file.key())).as("S3 object %s", file.name()).isFalse();
      assertThat(liveRow(file.key())).as("DynamoDB row %s", file.name()).isEmpty();
    }
  }

  @Test
  void keyboardSelectionAndEscapeCancelKeepEverything() {
    List<Seeded> files = seedSampleFiles();
    open();

    rowCheckbox(files.get(0).name()).focus();
    page.keyboard().press(" ");
    rowCheckbox(files.get(1).name()).focus();
    page.keyboard().press(" ");
    expect(toolbar()).containsText("2 selected");
    expect(page.locator("#select-page")).not().isChecked();
    assertThat(
            (Boolean) page.evaluate("() => document.getElementById('select-page').indeterminate"))
        .isTrue();

    Locator delete = button(toolbar(), "Delete 2 files");
    delete.focus();
    page.keyboard().press("Enter");
    expect(dialog()).containsText("Delete 2 files?");
    expect(button(dialog(), "Cancel")).isFocused();
    page.keyboard().press("Escape");
    expect(dialog()).isHidden();
    expect(delete).isFocused();
    expect(rows()).hasCount(files.size());
    for (Seeded file : files) {
      assertThat(objectExists(file.key())).isTrue();
    }

    button(toolbar(), "Clear selection").click();
    expect(toolbar()).isHidden();
    expect(rowCheckbox(files.get(0).name())).not().isChecked();
  }

  @Test
  void selectionSurvivesLoadMoreAndLosesFilesDeletedElsewhere() {
    List<String> names =
        IntStream.range(0, 55).mapToObj(i -> String.format("page-%02d.txt", i)).toList();
    List<Seeded> files = seedMany(DEFAULT_USER, names, "text/plain", name -> new byte[] {'x'});
    open();
    expect(rows()).hasCount(50);
    page.locator("#select-page").check();
    expect(toolbar()).containsText("50 selected");

    page.getByText("Load more").click();
    expect(rows()).hasCount(55);
    expect(toolbar()).containsText("50 selected");
    assertThat(page.locator("#file-rows input[data-action=select]:checked").count()).isEqualTo(50);
    expect(page.locator("#select-page")).not().isChecked();

    // A selected file is deleted outside the dashboard: after a refresh it leaves the selection.
    String firstShown = shownNames().get(0);
    Seeded gone = files.stream().filter(f -> f.name().equals(firstShown)).findFirst().orElseThrow();
    product.s3Client().deleteObject(b -> b.bucket(product.bucketName()).key(gone.key()));
    product.awaitSyncIdle(SYNC_TIMEOUT);
    page.getByText("Refresh").click();
    expect(rows()).hasCount(54);
    expect(toolbar()).containsText("49 selected");
  }

  // --- helpers

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final com.microsoft.playwright.assertions.LocatorAssertions.IsHiddenOptions SLOW =
      new com.microsoft.playwright.assertions.LocatorAssertions.IsHiddenOptions()
          .setTimeout(30_000);

  static Locator button(Locator scope, String name) {
    return scope.getByRole(
        AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
  }

  /** The JSON bodies of DELETE /metadata requests with "keys", as the page sends them. */
  private List<Map<String, Object>> recordBulkDeletes() {
    List<Map<String, Object>> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
    page.onRequest(
        request -> {
          if (request.method().equals("DELETE") && request.url().contains("/metadata")) {
            Map<String, Object> body;
            try {
              body =
                  JSON.readValue(request.postData(), new TypeReference<Map<String, Object>>() {});
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            if (body.containsKey("keys")) {
              bodies.add(body);
            }
          }
        });
    return bodies;
  }

  /** Remembers each text the progress line shows (the batches pass too fast to poll). */
  private void recordProgressTexts() {
    page.evaluate(
        "() => { window.__progress = []; const t = document.getElementById('bulk-progress-text');"
            + " new MutationObserver(() => window.__progress.push(t.textContent))"
            + ".observe(t, { childList: true, characterData: true, subtree: true }); }");
  }

  @SuppressWarnings("unchecked")
  private List<String> progressTexts() {
    return (List<String>) page.evaluate("() => window.__progress");
  }
}
