package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.FilePayload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The page as a whole: loading and error states, the deployed CSPs, the first-load budget,
 * pagination.
 */
class DashboardPageBrowserTest extends DashboardTestBase {

  @Test
  void listErrorOffersRetry() {
    seedText("survivor.txt", "still here");
    page.route("**/metadata?*", Route::abort);
    open();

    expect(page.locator("#list-status")).containsText("Couldn’t load files");
    expect(page.locator("#list-status")).containsText("Can’t reach the server");
    screenshot("list-error");

    page.unroute("**/metadata?*");
    page.locator("#list-status").getByText("Retry").click();
    expect(fileButton("survivor.txt")).isVisible();
    expect(page.locator("#list-status")).isEmpty();
  }

  @Test
  void runsUnderTheServersContentSecurityPolicies() {
    List<Seeded> files = seedSampleFiles();
    // The server sends the deployed pair (infra/README.md): the header policy and the page's exact
    // meta policy.
    List<String> violations = new ArrayList<>();
    page.onConsoleMessage(
        message -> {
          if (message.text().contains("Content Security Policy")) {
            violations.add(message.text());
          }
        });
    Response document = page.navigate(product.dashboardUrl() + "/");
    assertThat(document.headers().get("content-security-policy"))
        .contains("frame-ancestors 'none'");
    String idp = product.identityProviderUrl().toString().replaceFirst("/$", "");
    assertThat(
            (String)
                page.evaluate(
                    "() => document.querySelector("
                        + "'head > meta[http-equiv=\"Content-Security-Policy\"]').content"))
        .contains(
            "connect-src 'self' "
                + product.apiUrl()
                + " "
                + product.s3Endpoint().toString().replaceFirst("/$", "")
                + " "
                + idp,
            "form-action 'self' " + idp);

    open();
    expect(page.locator("#account-name")).hasText(product.user(DEFAULT_USER).email());
    expect(rows()).hasCount(files.size());
    fileButton(files.get(2).name()).click();
    page.waitForCondition(
        () ->
            (Boolean)
                page.evaluate(
                    "() => { const i ="
                        + " document.querySelector('img.preview__image'); return !!i && i.complete && i.naturalWidth > 0; }"));
    fileButton(files.get(3).name()).click();
    expect(page.locator("#details .preview__text")).containsText("Release 1.4");

    // Uploading: a presigned PUT to the upload endpoint.
    page.locator("#file-input")
        .setInputFiles(
            new FilePayload(
                "csp-check.txt", "text/plain", "allowed".getBytes(StandardCharsets.UTF_8)));
    expect(page.locator(".upload-item", new Page.LocatorOptions().setHasText("csp-check.txt")))
        .hasAttribute("data-state", "done");

    // Signing out revokes the refresh token (a fetch to the sign-in service) and leaves through it.
    page.getByText("Sign out").click();
    expect(signInScreen(page)).isVisible();

    assertThat(violations).isEmpty();
  }

  @Test
  void firstLoadStaysWithinTheBudget() {
    seedSampleFiles();
    List<Integer> sizes = new ArrayList<>();
    page.onRequestFinished(
        request ->
            sizes.add(
                (int) request.sizes().responseBodySize
                    + (int) request.sizes().responseHeadersSize));
    open();
    expect(rows()).hasCount(4);
    page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);

    int total = sizes.stream().mapToInt(Integer::intValue).sum();
    assertThat(total)
        .as("bytes transferred for the first visit, sign-in round trip included")
        .isLessThan(100 * 1024);
  }

  @Test
  void loadMoreFetchesTheNextPageUntilTheEnd() {
    // 55 files: one page of 50, then 5 more.
    for (int i = 0; i < 55; i++) {
      seedText(String.format("log-%02d.txt", i), "line " + i);
    }
    open();
    expect(rows()).hasCount(50);
    expect(rows().first()).containsText("log-54.txt");
    expect(page.locator("#file-count")).containsText("newest 50 files");

    page.getByText("Load more").click();
    expect(rows()).hasCount(55);
    expect(rows().last()).containsText("log-00.txt");
    expect(page.getByText("Load more")).isHidden();
    expect(page.locator("#file-count")).hasText("55 files");
  }
}
