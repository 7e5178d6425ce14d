package dev.uploaddashboard.local.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.util.StringUtil;

/**
 * The sign-in page ({@code sign-in.html} beside this class, no script), filled in once with the
 * development users. mock-oauth2-server serves it as its login page ({@code loginPagePath}); its
 * form posts back to the authorize URL it was shown at. {@link CognitoRules} shows it again with an
 * error after a wrong password.
 */
final class LoginPage {

  static final String WRONG_CREDENTIALS = "Incorrect username or password.";
  private static final String EMPTY_ERROR = "<p id=\"error\" class=\"error\" role=\"alert\"></p>";

  private final String html;
  private final String contentSecurityPolicy;

  LoginPage(List<DevUser> users, List<String> formTargets) {
    StringBuilder hint = new StringBuilder();
    for (DevUser user : users) {
      hint.append("<li><code>").append(escape(user.name())).append("</code>");
      if (user.password().equals(DevUser.defaultPassword(user.name()))) {
        hint.append(", password <code>").append(escape(user.password())).append("</code>");
      }
      if (user.admin()) {
        hint.append(" (in <code>").append(DevUser.ADMIN_GROUP).append("</code>: sees every file)");
      }
      hint.append("</li>\n");
    }
    String template;
    try (InputStream in = LoginPage.class.getResourceAsStream("sign-in.html")) {
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.html = template.replace("<!-- users -->\n", hint);
    String style = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
    // Only the page's own style element; the form posts here and, signed in, redirects to the
    // dashboard (form-action covers that redirect).
    this.contentSecurityPolicy =
        "default-src 'none'; style-src 'sha256-"
            + sha256(style)
            + "'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' "
            + String.join(" ", formTargets);
  }

  String html() {
    return html;
  }

  /** The page again, after a failed attempt: the message, and the name typed kept. */
  String withError(String message, String username) {
    String described = " aria-describedby=\"error\" aria-invalid=\"true\"";
    return html.replace(EMPTY_ERROR, EMPTY_ERROR.replace("></p>", ">" + escape(message) + "</p>"))
        .replace(
            "spellcheck=\"false\" required autofocus>",
            "spellcheck=\"false\" required value=\"" + escape(username) + "\"" + described + ">")
        .replace(
            "current-password\" required>",
            "current-password\" required autofocus" + described + ">");
  }

  String contentSecurityPolicy() {
    return contentSecurityPolicy;
  }

  /** A page for a request that cannot go back to the dashboard (unknown client or URL). */
  static String error(String title, String message) {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>%s · Upload dashboard (local)</title></head>
        <body><main><h1>%s</h1><p role="alert">%s</p>
        <p>Go back to the dashboard and sign in again.</p></main></body></html>
        """
        .formatted(escape(title), escape(title), escape(message));
  }

  static String escape(String text) {
    return StringUtil.sanitizeXmlString(text);
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
