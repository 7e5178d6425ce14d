package dev.uploaddashboard.local.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.uploaddashboard.contract.DashboardPage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardServerTest {
  private static final long MAX_UPLOAD_BYTES = 104_857_600L;

  private static final String API = "http://127.0.0.1:9999";
  private static final String S3 = "http://127.0.0.1:9997";
  private static final String SIGN_IN = "http://127.0.0.1:9998";
  private static final String HEADER_POLICY =
      "default-src 'self'; connect-src 'self' "
          + API
          + " "
          + S3
          + " "
          + SIGN_IN
          + "; img-src 'self' "
          + S3
          + "; object-src 'none'; base-uri 'none'; form-action 'self' "
          + SIGN_IN
          + "; frame-ancestors 'none'"
          + "; require-trusted-types-for 'script'; trusted-types 'none'";
  private static final String PAGE_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self';"
          + " connect-src 'self' "
          + API
          + " "
          + S3
          + " "
          + SIGN_IN
          + "; img-src 'self' "
          + S3
          + "; object-src 'none'; base-uri 'none'; form-action 'self' "
          + SIGN_IN;
  private static final String PAGE =
      "<!doctype html>\n<html>\n<head>\n  <meta charset=\"utf-8\">\n"
          + "  <title>Dashboard</title>\n  <script type=\"module\" src=\"js/main.js\"></script>\n</head>\n"
          + "<body></body>\n</html>\n";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path temp;

  private static DashboardServer server;

  @BeforeAll
  static void start() throws Exception {
    Path web = Files.createDirectories(temp.resolve("web"));
    Files.writeString(web.resolve("index.html"), PAGE);
    Files.createDirectories(web.resolve("docs"));
    Files.writeString(web.resolve("docs/index.html"), "<!doctype html><title>Docs</title>");
    Files.createDirectories(web.resolve("js"));
    Files.writeString(web.resolve("js/main.js"), "export const answer = 42;\n".repeat(100));
    Files.writeString(web.resolve("js/util.mjs"), "export {};");
    Files.writeString(web.resolve("styles.css"), "body{}");
    Files.writeString(web.resolve("favicon.svg"), "<svg/>");
    Files.writeString(web.resolve("data.json"), "{}");
    Files.writeString(web.resolve(".env"), "SECRET=1");
    Files.writeString(temp.resolve("outside.txt"), "secret outside the web root");
    server = DashboardServer.bind("127.0.0.1", 0, web);
    // The upload endpoint and the sign-in service as LocalProduct passes them: URLs, reduced to
    // origins.
    server.publish(
        URI.create(API),
        URI.create(S3 + "/"),
        new DashboardPage.SignIn(SIGN_IN, "client-1", List.of("openid", "email", "profile")),
        MAX_UPLOAD_BYTES);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void servesIndexAtTheRoot() throws Exception {
    HttpResponse<String> response = get("/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(response.body()).contains("<title>Dashboard</title>");
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-cache");
  }

  @Test
  void pageCarriesTheExactPolicyFirstInItsHead() throws Exception {
    String body = get("/").body();

    assertThat(body)
        .isEqualTo(
            PAGE.replace(
                "<meta charset=\"utf-8\">\n",
                "<meta charset=\"utf-8\">\n  <meta http-equiv=\"Content-Security-Policy\" content=\""
                    + PAGE_POLICY
                    + "\">\n"));
    assertThat(get("/index.html").body()).isEqualTo(body);
    // Only the dashboard's page is generated; other files are served as they are.
    assertThat(get("/docs/").body()).isEqualTo("<!doctype html><title>Docs</title>");
  }

  @Test
  void everyResponseCarriesTheHeaderPolicyAsCloudFrontSendsIt() throws Exception {
    for (String path : List.of("/", "/js/main.js", "/styles.css", "/config.json", "/missing.js")) {
      HttpResponse<String> response = get(path);
      assertThat(response.headers().firstValue("content-security-policy"))
          .as(path)
          .hasValue(HEADER_POLICY);
      assertThat(response.headers().firstValue("x-frame-options")).as(path).hasValue("DENY");
      assertThat(response.headers().firstValue("referrer-policy"))
          .as(path)
          .hasValue("strict-origin-when-cross-origin");
      assertThat(response.headers().firstValue("cross-origin-opener-policy"))
          .as(path)
          .hasValue("same-origin");
      assertThat(response.headers().firstValue("permissions-policy"))
          .as(path)
          .hasValue(
              "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(),"
                  + " geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(),"
                  + " payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(),"
                  + " usb=(), xr-spatial-tracking=()");
    }
  }

  @Test
  void pagesEtagChangesWithThePolicy() throws Exception {
    String etag = get("/").headers().firstValue("etag").orElseThrow();
    assertThat(
            HTTP.send(
                    HttpRequest.newBuilder(url("/")).header("If-None-Match", etag).build(),
                    BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(304);

    // The same web/ served with other ports (a restart) must not be answered from the browser's
    // cache.
    try (DashboardServer restarted = DashboardServer.bind("127.0.0.1", 0, temp.resolve("web"))) {
      restarted.publish(
          URI.create("http://127.0.0.1:9001"),
          URI.create("http://127.0.0.1:9002"),
          new DashboardPage.SignIn("http://127.0.0.1:9003", "client-1", List.of("openid")),
          MAX_UPLOAD_BYTES);
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(restarted.url() + "/"))
                  .header("If-None-Match", etag)
                  .build(),
              BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .contains(
              "connect-src 'self' http://127.0.0.1:9001 http://127.0.0.1:9002"
                  + " http://127.0.0.1:9003;");
    }
  }

  @Test
  void aPageWithoutAHeadOrWithItsOwnPolicyIsAnError(@TempDir Path other) throws Exception {
    // (The page policy's own rules are the contract's: DashboardPageTest.)
    Files.writeString(other.resolve("index.html"), "<!doctype html><title>t</title>");
    try (DashboardServer broken = DashboardServer.bind("127.0.0.1", 0, other)) {
      broken.publish(
          URI.create(API),
          URI.create(S3),
          new DashboardPage.SignIn(SIGN_IN, "c", List.of()),
          MAX_UPLOAD_BYTES);
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(broken.url() + "/")).build(),
              BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).contains("index.html", "<head>");
    }
  }

  @Test
  void withoutTheUploadEndpointThePageHasNoPolicy(@TempDir Path other) throws Exception {
    Files.writeString(other.resolve("index.html"), PAGE);
    try (DashboardServer plain = DashboardServer.bind("127.0.0.1", 0, other)) {
      plain.publish(
          URI.create(API), new DashboardPage.SignIn(SIGN_IN, "c", List.of()), MAX_UPLOAD_BYTES);
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(plain.url() + "/")).build(),
              BodyHandlers.ofString());
      assertThat(response.body()).isEqualTo(PAGE);
      assertThat(response.headers().firstValue("content-security-policy")).isEmpty();
    }
  }

  @Test
  void servesEachFileWithItsContentType() throws Exception {
    assertThat(get("/js/main.js").headers().firstValue("content-type"))
        .hasValue("text/javascript;charset=utf-8");
    assertThat(get("/js/util.mjs").headers().firstValue("content-type"))
        .hasValue("text/javascript;charset=utf-8");
    assertThat(get("/styles.css").headers().firstValue("content-type"))
        .hasValue("text/css;charset=utf-8");
    assertThat(get("/favicon.svg").headers().firstValue("content-type")).hasValue("image/svg+xml");
    assertThat(get("/data.json").headers().firstValue("content-type")).hasValue("application/json");
  }

  @Test
  void generatesConfigJsonPointingAtTheApiAndTheSignInService() throws Exception {
    HttpResponse<String> response = get("/config.json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .isEqualTo(
            "{\"apiUrl\":\"http://127.0.0.1:9999\",\"auth\":{"
                + "\"clientId\":\"client-1\",\"scopes\":[\"openid\",\"email\",\"profile\"],"
                + "\"authorizeUrl\":\"http://127.0.0.1:9998/oauth2/authorize\","
                + "\"tokenUrl\":\"http://127.0.0.1:9998/oauth2/token\","
                + "\"revokeUrl\":\"http://127.0.0.1:9998/oauth2/revoke\","
                + "\"logoutUrl\":\"http://127.0.0.1:9998/logout\"},"
                + "\"maxUploadBytes\":104857600}");
    assertThat(response.headers().firstValue("cache-control")).hasValue("no-store");
  }

  @Test
  void gzipsTextWhenTheClientAcceptsIt() throws Exception {
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(url("/js/main.js")).header("Accept-Encoding", "gzip").build(),
            BodyHandlers.ofByteArray());

    assertThat(response.headers().firstValue("content-encoding")).hasValue("gzip");
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .startsWith("export const answer");
    }
  }

  @Test
  void answersRevalidationWith304() throws Exception {
    String etag = get("/styles.css").headers().firstValue("etag").orElseThrow();

    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(url("/styles.css")).header("If-None-Match", etag).build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(304);
  }

  @Test
  void refusesPathTraversalAndHiddenFiles() throws Exception {
    // Jetty refuses ambiguous or escaping paths with 400, or finds no such file (404).
    for (String path :
        List.of(
            "/../outside.txt",
            "/js/../../outside.txt",
            "/%2e%2e/outside.txt",
            "/js/%2E%2E%2F%2E%2E%2Foutside.txt",
            "/..%5Coutside.txt")) {
      assertThat(rawStatusLine(path)).as(path).containsAnyOf(" 400 ", " 404 ");
    }
    assertThat(get("/.env").statusCode()).isEqualTo(404);
  }

  @Test
  void answersUnknownFilesWith404AndWritesWith405() throws Exception {
    assertThat(get("/missing.js").statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        HTTP.send(
            HttpRequest.newBuilder(url("/index.html"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  private static URI url(String path) {
    return URI.create(server.url() + path);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url(path)).build(), BodyHandlers.ofString());
  }

  /** Sends the path byte for byte, as a client that does not normalize URLs would. */
  private static String rawStatusLine(String rawPath) throws IOException {
    try (Socket socket = new Socket(server.url().getHost(), server.url().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + rawPath
                  + " HTTP/1.1\r\nHost: "
                  + server.url().getAuthority()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(response).doesNotContain("secret outside");
      return response.lines().findFirst().orElse("");
    }
  }
}
