package dev.uploaddashboard.local.auth;

import java.util.List;

/**
 * The identity provider's HTML: the sign-in form, error pages and their stylesheet. No script
 * anywhere.
 */
final class LoginPage {

  static final String WRONG_CREDENTIALS = "Incorrect username or password.";

  /**
   * Only the stylesheet below; forms may post here and, after sign-in, redirect to the registered
   * origins.
   */
  static String contentSecurityPolicy(List<String> formTargets) {
    return "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'; "
        + "form-action 'self'"
        + (formTargets.isEmpty() ? "" : " " + String.join(" ", formTargets));
  }

  static final String STYLESHEET =
      """
      :root { color-scheme: light dark; --fg: #1b1f24; --muted: #4a5563; --bg: #f3f5f8; --card: #fff;
        --border: #c9d1db; --accent: #0b5cad; --accent-fg: #fff; --error-bg: #fdecec; --error-fg: #8a1c1c; }
      @media (prefers-color-scheme: dark) {
        :root { --fg: #e8ecf1; --muted: #b4bfcc; --bg: #14181d; --card: #1e242b; --border: #3b4552;
          --accent: #5aa2f0; --accent-fg: #0b1320; --error-bg: #3a1717; --error-fg: #ffc9c9; }
      }
      * { box-sizing: border-box; }
      body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 1.5rem;
        font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
      main { width: 100%; max-width: 24rem; background: var(--card); border: 1px solid var(--border);
        border-radius: 0.75rem; padding: 2rem; box-shadow: 0 0.25rem 1rem rgb(0 0 0 / 0.08); }
      h1 { font-size: 1.5rem; margin: 0 0 0.25rem; }
      h2 { font-size: 1rem; margin: 0 0 0.5rem; }
      .lead { color: var(--muted); margin: 0 0 1.5rem; }
      form { display: grid; gap: 0.375rem; }
      label { font-weight: 600; margin-top: 0.5rem; }
      input { font: inherit; padding: 0.625rem 0.75rem; border: 1px solid var(--border); border-radius: 0.5rem;
        background: var(--card); color: var(--fg); }
      input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
      button { font: inherit; font-weight: 600; margin-top: 1.25rem; padding: 0.7rem 1rem; border: 0;
        border-radius: 0.5rem; background: var(--accent); color: var(--accent-fg); cursor: pointer; }
      button:hover { filter: brightness(1.08); }
      .error { background: var(--error-bg); color: var(--error-fg); border-radius: 0.5rem; padding: 0.75rem 1rem;
        margin: 0 0 1rem; font-weight: 600; }
      .error:empty { display: none; }
      .hint { margin-top: 1.75rem; padding-top: 1.25rem; border-top: 1px solid var(--border); color: var(--muted);
        font-size: 0.9rem; }
      .hint ul { margin: 0; padding-left: 1.25rem; }
      code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--fg); }
      """;

  private LoginPage() {}

  static String signIn(String requestId, String username, String error, List<DevUser> users) {
    StringBuilder hint = new StringBuilder();
    for (DevUser user : users) {
      hint.append("<li><code>").append(escape(user.name())).append("</code>");
      if (user.password().equals(DevUser.defaultPassword(user.name()))) {
        hint.append(", password <code>").append(escape(user.password())).append("</code>");
      }
      hint.append(
              user.admin() ? " (in <code>" + DevUser.ADMIN_GROUP + "</code>: sees every file)" : "")
          .append("</li>\n");
    }
    boolean hasError = error != null;
    String describedBy = hasError ? " aria-describedby=\"error\" aria-invalid=\"true\"" : "";
    boolean focusPassword = username != null && !username.isEmpty();
    return page(
        "Sign in",
        """
        <h1>Sign in</h1>
        <p class="lead">Upload dashboard, local mode</p>
        <p id="error" class="error" role="alert">%s</p>
        <form method="post" action="/login">
          <input type="hidden" name="request" value="%s">
          <label for="username">Username</label>
          <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none"
              spellcheck="false" required value="%s"%s%s>
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required%s%s>
          <button type="submit">Sign in</button>
        </form>
        <section class="hint" aria-labelledby="users-heading">
          <h2 id="users-heading">Development users</h2>
          <ul>
        %s  </ul>
        </section>
        """
            .formatted(
                hasError ? escape(error) : "",
                escape(requestId),
                escape(username == null ? "" : username),
                describedBy,
                focusPassword ? "" : " autofocus",
                describedBy,
                focusPassword ? " autofocus" : "",
                hint));
  }

  static String error(String title, String message) {
    return page(
        title,
        """
        <h1>%s</h1>
        <p id="error" class="error" role="alert">%s</p>
        <p class="lead">Go back to the dashboard and sign in again.</p>
        """
            .formatted(escape(title), escape(message)));
  }

  private static String page(String title, String main) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>%s · Upload dashboard (local)</title>
        <link rel="stylesheet" href="/styles.css">
        </head>
        <body>
        <main>
        %s</main>
        </body>
        </html>
        """
        .formatted(escape(title), main);
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
