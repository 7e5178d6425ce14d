package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page as a whole: loading and error states, a strict CSP, the first-load budget, pagination. */
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
  void runsUnderAStrictContentSecurityPolicy() {
    List<Seeded> files = seedSampleFiles();
    // As deployed (infra/README.md), but stricter where it can be: the sign-in service is allowed for fetch
    // (token exchange, refresh, revoke) and as a form target; navigating to it needs no permission.
    String idp = product.identityProviderUrl().toString();
    String csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' "
        + product.s3Endpoint() + "; connect-src 'self' " + product.apiUrl() + " " + product.s3Endpoint() + " " + idp
        + "; object-src 'none'; base-uri 'none'; form-action 'self' " + idp + "; frame-ancestors 'none'";
    // A document answered by route.fulfill counts as "public" for Chromium's local network access checks,
    // which would then block its calls to the loopback API; those checks are not what this test is about.
    try (Browser cspBrowser = Chromium.launch(playwright,
        List.of("--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests"));
        BrowserContext cspContext = cspBrowser.newContext()) {
      Page cspPage = cspContext.newPage();
      cspPage.onPageError(pageErrors::add);
      // The dashboard's document, also when the sign-in service sends the browser back with ?code=...&state=...
      String dashboard = product.dashboardUrl() + "/";
      cspPage.route(url -> url.equals(dashboard) || url.startsWith(dashboard + "?"), route -> {
        APIResponse response = route.fetch();
        Map<String, String> headers = new HashMap<>(response.headers());
        // route.fetch() hands over the decoded body: drop the headers that described the encoded one.
        headers.remove("content-encoding");
        headers.remove("content-length");
        headers.put("content-security-policy", csp);
        route.fulfill(new Route.FulfillOptions().setResponse(response).setHeaders(headers));
      });
      List<String> violations = new ArrayList<>();
      cspPage.onConsoleMessage(message -> {
        if (message.text().contains("Content Security Policy")) {
          violations.add(message.text());
        }
      });

      open(cspPage);
      expect(cspPage.locator("#account-name")).hasText(product.user(DEFAULT_USER).email());
      expect(rows(cspPage)).hasCount(files.size());
      fileButton(cspPage, files.get(2).name()).click();
      cspPage.waitForCondition(() -> (Boolean) cspPage.evaluate("() => { const i ="
          + " document.querySelector('img.preview__image'); return !!i && i.complete && i.naturalWidth > 0; }"));
      fileButton(cspPage, files.get(3).name()).click();
      expect(cspPage.locator("#details .preview__text")).containsText("Release 1.4");

      // Signing out revokes the refresh token (a fetch to the sign-in service) and leaves through it.
      cspPage.getByText("Sign out").click();
      expect(signInScreen(cspPage)).isVisible();

      assertThat(violations).isEmpty();
    }
  }

  @Test
  void firstLoadStaysWithinTheBudget() {
    seedSampleFiles();
    List<Integer> sizes = new ArrayList<>();
    page.onRequestFinished(request -> sizes.add((int) request.sizes().responseBodySize
        + (int) request.sizes().responseHeadersSize));
    open();
    expect(rows()).hasCount(4);
    page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);

    int total = sizes.stream().mapToInt(Integer::intValue).sum();
    assertThat(total).as("bytes transferred for the first visit, sign-in round trip included").isLessThan(100 * 1024);
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
