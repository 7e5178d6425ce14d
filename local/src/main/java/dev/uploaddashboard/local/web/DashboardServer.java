package dev.uploaddashboard.local.web;

import static dev.uploaddashboard.contract.DashboardPage.CONFIG_FILE;
import static dev.uploaddashboard.contract.DashboardPage.INDEX_FILE;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uploaddashboard.contract.DashboardPage;
import dev.uploaddashboard.contract.DashboardPage.SignIn;
import dev.uploaddashboard.local.net.JettyServers;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Serves the dashboard's static files from {@code web/} with Jetty's {@link ResourceHandler}
 * (content types, ETags, {@code no-cache} revalidation, so edits in {@code web/} show on reload)
 * behind its {@link GzipHandler}, plus a generated {@code /config.json}, the file the deployed
 * stack writes next to the dashboard so the page knows its API and where to sign in: {@code
 * {"apiUrl": ..., "auth": {"authority": ..., "clientId": ..., "scopes": [...]}}}.
 *
 * <p>Like the deployed site, the page gets two Content-Security-Policies, and the browser enforces
 * both: a header on every response (CloudFront's response-headers policy, with {@code
 * frame-ancestors 'none'}) and a {@code <meta>} element in {@code index.html} naming the exact API,
 * upload (S3) and sign-in origins (the deployment generates it), so a policy mistake shows up
 * locally too.
 */
public final class DashboardServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Server server;
  private final Path webRoot;
  private final URI url;
  private volatile byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
  private volatile Policies policies;

  private DashboardServer(Server server, Path webRoot, URI url) {
    this.server = server;
    this.webRoot = webRoot;
    this.url = url;
  }

  /** Binds the port at once (so its origin is known); serves once published. */
  public static DashboardServer bind(String host, int port, Path webRoot) throws IOException {
    Server server = JettyServers.bind(host, port, "dashboard", 8);
    URI url = JettyServers.url(server);
    Path root = webRoot.toAbsolutePath().normalize();
    DashboardServer dashboard = new DashboardServer(server, root, url);

    ResourceHandler files = new ResourceHandler();
    files.setBaseResource(ResourceFactory.of(server).newResource(root));
    files.setDirAllowed(false);
    files.setWelcomeFiles(List.of(INDEX_FILE));
    files.setWelcomeMode(ResourceService.WelcomeMode.SERVE);
    files.setEtags(true);
    files.setCacheControl("no-cache");
    files.setUseFileMapping(false);
    // In a context: its alias checks keep symlinks from leading out of web/, and its MIME map
    // (Jetty's, plus modules and the manifest) serves UTF-8 text as the deployed site does.
    ContextHandler context = new ContextHandler(files, "/");
    context.setBaseResource(files.getBaseResource());
    MimeTypes.Mutable types = context.getMimeTypes();
    types.addMimeMapping("js", "text/javascript;charset=utf-8");
    types.addMimeMapping("mjs", "text/javascript;charset=utf-8");
    types.addMimeMapping("css", "text/css;charset=utf-8");
    types.addMimeMapping("html", "text/html;charset=utf-8");
    types.addMimeMapping("webmanifest", "application/manifest+json");
    GzipHandler gzip = new GzipHandler();
    gzip.setMinGzipSize(1024);
    gzip.setHandler(dashboard.new Site(context));
    JettyServers.handle(server, gzip);
    return dashboard;
  }

  /** The two policies of the page: the header on every response, the page's exact meta one. */
  private record Policies(String header, String page) {}

  /**
   * Starts serving, with {@code /config.json} pointing at {@code apiUrl} and the sign-in service,
   * and the Content-Security-Policies allowing exactly the API, the upload endpoint (where
   * presigned URLs point) and the sign-in service.
   */
  public void publish(URI apiUrl, URI uploadEndpoint, SignIn auth, long maxUploadBytes)
      throws Exception {
    String api = DashboardPage.origin(apiUrl);
    String uploads = DashboardPage.origin(uploadEndpoint);
    String signIn = DashboardPage.origin(URI.create(auth.authority()));
    policies =
        new Policies(
            DashboardPage.headerPolicy(
                List.of(api, uploads, signIn), List.of(uploads), List.of(signIn)),
            DashboardPage.pagePolicy(api, List.of(uploads), signIn));
    publish(apiUrl, auth, maxUploadBytes);
  }

  /**
   * Starts serving, with {@code /config.json} pointing at {@code apiUrl} and the sign-in service,
   * but without Content-Security-Policies: it does not know where presigned upload URLs point.
   * {@link #publish(URI, URI, SignIn, long)} serves the page as deployed.
   */
  public void publish(URI apiUrl, SignIn auth, long maxUploadBytes) throws Exception {
    config = JSON.writeValueAsBytes(DashboardPage.config(apiUrl.toString(), auth, maxUploadBytes));
    server.start();
  }

  /** Origin of the dashboard, e.g. {@code http://127.0.0.1:8080}. */
  public URI url() {
    return url;
  }

  /**
   * The deployed distribution's headers, GET/HEAD only, {@code /config.json}, the page with its
   * policy; everything else goes to Jetty's resource handler (hidden files excepted).
   */
  private final class Site extends Handler.Wrapper {
    Site(Handler files) {
      super(files);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      var headers = response.getHeaders();
      headers.put("X-Content-Type-Options", "nosniff");
      Policies current = policies;
      if (current != null) {
        // CloudFront's response-headers policy: on every response.
        headers.put("Content-Security-Policy", current.header());
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "strict-origin-when-cross-origin");
        headers.put("Cross-Origin-Opener-Policy", DashboardPage.CROSS_ORIGIN_OPENER_POLICY);
        headers.put("Permissions-Policy", DashboardPage.PERMISSIONS_POLICY);
      }
      String method = request.getMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        headers.put("Allow", "GET, HEAD");
        return send(response, callback, 405, "text/plain;charset=utf-8", "Method not allowed");
      }
      String path = Request.getPathInContext(request);
      if (path.equals("/" + CONFIG_FILE)) {
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        return send(response, callback, 200, "application/json", config);
      }
      if (path.contains("/.")) {
        return send(response, callback, 404, "text/plain;charset=utf-8", "Not found");
      }
      if (current != null && (path.equals("/") || path.equals("/" + INDEX_FILE))) {
        return page(request, response, callback, current);
      }
      if (!super.handle(request, response, callback)) {
        return send(
            response,
            callback,
            404,
            "text/plain;charset=utf-8",
            path.equals("/")
                ? "Not found: there is no dashboard in " + webRoot + " yet (index.html is missing)"
                : "Not found");
      }
      return true;
    }

    /** The page with its meta policy; its ETag is its content's, so it changes with the policy. */
    private boolean page(Request request, Response response, Callback callback, Policies current)
        throws IOException {
      Path file = webRoot.resolve(INDEX_FILE);
      if (!Files.isRegularFile(file)) {
        return send(response, callback, 404, "text/plain;charset=utf-8", "Not found");
      }
      String html;
      try {
        html = DashboardPage.withPagePolicy(Files.readString(file), current.page());
      } catch (IllegalArgumentException e) {
        return send(
            response, callback, 500, "text/plain;charset=utf-8", file + ": " + e.getMessage());
      }
      String etag = "\"" + Integer.toHexString(html.hashCode()) + "\"";
      response.getHeaders().put(HttpHeader.ETAG, etag);
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
      if (etag.equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
        response.setStatus(304);
        callback.succeeded();
        return true;
      }
      return send(response, callback, 200, "text/html; charset=utf-8", html);
    }
  }

  private static boolean send(
      Response response, Callback callback, int status, String contentType, String body) {
    return send(response, callback, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean send(
      Response response, Callback callback, int status, String contentType, byte[] body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.write(true, java.nio.ByteBuffer.wrap(body), callback);
    return true;
  }

  @Override
  public void close() {
    JettyServers.stop(server);
  }
}
