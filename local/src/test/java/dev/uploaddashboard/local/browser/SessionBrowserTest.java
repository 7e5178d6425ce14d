package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Access tokens that live {@value #LIFETIME_SECONDS} seconds: the page renews them silently with
 * the refresh token, and when it cannot (revoked), it says the session expired instead of showing
 * an error.
 */
@DashboardTestBase.AccessTokenLifetime(seconds = SessionBrowserTest.LIFETIME_SECONDS)
class SessionBrowserTest extends DashboardTestBase {

  static final int LIFETIME_SECONDS = 4;
  private static final int PAST_EXPIRY_MS = (LIFETIME_SECONDS + 2) * 1000;

  private final List<String> tokenGrants = new CopyOnWriteArrayList<>();
  private final List<Integer> apiStatuses = new CopyOnWriteArrayList<>();

  private void recordTraffic(Page target) {
    target.onRequest(
        request -> {
          if (request.url().equals(product.identityProviderUrl() + "/oauth2/token")
              && request.postData() != null) {
            tokenGrants.add(request.postData().replaceAll(".*grant_type=([a-z_]+).*", "$1"));
          }
        });
    target.onResponse(
        response -> {
          if (response.url().startsWith(product.apiUrl().toString())
              && !response.request().method().equals("OPTIONS")) {
            apiStatuses.add(response.status());
          }
        });
  }

  @Test
  void anExpiredAccessTokenIsRenewedSilentlyAndThePageKeepsWorking() {
    seedText("before.txt", "1");
    recordTraffic(page);
    open();
    expect(rows()).hasCount(1);
    assertThat(tokenGrants).containsExactly("authorization_code");

    page.waitForTimeout(PAST_EXPIRY_MS);
    seedText("after.txt", "2");
    page.getByText("Refresh").click();
    expect(rows()).hasCount(2);

    page.waitForTimeout(PAST_EXPIRY_MS);
    page.locator("#file-input")
        .setInputFiles(
            new FilePayload(
                "uploaded-later.txt", "text/plain", "later".getBytes(StandardCharsets.UTF_8)));
    expect(page.locator(".upload-item[data-state=done]")).hasCount(1);
    expect(rows()).hasCount(3);

    assertThat(tokenGrants.get(0)).isEqualTo("authorization_code");
    assertThat(tokenGrants.subList(1, tokenGrants.size()))
        .as("renewed with the refresh token")
        .isNotEmpty()
        .containsOnly("refresh_token");
    assertThat(apiStatuses).as("no API call was refused").doesNotContain(401);
    expect(page.locator("#list-status .status--error")).hasCount(0);
    expect(page.locator("#account-name")).hasText("alice@example.com");
  }

  @Test
  void aRefusedTokenIsRenewedOnceAndTheCallRetried() {
    seedText("kept.txt", "1");
    open();
    // The page believes its token is fresh for an hour; the API knows better once it has expired.
    page.evaluate(
        "key => { const s = JSON.parse(sessionStorage.getItem(key));"
            + " s.expiresAt = Date.now() + 3600000; s.lifetimeMs = 3600000;"
            + " sessionStorage.setItem(key, JSON.stringify(s)); }",
        SESSION_KEY);
    page.waitForTimeout(PAST_EXPIRY_MS);
    recordTraffic(page);

    page.reload();

    expect(fileButton("kept.txt")).isVisible();
    assertThat(apiStatuses).as("refused once, then served").startsWith(401, 200);
    assertThat(tokenGrants).containsExactly("refresh_token");
  }

  @Test
  void whenTheSessionCannotBeRenewedThePageAsksToSignInAgain() {
    seedText("private-plans.txt", "1");
    open();
    expect(fileButton("private-plans.txt")).isVisible();
    revoke((String) storedSession(page).get("refreshToken"));
    page.waitForTimeout(PAST_EXPIRY_MS);

    page.getByText("Refresh").click();

    expect(
            page.getByRole(
                AriaRole.HEADING, new Page.GetByRoleOptions().setName("Your session has expired")))
        .isVisible();
    expect(page.locator("#sign-in-heading")).isFocused();
    expect(page.locator("#main")).isHidden();
    // Nothing from the old session stays in the page or the tab's storage; no raw error is shown.
    expect(page.locator("#file-rows tr")).hasCount(0);
    assertThat(page.content())
        .doesNotContain("private-plans.txt")
        .doesNotContain("Unauthorized")
        .doesNotContain("HTTP 401");
    assertThat(storedSession(page)).isNull();
    assertThat(seriousViolations()).isEmpty();
    screenshot("session-expired");

    // The provider still remembers the sign-in, so "Sign in again" comes straight back.
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in again")).click();
    expect(page.locator("#account-name")).hasText("alice@example.com");
    expect(fileButton("private-plans.txt")).isVisible();
  }
}
