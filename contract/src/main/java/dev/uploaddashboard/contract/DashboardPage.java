package dev.uploaddashboard.contract;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard page as served (docs/CONTRACT.md, "Dashboard page"): the {@code config.json} it
 * reads, its two Content-Security-Policies (the header the distribution sends and the exact policy
 * the deployment puts into {@code index.html}) and the other security headers. infra's {@code
 * DashboardHosting} and {@code DashboardSite} deploy them, local mode's dashboard server serves
 * them with its own origins.
 */
public final class DashboardPage {
  private DashboardPage() {}

  public static final String CONFIG_FILE = "config.json";
  public static final String INDEX_FILE = "index.html";

  /** Trusted Types with no policy allowed: a string reaching {@code innerHTML} throws. */
  public static final String TRUSTED_TYPES =
      "require-trusted-types-for 'script'; trusted-types 'none'";

  /**
   * The page opens no windows and is opened by none it must talk to (sign-in is a redirect), so it
   * keeps its browsing context group to itself.
   */
  public static final String CROSS_ORIGIN_OPENER_POLICY = "same-origin";

  /** Powerful browser features the dashboard never uses, switched off for it and any frame. */
  public static final String PERMISSIONS_POLICY =
      String.join(
          ", ",
          "accelerometer=()",
          "autoplay=()",
          "browsing-topics=()",
          "camera=()",
          "display-capture=()",
          "geolocation=()",
          "gyroscope=()",
          "magnetometer=()",
          "microphone=()",
          "midi=()",
          "payment=()",
          "publickey-credentials-get=()",
          "screen-wake-lock=()",
          "serial=()",
          "usb=()",
          "xr-spatial-tracking=()");

  /**
   * How the page signs users in: {@code auth} in config.json.
   *
   * @param authority the hosted UI's base URL (Cognito's, or local mode's sign-in server)
   * @param clientId the public app client
   * @param scopes OAuth scopes to request
   */
  public record SignIn(String authority, String clientId, List<String> scopes) {
    public SignIn {
      Objects.requireNonNull(authority, "authority");
      Objects.requireNonNull(clientId, "clientId");
      scopes = List.copyOf(scopes);
    }
  }

  /**
   * The hosted UI's endpoints under its base URL: Cognito's paths, which local mode's sign-in
   * server serves too. The page builds no provider URL itself; config.json carries these.
   */
  public static final String AUTHORIZE_PATH = "/oauth2/authorize";

  public static final String TOKEN_PATH = "/oauth2/token";
  public static final String REVOKE_PATH = "/oauth2/revoke";
  public static final String LOGOUT_PATH = "/logout";

  /**
   * The config.json document, insertion-ordered so that every synth writes the same bytes: {@code
   * apiUrl}, {@code auth} ({@code clientId}, {@code scopes}, {@code authorizeUrl}, {@code
   * tokenUrl}, {@code revokeUrl}, {@code logoutUrl}) and {@code maxUploadBytes} (the server's
   * limit, which the page checks before asking for an upload).
   */
  public static Map<String, Object> config(String apiUrl, SignIn signIn, long maxUploadBytes) {
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("clientId", signIn.clientId());
    auth.put("scopes", signIn.scopes());
    auth.put("authorizeUrl", signIn.authority() + AUTHORIZE_PATH);
    auth.put("tokenUrl", signIn.authority() + TOKEN_PATH);
    auth.put("revokeUrl", signIn.authority() + REVOKE_PATH);
    auth.put("logoutUrl", signIn.authority() + LOGOUT_PATH);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("apiUrl", apiUrl);
    config.put("auth", auth);
    config.put("maxUploadBytes", maxUploadBytes);
    return config;
  }

  /**
   * The header policy, sent with every response: everything from the page's own origin; fetches
   * also to {@code connect}, images also from {@code images}, forms also to {@code forms}; no
   * plugins, no framing, no {@code <base>}; Trusted Types.
   */
  public static String headerPolicy(List<String> connect, List<String> images, List<String> forms) {
    return String.join(
        "; ",
        "default-src 'self'",
        sources("connect-src", connect),
        sources("img-src", images),
        "object-src 'none'",
        "base-uri 'none'",
        sources("form-action", forms),
        "frame-ancestors 'none'",
        TRUSTED_TYPES);
  }

  /**
   * The page's exact policy (a meta element in {@code index.html}): its own files only (no inline
   * code), fetches to the API, the upload bucket (presigned PUT, text previews) and the sign-in
   * service's token endpoint, images also from the upload bucket, forms to the page and the sign-in
   * service. {@code frame-ancestors} has no effect in a meta policy; the header carries it.
   */
  public static String pagePolicy(String apiOrigin, List<String> uploadOrigins, String signIn) {
    List<String> connect = new ArrayList<>(List.of(apiOrigin));
    connect.addAll(uploadOrigins);
    connect.add(signIn);
    return String.join(
        "; ",
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        sources("connect-src", connect),
        sources("img-src", uploadOrigins),
        "object-src 'none'",
        "base-uri 'none'",
        sources("form-action", List.of(signIn)));
  }

  private static String sources(String directive, List<String> extra) {
    List<String> all = new ArrayList<>(List.of("'self'"));
    all.addAll(extra);
    return directive + " " + String.join(" ", all);
  }

  /** {@code scheme://host[:port]} of an absolute URL: what a CSP source names. */
  public static String origin(URI url) {
    if (url.getScheme() == null || url.getHost() == null) {
      throw new IllegalArgumentException("Not an absolute URL: " + url);
    }
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  private static final Pattern HEAD_START =
      Pattern.compile("<head(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);
  private static final Pattern CHARSET_META =
      Pattern.compile("\\s*<meta\\s+charset\\s*=[^>]*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern HEAD_END = Pattern.compile("</head\\s*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern CSP_META =
      Pattern.compile(
          "<meta\\s[^>]*http-equiv\\s*=\\s*[\"']?content-security-policy",
          Pattern.CASE_INSENSITIVE);

  /**
   * The page with the policy as a meta element, first in its head (after the charset declaration,
   * which loads nothing and must stay within the first 1024 bytes).
   *
   * @throws IllegalArgumentException when the page has no head, already declares a policy, or the
   *     policy contains a {@code "} (it would end the attribute)
   */
  public static String withPagePolicy(String html, String policy) {
    if (policy.contains("\"")) {
      throw new IllegalArgumentException("a policy cannot contain '\"': " + policy);
    }
    Matcher start = HEAD_START.matcher(html);
    if (!start.find() || !HEAD_END.matcher(html).find(start.end())) {
      throw new IllegalArgumentException(
          "no <head>...</head> to put the Content-Security-Policy meta element in");
    }
    if (CSP_META.matcher(html).find()) {
      throw new IllegalArgumentException(
          "already has a Content-Security-Policy meta element; the deployment generates it");
    }
    int at = start.end();
    Matcher charset = CHARSET_META.matcher(html).region(at, html.length());
    if (charset.lookingAt()) {
      at = charset.end();
    }
    String meta = "<meta http-equiv=\"Content-Security-Policy\" content=\"" + policy + "\">";
    return html.substring(0, at) + "\n  " + meta + html.substring(at);
  }
}
