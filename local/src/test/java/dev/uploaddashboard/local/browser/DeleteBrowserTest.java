package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deleting files from the dashboard: the lesson's Part 6 flow and what happens when it goes wrong.
 */
class DeleteBrowserTest extends DashboardTestBase {

  @Test
  void lessonPart6_deleteFromDetailsRemovesFileEverywhere() {
    List<Seeded> files = seedSampleFiles();
    Seeded photo = files.get(2);

    // 1. Load the uploaded file list.
    open();
    expect(rows()).hasCount(files.size());
    screenshot("list");

    // 2. Open details for one file.
    fileButton(photo.name()).click();
    expect(detailsPanel().locator("#details-name")).hasText(photo.name());
    expect(detailsPanel().locator("img.preview__image")).isVisible();
    page.waitForCondition(
        () ->
            (Boolean)
                page.evaluate(
                    "() => { const i = document.querySelector('img.preview__image'); return !!i && i.complete && i.naturalWidth > 0; }"));
    screenshot("details");

    // 3. Click Delete and confirm.
    detailsPanel()
        .getByText("Delete", new com.microsoft.playwright.Locator.GetByTextOptions().setExact(true))
        .click();
    expect(dialog()).isVisible();
    expect(dialog()).containsText("“" + photo.name() + "”");
    screenshot("delete-dialog");
    confirmDeleteButton().click();

    // 4. The file disappears from the list and the detail panel is cleared.
    expect(dialog()).isHidden();
    expect(fileButton(photo.name())).hasCount(0);
    expect(rows()).hasCount(files.size() - 1);
    expect(detailsPanel().locator("#details-name")).hasCount(0);
    expect(detailsPanel()).containsText("was deleted");

    // After a reload it is still gone, and so are the object and its metadata row.
    page.reload();
    expect(rows()).hasCount(files.size() - 1);
    expect(fileButton(photo.name())).hasCount(0);
    product.awaitSyncIdle(SYNC_TIMEOUT);
    assertThat(objectExists(photo.key())).as("S3 object").isFalse();
    assertThat(liveRow(photo.key())).as("DynamoDB row").isEmpty();
    for (Seeded other : List.of(files.get(0), files.get(1), files.get(3))) {
      assertThat(objectExists(other.key())).as("untouched object %s", other.name()).isTrue();
    }
  }

  @Test
  void deleteFromRowAsksFirstAndCancelKeepsEverything() {
    Seeded notes = seedText("meeting-notes.txt", "Agenda\n1. Budget\n2. Hiring\n");
    open();

    rowDeleteButton(notes.name()).click();
    expect(dialog()).isVisible();
    dialog().getByText("Cancel").click();

    expect(dialog()).isHidden();
    expect(rows()).hasCount(1);
    expect(rowDeleteButton(notes.name())).isFocused();
    assertThat(objectExists(notes.key())).isTrue();
  }

  @Test
  void failedDeleteShowsErrorAndRemovesNothing() {
    List<Seeded> files = seedSampleFiles();
    Seeded report = files.get(1);
    open();
    fileButton(report.name()).click();
    expect(detailsPanel().locator("#details-name")).hasText(report.name());

    product.failObjectDeletes(true);
    detailsPanel().locator("#details-delete").click();
    confirmDeleteButton().click();

    // The dialog stays open with the error, so the user can retry or cancel; nothing vanished.
    expect(dialog().getByRole(com.microsoft.playwright.options.AriaRole.ALERT))
        .containsText("“" + report.name() + "” was not deleted");
    expect(confirmDeleteButton()).hasCount(0); // the button now offers "Try again"
    expect(
            dialog()
                .getByRole(
                    com.microsoft.playwright.options.AriaRole.BUTTON,
                    new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Try again")))
        .isFocused();
    screenshot("delete-error");
    expect(rows()).hasCount(files.size());
    assertThat(objectExists(report.key())).isTrue();
    assertThat(liveRow(report.key())).isPresent();

    dialog().getByText("Cancel").click();
    expect(dialog()).isHidden();
    expect(fileButton(report.name())).isVisible();
    expect(detailsPanel().locator("#details-name")).hasText(report.name());

    // Once storage works again, the same dialog deletes it.
    product.failObjectDeletes(false);
    detailsPanel().locator("#details-delete").click();
    confirmDeleteButton().click();
    expect(fileButton(report.name())).hasCount(0);
    expect(rows()).hasCount(files.size() - 1);
  }

  @Test
  void deletingAFileThatIsAlreadyGoneSaysSoAndResyncs() {
    Seeded first = seedText("draft-1.txt", "one");
    Seeded second = seedText("draft-2.txt", "two");
    open();
    expect(rows()).hasCount(2);

    // Someone else removes the file (object and row) while this page still shows it.
    product.s3Client().deleteObject(b -> b.bucket(product.bucketName()).key(first.key()));
    product.awaitSyncIdle(SYNC_TIMEOUT);
    // A removal recorded less than 2 s before a delete request counts as that request's own (the
    // sync may
    // apply it first: DeleteFileService.CLOCK_SKEW); this one happened earlier.
    page.waitForTimeout(2_500);

    rowDeleteButton(first.name()).click();
    confirmDeleteButton().click();

    expect(page.locator("#notice")).containsText("“" + first.name() + "” was already deleted");
    expect(rows()).hasCount(1);
    expect(fileButton(second.name())).isVisible();
    expect(fileButton(second.name())).isFocused();
  }
}
