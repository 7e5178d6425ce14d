package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Search and sort run on the server, over every file, with paging; the URL keeps them. */
class SearchSortBrowserTest extends DashboardTestBase {

  /**
   * 57 photos plus three reports of distinct sizes; the reports' names hold "report" in any case.
   */
  private List<Seeded> seedSixtyFiles() {
    List<String> photos =
        IntStream.range(0, 57).mapToObj(i -> String.format("photo-%02d.jpg", i)).toList();
    List<Seeded> seeded =
        new java.util.ArrayList<>(
            seedMany(
                DEFAULT_USER, photos, "image/jpeg", name -> new byte[100 + name.hashCode() % 50]));
    seeded.add(seed("quarterly-report.pdf", "application/pdf", new byte[184_320]));
    seeded.add(seed("annual REPORT final.docx", "application/octet-stream", new byte[3_000]));
    seeded.add(seed("report-2025.txt", "text/plain", new byte[10]));
    return seeded;
  }

  @Test
  void searchIsCaseInsensitiveAndSortsByNameAndSize() {
    seedSixtyFiles();
    open();
    expect(rows()).hasCount(50);

    search().fill("REPORT");
    expect(rows()).hasCount(3);
    expect(page.locator("#file-count")).hasText("3 files match “REPORT”");
    assertThat(page.url()).contains("q=REPORT");

    sortBy("name:asc");
    expect(rows().first()).containsText("annual REPORT final.docx");
    assertThat(shownNames())
        .containsExactly("annual REPORT final.docx", "quarterly-report.pdf", "report-2025.txt");

    sortBy("name:desc");
    expect(rows().first()).containsText("report-2025.txt");
    assertThat(shownNames())
        .containsExactly("report-2025.txt", "quarterly-report.pdf", "annual REPORT final.docx");

    sortBy("size:desc");
    expect(rows().first()).containsText("quarterly-report.pdf");
    assertThat(shownNames())
        .containsExactly("quarterly-report.pdf", "annual REPORT final.docx", "report-2025.txt");

    sortBy("size:asc");
    expect(rows().first()).containsText("report-2025.txt");
    assertThat(shownNames())
        .containsExactly("report-2025.txt", "annual REPORT final.docx", "quarterly-report.pdf");

    // Reloading the page keeps the search and the order.
    page.reload();
    expect(rows()).hasCount(3);
    expect(search()).hasValue("REPORT");
    expect(page.locator("#sort-select")).hasValue("size:asc");
    assertThat(shownNames())
        .containsExactly("report-2025.txt", "annual REPORT final.docx", "quarterly-report.pdf");

    // Escape clears the search at once.
    search().press("Escape");
    expect(rows()).hasCount(50);
    assertThat(page.url()).doesNotContain("q=");
  }

  @Test
  void searchPagesWithLoadMoreAndOffersClearSearchWhenNothingMatches() {
    seedSixtyFiles();
    open();

    search().fill("photo");
    search().press("Enter");
    sortBy("name:desc");
    expect(rows()).hasCount(50);
    expect(page.locator("#file-count")).hasText("Showing the first 50 matches");
    expect(rows().first()).containsText("photo-56.jpg");

    page.getByText("Load more").click();
    expect(rows()).hasCount(57);
    expect(page.locator("#file-count")).hasText("57 files match “photo”");
    expect(page.getByText("Load more")).isHidden();
    List<String> names = shownNames();
    assertThat(names).isSortedAccordingTo(Comparator.reverseOrder());
    assertThat(names).allMatch(name -> name.startsWith("photo-"));
    expect(rows().last()).containsText("photo-00.jpg");

    search().fill("no-such-file");
    expect(page.locator("#list-status")).containsText("No files match “no-such-file”");
    expect(rows()).hasCount(0);
    page.getByRole(
            AriaRole.BUTTON,
            new com.microsoft.playwright.Page.GetByRoleOptions().setName("Clear search"))
        .click();
    expect(rows()).hasCount(50);
    expect(search()).hasValue("");
    expect(search()).isFocused();
    expect(page.locator("#file-count")).hasText("Showing the first 50 files"); // Name Z–A still
  }

  @Test
  void selectAllMatchingSelectsOnlyTheMatchesAndDeletesThem() {
    List<Seeded> files = seedSixtyFiles();
    open();
    search().fill("photo");
    expect(page.locator("#file-count")).hasText("Showing the first 50 matches");

    page.locator("#select-page").check();
    button(toolbar(), "Select all matching files").click();
    expect(toolbar()).containsText("All 57 matching files are selected");
    button(toolbar(), "Delete 57 files").click();
    button(dialog(), "Delete 57 files").click();
    expect(dialog()).isHidden();
    expect(page.locator("#list-status")).containsText("No files match “photo”");

    page.getByRole(
            AriaRole.BUTTON,
            new com.microsoft.playwright.Page.GetByRoleOptions().setName("Clear search"))
        .click();
    expect(rows()).hasCount(3);
    product.awaitSyncIdle(SYNC_TIMEOUT);
    for (Seeded file : files) {
      boolean photo = file.name().startsWith("photo-");
      assertThat(objectExists(file.key())).as("S3 object %s", file.name()).isEqualTo(!photo);
      assertThat(liveRow(file.key()).isPresent()).as("row %s", file.name()).isEqualTo(!photo);
    }
  }

  @Test
  void uploadWhileSearchingIsListedOnlyIfItMatches() {
    seedText("report-a.txt", "a");
    seedText("notes.txt", "n");
    open();
    search().fill("report");
    expect(rows()).hasCount(1);

    upload("report-b.txt");
    expect(page.locator(".upload-item[data-state=done]")).hasCount(1);
    expect(fileButton("report-b.txt")).isVisible();

    upload("holiday.txt"); // recorded, but not a match: the upload is done, the list unchanged
    expect(page.locator(".upload-item[data-state=done]")).hasCount(2);
    expect(rows()).hasCount(2);
    expect(fileButton("holiday.txt")).hasCount(0);
  }

  private void upload(String name) {
    page.locator("#file-input")
        .setInputFiles(
            new com.microsoft.playwright.options.FilePayload(
                name, "text/plain", name.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private Locator search() {
    return page.getByLabel("Search files");
  }

  private void sortBy(String value) {
    page.getByLabel("Sort by").selectOption(value);
  }

  private static Locator button(Locator scope, String name) {
    return BulkDeleteBrowserTest.button(scope, name);
  }
}
