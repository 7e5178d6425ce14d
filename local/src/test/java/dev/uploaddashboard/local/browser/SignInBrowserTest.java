package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Signing in through the identity provider's page, signing out, and what a signed-out page may do.
 */
class SignInBrowserTest extends DashboardTestBase {

  @Test
  void signInThroughTheProviderShowsTheUserAndSignOutEndsTheSession() {
    seedText("mine.txt", "alice's");
    List<String> apiCalls = new ArrayList<>();
    page.onRequest(
        request -> {
          if (request.url().startsWith(product.apiUrl().toString())) {
            apiCalls.add(request.method() + " " + request.url());
          }
        });

    // A first visit shows the sign-in screen, not the dashboard, and calls no API.
    page.navigate(product.dashboardUrl() + "/");
    expect(signInScreen(page)).isVisible();
    expect(signInScreen(page).getByRole(AriaRole.HEADING)).hasText("Sign in");
    expect(page.locator("#main")).isHidden();
    expect(page.locator("#header-actions")).isHidden();
    assertThat(apiCalls).isEmpty();
    screenshot("signed-out");

    // The identity provider's own page: username and password.
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    expect(page.getByLabel("Username")).isVisible();
    assertThat(page.url()).startsWith(product.identityProviderUrl() + "/oauth2/authorize?");
    assertThat(page.url()).contains("code_challenge_method=S256").contains("state=");
    screenshot("sign-in");
    submitSignInForm(page, "alice");

    // Back on the dashboard: the user's name, the user's file, and no code or state left in the
    // address.
    expect(page.locator("#account-name")).hasText("alice@example.com");
    expect(fileButton("mine.txt")).isVisible();
    assertThat(page.url()).isEqualTo(product.dashboardUrl() + "/");
    assertThat(apiCalls).isNotEmpty().allSatisfy(call -> assertThat(call).doesNotContain("code="));
    Map<String, Object> session = storedSession(page);
    String refreshToken = (String) session.get("refreshToken");
    assertThat(refreshGrant(refreshToken)).as("refresh while signed in").isEqualTo(200);
    assertThat(page.evaluate("() => sessionStorage.getItem('upload-dashboard.sign-in')"))
        .as("PKCE verifier and state are gone after the round trip")
        .isNull();
    assertThat(page.evaluate("() => localStorage.length")).isEqualTo(0);

    // Sign out: back to the signed-out state, through the provider's /logout.
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
    expect(signInScreen(page)).isVisible();
    assertThat(page.url()).isEqualTo(product.dashboardUrl() + "/");
    assertThat(storedSession(page)).isNull();
    expect(page.locator("#file-rows tr")).hasCount(0);

    // A reload stays signed out.
    page.reload();
    expect(signInScreen(page)).isVisible();
    expect(page.locator("#main")).isHidden();

    // The old session's refresh token is revoked, and the provider's session is over: "Sign in"
    // asks again.
    assertThat(refreshGrant(refreshToken)).as("refresh after sign-out").isEqualTo(400);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    expect(page.getByLabel("Password")).isVisible();
  }

  @Test
  void aWrongPasswordIsRefusedByTheProvider() {
    page.navigate(product.dashboardUrl() + "/");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    page.getByLabel("Username").fill("alice");
    page.getByLabel("Password").fill("not-her-password");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

    expect(page.getByRole(AriaRole.ALERT)).containsText("Incorrect username or password");
    assertThat(page.url()).startsWith(product.identityProviderUrl().toString());
    page.getByLabel("Password").fill(product.user("alice").password());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    expect(page.locator("#account-name")).hasText("alice@example.com");
  }

  @Test
  void aReloadKeepsTheTabSignedIn() {
    seedText("still-here.txt", "x");
    open();
    page.reload();
    expect(fileButton("still-here.txt")).isVisible();
    expect(page.locator("#account-name")).hasText("alice@example.com");
    expect(signInScreen(page)).isHidden();
  }

  @Test
  void aCallbackWithTheWrongStateSignsNobodyIn() {
    page.navigate(product.dashboardUrl() + "/");
    page.evaluate(
        "() => sessionStorage.setItem('upload-dashboard.sign-in',"
            + " JSON.stringify({ verifier: 'v'.repeat(64), state: 'the-state-this-tab-sent' }))");

    page.navigate(product.dashboardUrl() + "/?code=a-code-from-elsewhere&state=another-state");

    expect(signInScreen(page)).isVisible();
    expect(page.getByRole(AriaRole.ALERT))
        .hasText("Sign-in could not be completed. Please try again.");
    assertThat(page.url()).isEqualTo(product.dashboardUrl() + "/");
    assertThat(storedSession(page)).isNull();
  }

  @Test
  void signingOutInOneTabSignsOutTheOthers() {
    seedText("shared.txt", "x");
    Page other = newPage();
    open();
    open(other); // the provider's session signs the second tab in without the form
    expect(fileButton(other, "shared.txt")).isVisible();
    String otherRefreshToken = (String) storedSession(other).get("refreshToken");

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();

    expect(signInScreen(other)).isVisible();
    expect(other.getByRole(AriaRole.ALERT)).hasText("You signed out in another tab.");
    expect(other.locator("#file-rows tr")).hasCount(0);
    assertThat(storedSession(other)).isNull();
    Locator otherHeading = other.locator("#sign-in-heading");
    expect(otherHeading).isFocused();
    other.waitForCondition(() -> refreshGrant(otherRefreshToken) == 400);
  }
}
