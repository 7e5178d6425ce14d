package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import java.util.List;
import org.junit.jupiter.api.Test;

/** axe-core over the main views, and the layout on a phone-sized screen. */
class AccessibilityBrowserTest extends DashboardTestBase {

  @Test
  void signInScreenHasNoSeriousViolationsInLightAndDarkModeAndOnAPhone() {
    page.navigate(product.dashboardUrl() + "/");
    expect(signInScreen(page)).isVisible();
    assertThat(seriousViolations()).isEmpty();

    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
    page.waitForTimeout(400);
    assertThat(seriousViolations()).as("dark mode").isEmpty();

    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
    page.setViewportSize(375, 812);
    page.waitForTimeout(400); // back to light colours before axe measures contrast
    assertThat(horizontalOverflow()).as("phone: scrollWidth - clientWidth").isLessThanOrEqualTo(0);
    assertThat(seriousViolations()).as("phone").isEmpty();
  }

  @Test
  void signedInDashboardHeaderHasNoSeriousViolations() {
    open();
    expect(page.locator("#account-name")).hasText("alice@example.com");
    expect(page.getByText("Sign out")).isVisible();
    assertThat(seriousViolations()).isEmpty();
  }

  @Test
  void listHasNoSeriousViolationsInLightAndDarkMode() {
    seedSampleFiles();
    open();
    assertThat(seriousViolations()).isEmpty();

    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
    page.waitForTimeout(400); // colour transitions settle before axe measures contrast
    assertThat(seriousViolations()).as("dark mode").isEmpty();
    screenshot("list-dark");
  }

  @Test
  void detailsPanelHasNoSeriousViolations() {
    List<Seeded> files = seedSampleFiles();
    open();
    fileButton(files.get(3).name()).click();
    expect(page.locator("#details .preview__text")).isVisible();
    assertThat(seriousViolations()).as("text preview").isEmpty();

    fileButton(files.get(2).name()).click();
    expect(page.locator("#details img.preview__image")).isVisible();
    assertThat(seriousViolations()).as("image preview").isEmpty();
  }

  @Test
  void deleteDialogHasNoSeriousViolations() {
    List<Seeded> files = seedSampleFiles();
    open();
    rowDeleteButton(files.get(0).name()).click();
    expect(dialog()).isVisible();
    assertThat(seriousViolations()).isEmpty();
  }

  @Test
  void searchSelectionToolbarAndBulkDialogHaveNoSeriousViolations() {
    List<Seeded> files = seedSampleFiles();
    open();
    page.getByLabel("Search files").fill("re");
    expect(page.locator("#file-count")).containsText("match");
    rowCheckbox(files.get(1).name()).check();
    expect(page.locator("#selection-toolbar")).isVisible();
    assertThat(seriousViolations()).as("search and toolbar").isEmpty();

    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
    page.waitForTimeout(400); // colour transitions settle before axe measures contrast
    assertThat(seriousViolations()).as("dark mode").isEmpty();
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
    page.waitForTimeout(400);

    page.locator("#bulk-delete-button").click();
    expect(dialog()).isVisible();
    assertThat(seriousViolations()).as("bulk delete dialog").isEmpty();
    screenshot("bulk-dialog");
    page.keyboard().press("Escape");

    page.getByLabel("Search files").fill("no-such-file");
    expect(page.locator("#list-status")).containsText("No files match");
    assertThat(seriousViolations()).as("no matches").isEmpty();
  }

  @Test
  void emptyStateHasNoSeriousViolations() {
    open();
    expect(page.locator("#list-status")).containsText("No files yet");
    assertThat(seriousViolations()).isEmpty();
    screenshot("empty");
  }

  @Test
  void uploadListHasNoSeriousViolations() {
    open();
    page.locator("#file-input")
        .setInputFiles(
            new com.microsoft.playwright.options.FilePayload(
                "hello.txt",
                "text/plain",
                "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    expect(page.locator(".upload-item[data-state=done]")).hasCount(1);
    assertThat(seriousViolations()).isEmpty();
  }

  @Test
  void phoneWidthHasNoHorizontalScrolling() {
    seed(
        "a-very-long-file-name-without-any-spaces-from-the-scanner-2026-11-21.pdf",
        "application/pdf",
        new byte[52_000]);
    seedSampleFiles();
    page.setViewportSize(375, 812);
    open();
    assertThat(horizontalOverflow()).as("list: scrollWidth - clientWidth").isLessThanOrEqualTo(0);
    assertThat(seriousViolations()).isEmpty();
    screenshot("mobile");

    fileButton("a-very-long-file-name-without-any-spaces-from-the-scanner-2026-11-21.pdf").click();
    expect(page.locator("#details-name")).isVisible();
    assertThat(horizontalOverflow()).as("details open").isLessThanOrEqualTo(0);

    page.locator("#details-delete").click();
    expect(dialog()).isVisible();
    assertThat(horizontalOverflow()).as("dialog open").isLessThanOrEqualTo(0);
    screenshot("mobile-dialog");
  }

  private int horizontalOverflow() {
    return ((Number)
            page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"))
        .intValue();
  }
}
