package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** "Download" in a row: a fresh presigned URL each time, saved under the original name. */
class DownloadBrowserTest extends DashboardTestBase {

  @Test
  void downloadFromRowSavesTheFileUnderItsOriginalName() throws Exception {
    byte[] body = "id,total\n1,42\n2,17\n".getBytes(StandardCharsets.UTF_8);
    Seeded csv = seed("sales 2026.csv", "text/csv", body);
    seedText("other.txt", "not this one");
    open();

    Download download = page.waitForDownload(() -> rowDownloadButton(csv.name()).click());

    assertThat(download.suggestedFilename()).isEqualTo(csv.name());
    assertThat(Files.readAllBytes(download.path())).isEqualTo(body);
    assertThat(page.url())
        .as("the dashboard stays open")
        .startsWith(product.dashboardUrl().toString());
    expect(page.locator("#announcer")).containsText("Downloading " + csv.name());
  }

  @Test
  void downloadKeepsANonAsciiName() throws Exception {
    byte[] body = png(32, 32);
    Seeded photo = seed("Übersicht März – team.png", "image/png", body);
    open();

    Download download = page.waitForDownload(() -> rowDownloadButton(photo.name()).click());

    assertThat(download.suggestedFilename()).isEqualTo(photo.name());
    assertThat(Files.readAllBytes(download.path())).isEqualTo(body);
  }

  @Test
  void downloadingAFileThatIsGoneSaysSoAndReloads() {
    Seeded gone = seedText("gone.txt", "bye");
    Seeded kept = seedText("kept.txt", "hi");
    open();
    expect(rows()).hasCount(2);

    product.s3Client().deleteObject(b -> b.bucket(product.bucketName()).key(gone.key()));
    product.awaitSyncIdle(SYNC_TIMEOUT);
    rowDownloadButton(gone.name()).click();

    expect(page.locator("#notice")).containsText("That file no longer exists");
    expect(rows()).hasCount(1);
    expect(fileButton(kept.name())).isVisible();
  }
}
