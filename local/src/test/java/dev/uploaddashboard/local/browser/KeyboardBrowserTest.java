package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole delete flow with the keyboard alone, with focus checked at every step. */
class KeyboardBrowserTest extends DashboardTestBase {

  private static final int MAX_TABS = 40;

  @Test
  void deleteFlowByKeyboardAloneLeavesFocusOnTheNextRow() {
    List<Seeded> files = seedSampleFiles(); // listed newest first: notes, photo, report, csv
    Seeded photo = files.get(2);
    Seeded report = files.get(1);
    open();

    tabUntilFocused(photo.name());
    assertThat(focusIsVisible()).as("visible focus indicator").isTrue();
    page.keyboard().press("Enter");

    // Details open and take focus, so a screen reader user hears where they are.
    expect(page.locator("#details-name")).hasText(photo.name());
    expect(page.locator("#details-heading")).isFocused();
    expect(page.locator("#details").getByText("Download")).isVisible();

    tabUntilFocused("details-delete");
    page.keyboard().press(" ");
    expect(dialog()).isVisible();
    expect(dialog().getByText("Cancel")).isFocused(); // the safe default

    // Escape cancels and puts focus back on the button that opened the dialog.
    page.keyboard().press("Escape");
    expect(dialog()).isHidden();
    expect(page.locator("#details-delete")).isFocused();

    page.keyboard().press("Enter");
    expect(dialog()).isVisible();
    page.keyboard().press("Tab");
    expect(confirmDeleteButton()).isFocused();
    page.keyboard().press("Enter");

    expect(dialog()).isHidden();
    expect(fileButton(photo.name())).hasCount(0);
    // The row that took the deleted row's place has focus.
    expect(fileButton(report.name())).isFocused();
    assertThat(objectExists(photo.key())).isFalse();
  }

  @Test
  void deletingTheLastRowByKeyboardMovesFocusToTheListHeading() {
    Seeded only = seedText("only-file.txt", "just me");
    open();

    tabUntilFocused("Delete " + only.name());
    page.keyboard().press("Enter");
    expect(dialog().getByText("Cancel")).isFocused();
    page.keyboard().press("Tab");
    page.keyboard().press(" ");

    expect(page.locator("#list-status")).containsText("No files yet");
    expect(page.locator("#files-heading")).isFocused();
  }

  @Test
  void reopeningTheDialogRightAfterEscapeStillDeletes() {
    Seeded file = seedText("quick.txt", "x");
    open();
    tabUntilFocused("Delete " + file.name());
    page.keyboard().press("Enter");
    expect(dialog()).isVisible();

    // Escape and reopen within one task, as a fast keyboard user can: the dialog's close event is
    // delivered only after the dialog is open again, and must not disarm the new confirmation.
    page.evaluate(
        "name => { document.getElementById('delete-dialog').close();"
            + " document.querySelector(`button[aria-label=\"Delete ${name}\"]`).click(); }",
        file.name());
    expect(dialog()).isVisible();
    page.keyboard().press("Tab");
    expect(confirmDeleteButton()).isFocused();
    page.keyboard().press("Enter");

    expect(dialog()).isHidden();
    expect(fileButton(file.name())).hasCount(0);
    assertThat(objectExists(file.key())).isFalse();
  }

  @Test
  void tabOrderDoesNotGetStuckInTheOpenDialog() {
    Seeded file = seedText("trap.txt", "x");
    open();
    tabUntilFocused("Delete " + file.name());
    page.keyboard().press("Enter");
    for (int i = 0; i < 6; i++) {
      page.keyboard().press("Tab");
      String focused = focusedElementDescription();
      assertThat(focused)
          .as("focus stays in the modal dialog")
          .isIn("delete-cancel", "delete-confirm", "");
    }
    page.keyboard().press("Escape");
    expect(rowDeleteButton(file.name())).isFocused();
  }

  /** Presses Tab until the element named {@code label} (aria-label, id or text) has focus. */
  private void tabUntilFocused(String label) {
    for (int i = 0; i < MAX_TABS; i++) {
      page.keyboard().press("Tab");
      if (label.equals(focusedElementDescription())) {
        return;
      }
    }
    throw new AssertionError(
        "Tab never reached '" + label + "'; last focus: " + focusedElementDescription());
  }

  private boolean focusIsVisible() {
    return (Boolean)
        page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
                + " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }");
  }
}
