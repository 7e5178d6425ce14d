package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each person sees their own files; admins see everyone's. Three people, three browser contexts.
 */
class OwnershipBrowserTest extends DashboardTestBase {

  @Test
  void bobDoesNotSeeOrOpenAlicesUploadAndAdminSeesBoth() {
    // alice uploads through the page.
    open(page, "alice");
    String aliceKey = upload(page, "alice-plan.txt", "alice's plan");
    assertThat(aliceKey).startsWith("incoming/" + product.user("alice").sub() + "/");

    try (BrowserContext bobContext = newPerson();
        BrowserContext adminContext = newPerson()) {
      Page bob = bobContext.newPage();
      bob.onPageError(pageErrors::add);
      open(bob, "bob");
      expect(bob.locator("#list-status")).containsText("No files yet");

      // Not by key either: the API answers 404, exactly as for a file that does not exist.
      assertThat(apiStatus(bob, "/metadata/file?key=" + encode(aliceKey))).isEqualTo(404);
      assertThat(apiStatus(bob, "/metadata/file?key=" + encode("incoming/nobody/nothing.txt")))
          .isEqualTo(404);

      String bobKey = upload(bob, "bob-notes.txt", "bob's notes");
      expect(rows(bob)).hasCount(1);

      // alice still sees only hers (after a refresh).
      page.getByText("Refresh").click();
      expect(rows()).hasCount(1);
      expect(fileButton("alice-plan.txt")).isVisible();
      assertThat(apiStatus(page, "/metadata/file?key=" + encode(bobKey))).isEqualTo(404);

      // admin sees both and can open alice's.
      Page admin = adminContext.newPage();
      admin.onPageError(pageErrors::add);
      open(admin, "admin");
      expect(rows(admin)).hasCount(2);
      expect(fileButton(admin, "alice-plan.txt")).isVisible();
      expect(fileButton(admin, "bob-notes.txt")).isVisible();
      fileButton(admin, "alice-plan.txt").click();
      expect(admin.locator("#details .preview__text")).containsText("alice's plan");
      assertThat(apiStatus(admin, "/metadata/file?key=" + encode(bobKey))).isEqualTo(200);
    }
  }

  /** Uploads one small file through the file input; returns its key once the page lists it. */
  private static String upload(Page target, String name, String text) {
    target
        .locator("#file-input")
        .setInputFiles(new FilePayload(name, "text/plain", text.getBytes(StandardCharsets.UTF_8)));
    expect(target.locator(".upload-item[data-state=done]")).hasCount(1);
    fileButton(target, name).click();
    expect(target.locator("#details-name")).hasText(name);
    return target.locator("#details .details__card").getAttribute("data-key");
  }

  /** The status of a GET the tab makes with its own access token, as the dashboard would. */
  private static int apiStatus(Page target, String pathAndQuery) {
    Map<String, Object> session = storedSession(target);
    return ((Number)
            target.evaluate(
                "([url, token]) => fetch(url, { headers: { Authorization: `Bearer ${token}` } })"
                    + ".then(response => response.status)",
                java.util.List.of(product.apiUrl() + pathAndQuery, session.get("accessToken"))))
        .intValue();
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
