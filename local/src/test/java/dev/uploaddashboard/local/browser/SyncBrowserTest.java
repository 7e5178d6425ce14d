package dev.uploaddashboard.local.browser;

import com.microsoft.playwright.Page;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dashboard follows the server: Refresh, and other open tabs. */
class SyncBrowserTest extends DashboardTestBase {

  @Test
  void fileDeletedOutsideTheDashboardDisappearsOnRefresh() {
    List<Seeded> files = seedSampleFiles();
    Seeded csv = files.get(0);
    open();
    expect(rows()).hasCount(files.size());

    product.s3Client().deleteObject(b -> b.bucket(product.bucketName()).key(csv.key()));
    product.awaitSyncIdle(SYNC_TIMEOUT);
    expect(fileButton(csv.name())).isVisible(); // nothing changes by itself

    page.getByText("Refresh").click();

    expect(fileButton(csv.name())).hasCount(0);
    expect(rows()).hasCount(files.size() - 1);
    expect(page.locator("#announcer")).containsText("1 file removed");
  }

  @Test
  void fileUploadedOutsideTheDashboardAppearsOnRefresh() {
    seedText("first.txt", "1");
    open();
    expect(rows()).hasCount(1);

    Seeded later = seedText("second.txt", "2");
    page.getByText("Refresh").click();

    expect(rows()).hasCount(2);
    expect(rows().first()).containsText(later.name()); // newest first
  }

  @Test
  void deleteInOneTabUpdatesTheOther() {
    List<Seeded> files = seedSampleFiles();
    Seeded notes = files.get(3);
    Page other = newPage();
    open();
    open(other);
    fileButton(other, notes.name()).click();
    expect(other.locator("#details-name")).hasText(notes.name());

    rowDeleteButton(notes.name()).click();
    confirmDeleteButton().click();
    expect(fileButton(notes.name())).hasCount(0);

    // The other tab hears about it over BroadcastChannel and reloads from the server.
    expect(fileButton(other, notes.name())).hasCount(0);
    expect(rows(other)).hasCount(files.size() - 1);
    expect(other.locator("#details")).containsText("was deleted in another tab");
  }

  @Test
  void uploadInOneTabAppearsInTheOther() {
    seedText("existing.txt", "x");
    Page other = newPage();
    open();
    open(other);

    page.locator("#file-input")
        .setInputFiles(
            new com.microsoft.playwright.options.FilePayload(
                "from-tab-one.txt",
                "text/plain",
                "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    expect(fileButton(other, "from-tab-one.txt")).isVisible();
    expect(rows(other)).hasCount(2);
  }
}
