package dev.uploaddashboard.local.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard under the deployed defence-in-depth headers: Trusted Types (no string ever reaches
 * an HTML or script sink), a same-origin opener policy, and a permissions policy that switches off
 * powerful features. The page must work under them, and the browser must enforce them.
 */
class SecurityHeadersBrowserTest extends DashboardTestBase {

  @Test
  void theWholeDashboardWorksUnderTrustedTypesAndTheBrowserEnforcesThem() {
    List<Seeded> files = seedSampleFiles();
    List<String> violations = new ArrayList<>();
    page.onConsoleMessage(
        message -> {
          String text = message.text();
          if (text.contains("Trusted Type")
              || text.contains("TrustedHTML")
              || text.contains("TrustedScript")
              || text.contains("Content Security Policy")) {
            violations.add(text);
          }
        });

    Response document = page.navigate(product.dashboardUrl() + "/");
    Map<String, String> headers = document.headers();
    assertThat(headers.get("content-security-policy"))
        .contains("require-trusted-types-for 'script'", "trusted-types 'none'");
    assertThat(headers.get("cross-origin-opener-policy")).isEqualTo("same-origin");
    assertThat(headers.get("permissions-policy")).contains("camera=()", "geolocation=()");

    // Sign in, list, both previews, the delete dialog, a delete: every DOM update of the page.
    open();
    expect(rows()).hasCount(files.size());
    fileButton(files.get(2).name()).click(); // image preview
    expect(detailsPanel().locator("img.preview__image")).isVisible();
    fileButton(files.get(3).name()).click(); // text preview
    expect(detailsPanel().locator("pre")).containsText("Release 1.4");
    rowDeleteButton(files.get(0).name()).click();
    confirmDeleteButton().click();
    expect(rows()).hasCount(files.size() - 1);

    assertThat(violations).isEmpty();
    // An injected string cannot become markup: the assignment throws instead of parsing it.
    assertThat(
            (String)
                page.evaluate(
                    "() => { try { document.createElement('div').innerHTML ="
                        + " '<img src=x onerror=alert(1)>'; return 'parsed'; }"
                        + " catch (e) { return e.name; } }"))
        .isEqualTo("TypeError");
    // Powerful features are off for the page.
    assertThat(
            (Object)
                page.evaluate(
                    "() => document.featurePolicy"
                        + " ? ['camera', 'microphone', 'geolocation', 'usb']"
                        + "     .some(f => document.featurePolicy.allowsFeature(f))"
                        + " : 'no featurePolicy API'"))
        .isEqualTo(false);
    // No window this page opens keeps a handle on it, and it gets none on its opener.
    assertThat((Boolean) page.evaluate("() => window.opener === null")).isTrue();
  }
}
