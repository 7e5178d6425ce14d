package dev.uploaddashboard.local.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.uploaddashboard.local.net.HostAllowList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the dashboard's static files from {@code web/} plus a generated {@code /config.json}, the
 * file the deployed stack writes next to the dashboard so the page knows its API and where to sign
 * in: {@code {"apiUrl": ..., "auth": {"authority": ..., "clientId": ..., "scopes": [...]}}}.
 *
 * <p>Files are read on each request, so edits in {@code web/} show on reload; {@code no-cache} plus
 * an ETag keeps the browser revalidating instead of serving stale modules.
 *
 * <p>Like the deployed site, the page gets two Content-Security-Policies, and the browser enforces
 * both: a header on every response (CloudFront's response-headers policy, with {@code
 * frame-ancestors 'none'}) and a {@code <meta>} element in {@code index.html} naming the exact API,
 * upload (S3) and sign-in origins (the deployment generates it), so a policy mistake shows up
 * locally too.
 */
public final class DashboardServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GZIP_MIN_BYTES = 1024;
  private static final String INDEX_FILE = "index.html";

  private static final Pattern HEAD_START =
      Pattern.compile("<head(\\s[^>]*)?>", Pattern.CASE_INSENSITIVE);
  private static final Pattern CHARSET_META =
      Pattern.compile("\\s*<meta\\s+charset\\s*=[^>]*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern HEAD_END = Pattern.compile("</head\\s*>", Pattern.CASE_INSENSITIVE);
  private static final Pattern CSP_META =
      Pattern.compile(
          "<meta\\s[^>]*http-equiv\\s*=\\s*[\"']?content-security-policy",
          Pattern.CASE_INSENSITIVE);

  private static final Map<String, String> CONTENT_TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("map", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("webmanifest", "application/manifest+json"),
          Map.entry("woff", "font/woff"),
          Map.entry("woff2", "font/woff2"));

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

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path webRoot;
  private final URI url;
  private volatile byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
  private volatile Policies policies;
  private volatile boolean started;

  private DashboardServer(HttpServer server, ExecutorService executor, Path webRoot) {
    this.server = server;
    this.executor = executor;
    this.webRoot = webRoot;
    InetSocketAddress address = server.getAddress();
    this.url = URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  /** Binds the port at once (so its origin is known) and serves after {@link #publish(URI)}. */
  public static DashboardServer bind(String host, int port, Path webRoot) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            runnable -> {
              Thread thread = new Thread(runnable, "dashboard");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    DashboardServer dashboard =
        new DashboardServer(server, executor, webRoot.toAbsolutePath().normalize());
    server
        .createContext("/", dashboard::handle)
        .getFilters()
        .add(HostAllowList.forServer(host, server.getAddress().getPort()).filter());
    return dashboard;
  }

  /**
   * The {@code auth} part of {@code config.json}, the same shape as deployed.
   *
   * @param authority base URL of the sign-in service ({@code /oauth2/authorize}, {@code
   *     /oauth2/token}, {@code /logout} live under it), without a trailing slash
   * @param clientId the dashboard's app client id
   * @param scopes the scopes to ask for
   */
  public record SignIn(String authority, String clientId, List<String> scopes) {
    public SignIn {
      scopes = List.copyOf(scopes);
    }
  }

  /**
   * The page's two policies.
   *
   * @param header sent on every response, as CloudFront does
   * @param page put into {@code index.html} as a meta element, as the deployment does
   */
  record Policies(String header, String page) {}

  /**
   * Starts serving, with {@code /config.json} pointing at {@code apiUrl} and the sign-in service,
   * and the Content-Security-Policies allowing exactly the API, the upload endpoint (where
   * presigned URLs point) and the sign-in service.
   */
  public void publish(URI apiUrl, URI uploadEndpoint, SignIn auth) throws IOException {
    policies =
        policies(origin(apiUrl), origin(uploadEndpoint), origin(URI.create(auth.authority())));
    publish(apiUrl, auth);
  }

  /**
   * Starts serving, with {@code /config.json} pointing at {@code apiUrl} and the sign-in service,
   * but without Content-Security-Policies: it does not know where presigned upload URLs point.
   * {@link #publish(URI, URI, SignIn)} serves the page as deployed.
   */
  public void publish(URI apiUrl, SignIn auth) throws IOException {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("apiUrl", apiUrl.toString());
    Map<String, Object> authDocument = new LinkedHashMap<>();
    authDocument.put("authority", auth.authority());
    authDocument.put("clientId", auth.clientId());
    authDocument.put("scopes", auth.scopes());
    document.put("auth", authDocument);
    config = JSON.writeValueAsBytes(document);
    server.start();
    started = true;
  }

  /**
   * The deployed pair (infra/README.md), with this machine's origins: the header as the
   * distribution sends it (there it names the API and S3 by region; here the exact origins are
   * known) and the page's exact policy.
   */
  static Policies policies(String api, String uploads, String signIn) {
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
    return new Policies(header, page);
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

  /** Origin of the dashboard, e.g. {@code http://127.0.0.1:8080}. */
  public URI url() {
    return url;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      Policies current = policies;
      if (current != null) {
        // CloudFront's response-headers policy: on every response.
        exchange.getResponseHeaders().set("Content-Security-Policy", current.header());
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("Referrer-Policy", "strict-origin-when-cross-origin");
        exchange.getResponseHeaders().set("Cross-Origin-Opener-Policy", CROSS_ORIGIN_OPENER_POLICY);
        exchange.getResponseHeaders().set("Permissions-Policy", PERMISSIONS_POLICY);
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        sendText(exchange, 405, "Method not allowed");
        return;
      }
      String rawPath = exchange.getRequestURI().getRawPath();
      if (rawPath.equals("/config.json")) {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        send(exchange, 200, "application/json", config);
        return;
      }
      Path file = resolve(rawPath);
      if (file == null) {
        sendText(
            exchange,
            404,
            rawPath.equals("/")
                ? "Not found: there is no dashboard in " + webRoot + " yet (index.html is missing)"
                : "Not found");
        return;
      }
      serveFile(exchange, file, rawPath, current);
    }
  }

  /**
   * The file under the web root for a request path, or null when there is none or the path escapes.
   */
  Path resolve(String rawPath) {
    String path;
    try {
      path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!path.startsWith("/") || path.indexOf('\0') >= 0 || path.contains("\\")) {
      return null;
    }
    for (String segment : path.split("/")) {
      if (segment.equals("..") || (segment.startsWith(".") && !segment.isEmpty())) {
        return null;
      }
    }
    Path candidate = webRoot.resolve(path.substring(1)).normalize();
    if (!candidate.startsWith(webRoot)) {
      return null;
    }
    if (Files.isDirectory(candidate)) {
      candidate = candidate.resolve("index.html");
    }
    if (!Files.isRegularFile(candidate)) {
      return null;
    }
    try {
      // A symlink inside web/ must not lead out of it either.
      Path real = candidate.toRealPath();
      return real.startsWith(webRoot.toRealPath()) ? real : null;
    } catch (IOException e) {
      return null;
    }
  }

  private void serveFile(HttpExchange exchange, Path file, String rawPath, Policies current)
      throws IOException {
    if (Files.isDirectory(webRoot.resolve(rawPath.substring(1)).normalize())
        && !rawPath.endsWith("/")) {
      // Relative links in a directory's index.html need the trailing slash.
      exchange.getResponseHeaders().set("Location", rawPath + "/");
      send(exchange, 301, null, new byte[0]);
      return;
    }
    BasicFileAttributes attributes =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    boolean page = current != null && file.equals(webRoot.toRealPath().resolve(INDEX_FILE));
    // The generated page changes with the policy too (other ports after a restart): part of its
    // ETag.
    String etag =
        "\""
            + Long.toHexString(attributes.size())
            + "-"
            + Long.toHexString(attributes.lastModifiedTime().toMillis())
            + (page ? "-" + Integer.toHexString(current.page().hashCode()) : "")
            + "\"";
    exchange.getResponseHeaders().set("ETag", etag);
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
      send(exchange, 304, null, new byte[0]);
      return;
    }
    byte[] body = Files.readAllBytes(file);
    if (page) {
      try {
        body =
            withContentSecurityPolicy(new String(body, StandardCharsets.UTF_8), current.page())
                .getBytes(StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        exchange.getResponseHeaders().remove("ETag");
        sendText(exchange, 500, file + ": " + e.getMessage());
        return;
      }
    }
    send(exchange, 200, contentType(file), body);
  }

  static String contentType(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
  }

  private static void sendText(HttpExchange exchange, int status, String text) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    byte[] payload = body;
    if (contentType != null && compressible(contentType) && body.length >= GZIP_MIN_BYTES) {
      exchange.getResponseHeaders().add("Vary", "Accept-Encoding");
      String accepted = exchange.getRequestHeaders().getFirst("Accept-Encoding");
      if (accepted != null && accepted.toLowerCase(Locale.ROOT).contains("gzip")) {
        payload = gzip(body);
        exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      }
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (head || status == 304 || payload.length == 0) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, payload.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(payload);
    }
  }

  private static boolean compressible(String contentType) {
    return contentType.startsWith("text/")
        || contentType.startsWith("application/json")
        || contentType.startsWith("image/svg+xml")
        || contentType.startsWith("application/manifest+json");
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(body.length / 2);
    try (GZIPOutputStream out = new GZIPOutputStream(buffer)) {
      out.write(body);
    }
    return buffer.toByteArray();
  }

  @Override
  public void close() {
    if (started) {
      server.stop(0);
    }
    executor.shutdown();
  }
}
