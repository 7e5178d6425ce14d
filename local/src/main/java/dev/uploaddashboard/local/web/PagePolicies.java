package dev.uploaddashboard.local.web;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard page's two Content-Security-Policies, as deployed (infra DashboardHosting and
 * DashboardSite): the header CloudFront sends on every response, and the meta element the
 * deployment puts into {@code index.html}; plus the distribution's other security headers.
 *
 * @param header sent on every response, as CloudFront does
 * @param page put into {@code index.html} as a meta element, as the deployment does
 */
record PagePolicies(String header, String page) {

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
   * Trusted Types, as deployed (infra DashboardHosting): every DOM script sink needs a trusted type
   * and no policy may make one, so a string reaching {@code innerHTML} throws instead of running.
   */
  static final String TRUSTED_TYPES = "require-trusted-types-for 'script'; trusted-types 'none'";

  /** The deployed distribution's headers (infra DashboardHosting), sent here on every response. */
  static final String CROSS_ORIGIN_OPENER_POLICY = "same-origin";

  static final String PERMISSIONS_POLICY =
      "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(),"
          + " geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(),"
          + " publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(),"
          + " xr-spatial-tracking=()";

  /**
   * The deployed pair (infra/README.md), with this machine's origins: the header as the
   * distribution sends it (there it names the API and S3 by region; here the exact origins are
   * known) and the page's exact policy.
   */
  static PagePolicies of(String api, String uploads, String signIn) {
    String connect = "connect-src 'self' " + api + " " + uploads + " " + signIn;
    String images = "img-src 'self' " + uploads;
    String forms = "form-action 'self' " + signIn;
    String header =
        String.join(
            "; ",
            "default-src 'self'",
            connect,
            images,
            "object-src 'none'",
            "base-uri 'none'",
            forms,
            "frame-ancestors 'none'",
            TRUSTED_TYPES);
    String page =
        String.join(
            "; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            connect,
            images,
            "object-src 'none'",
            "base-uri 'none'",
            forms);
    return new PagePolicies(header, page);
  }

  /** {@code scheme://host[:port]} of a URL: what a CSP source names. */
  static String origin(URI url) {
    if (url.getScheme() == null || url.getHost() == null) {
      throw new IllegalArgumentException("Not an absolute URL: " + url);
    }
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  /**
   * The page with the policy as a meta element, first in its head (after the charset declaration),
   * where the deployment puts it.
   *
   * @throws IllegalArgumentException when the page has no head or already declares a policy
   */
  static String withContentSecurityPolicy(String html, String policy) {
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
