package dev.uploaddashboard.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.uploaddashboard.local.net.HostAllowList;
import dev.uploaddashboard.local.runtime.LambdaFunction;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for the deployed API Gateway HTTP API: same routes, payload format 2.0 events
 * to the same handler classes, the same CORS behaviour, and a JWT authorizer on every route: a
 * request without a valid token gets {@code 401 {"message":"Unauthorized"}} before any handler runs
 * (preflights need none).
 */
public final class HttpApiGateway implements AutoCloseable {

  /** Requests with larger bodies get 413 before any handler runs. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  private static final long DRAIN_LIMIT_BYTES = 64L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(HttpApiGateway.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INTERNAL_SERVER_ERROR = "{\"message\":\"Internal Server Error\"}";
  private static final String UNAUTHORIZED = "{\"message\":\"Unauthorized\"}";

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<ApiRoute> routes;
  private final CorsPolicy cors;
  private final JwtAuthorizer authorizer;
  private final URI url;

  private HttpApiGateway(
      HttpServer server,
      ExecutorService executor,
      List<ApiRoute> routes,
      CorsPolicy cors,
      JwtAuthorizer authorizer) {
    this.server = server;
    this.executor = executor;
    this.routes = List.copyOf(routes);
    this.cors = cors;
    this.authorizer = authorizer;
    InetSocketAddress address = server.getAddress();
    this.url = URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  /** Starts serving {@code routes}, each behind {@code authorizer}. */
  public static HttpApiGateway start(
      String host, int port, List<ApiRoute> routes, CorsPolicy cors, JwtAuthorizer authorizer)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            8,
            runnable -> {
              Thread thread = new Thread(runnable, "http-api");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    HttpApiGateway gateway =
        new HttpApiGateway(
            server, executor, routes, cors, Objects.requireNonNull(authorizer, "authorizer"));
    server
        .createContext("/", gateway::handle)
        .getFilters()
        .add(HostAllowList.forServer(host, server.getAddress().getPort()).filter());
    server.start();
    return gateway;
  }

  /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:8081}. */
  public URI url() {
    return url;
  }

  private void handle(HttpExchange exchange) throws IOException {
    long started = System.nanoTime();
    String requestId = UUID.randomUUID().toString();
    int status;
    try (exchange) {
      status = respond(exchange, requestId);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
      return;
    }
    LOG.info(
        "{} {} {} {}ms",
        exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(),
        status,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private int respond(HttpExchange exchange, String requestId) throws IOException {
    Headers requestHeaders = exchange.getRequestHeaders();
    String origin = requestHeaders.getFirst("Origin");
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    Headers responseHeaders = exchange.getResponseHeaders();
    responseHeaders.set("apigw-requestid", requestId);

    String requestedMethod = requestHeaders.getFirst("Access-Control-Request-Method");
    if (method.equals("OPTIONS") && origin != null && requestedMethod != null) {
      if (cors.allowsPreflight(origin, requestedMethod)) {
        responseHeaders.set("Access-Control-Allow-Origin", origin);
        responseHeaders.set("Access-Control-Allow-Methods", cors.allowMethodsHeader());
        responseHeaders.set("Access-Control-Allow-Headers", cors.allowHeadersHeader());
        responseHeaders.set("Access-Control-Max-Age", Long.toString(cors.maxAge().toSeconds()));
        responseHeaders.set("Vary", "Origin");
      }
      exchange.sendResponseHeaders(204, -1);
      return 204;
    }

    Optional<String> allowedOrigin = cors.allowedOrigin(origin);
    allowedOrigin.ifPresent(
        allowed -> {
          responseHeaders.set("Access-Control-Allow-Origin", allowed);
          responseHeaders.set("Vary", "Origin");
        });

    String rawPath = exchange.getRequestURI().getRawPath();
    List<ApiRoute> onPath = routes.stream().filter(route -> route.path().equals(rawPath)).toList();
    if (onPath.isEmpty()) {
      return sendJson(exchange, 404, "{\"error\":\"Not found\",\"code\":\"not_found\"}");
    }
    Optional<ApiRoute> route =
        onPath.stream().filter(candidate -> candidate.method().equals(method)).findFirst();
    if (route.isEmpty()) {
      responseHeaders.set(
          "Allow", String.join(", ", onPath.stream().map(ApiRoute::method).toList()));
      return sendJson(
          exchange, 405, "{\"error\":\"Method not allowed\",\"code\":\"method_not_allowed\"}");
    }

    Optional<JwtAuthorizer.Authorization> authorization =
        authorizer.authorize(requestHeaders.getFirst("Authorization"));
    if (authorization.isEmpty()) {
      drain(exchange.getRequestBody());
      return sendJson(exchange, 401, UNAUTHORIZED);
    }

    byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      // Read what the client is still sending (up to a bound), so it gets to see the 413 instead of
      // a reset.
      drain(exchange.getRequestBody());
      return sendJson(
          exchange, 413, "{\"error\":\"Request body too large\",\"code\":\"request_too_large\"}");
    }

    HttpApiEvents.Request request =
        new HttpApiEvents.Request(
            method,
            rawPath,
            exchange.getRequestURI().getRawQuery(),
            requestHeaders,
            body,
            exchange.getRemoteAddress().getAddress().getHostAddress(),
            url.getAuthority(),
            requestId,
            Instant.now(),
            authorization.get());
    byte[] event = JSON.writeValueAsBytes(HttpApiEvents.event(route.get().routeKey(), request));
    return invoke(exchange, route.get().function(), event, requestId);
  }

  private int invoke(HttpExchange exchange, LambdaFunction function, byte[] event, String requestId)
      throws IOException {
    byte[] output;
    try {
      output = function.invoke(event, requestId);
    } catch (Exception | Error e) {
      LOG.error("{} invocation {} failed", function.name(), requestId, e);
      return sendJson(exchange, 500, INTERNAL_SERVER_ERROR);
    }
    JsonNode response;
    try {
      response = JSON.readTree(output);
    } catch (IOException e) {
      LOG.error(
          "{} invocation {} returned a response that is not JSON", function.name(), requestId);
      return sendJson(exchange, 500, INTERNAL_SERVER_ERROR);
    }
    if (response == null || !response.isObject() || !response.has("statusCode")) {
      // Payload 2.0 without a statusCode: API Gateway answers 200 with the output as a JSON body.
      return sendJson(
          exchange, 200, output.length == 0 ? "null" : new String(output, StandardCharsets.UTF_8));
    }
    JsonNode statusNode = response.get("statusCode");
    if (!statusNode.canConvertToInt() || statusNode.asInt() < 100 || statusNode.asInt() > 599) {
      LOG.error(
          "{} invocation {} returned an invalid statusCode {}",
          function.name(),
          requestId,
          statusNode);
      return sendJson(exchange, 500, INTERNAL_SERVER_ERROR);
    }
    int status = statusNode.asInt();
    Headers responseHeaders = exchange.getResponseHeaders();
    JsonNode headers = response.path("headers");
    for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> header = it.next();
      if (!header.getKey().toLowerCase(Locale.ROOT).startsWith("access-control-")) {
        responseHeaders.set(header.getKey(), header.getValue().asText());
      }
    }
    for (JsonNode cookie : response.path("cookies")) {
      responseHeaders.add("Set-Cookie", cookie.asText());
    }
    JsonNode bodyNode = response.get("body");
    byte[] body;
    if (bodyNode == null || bodyNode.isNull()) {
      body = new byte[0];
    } else if (response.path("isBase64Encoded").asBoolean(false)) {
      body = Base64.getDecoder().decode(bodyNode.asText());
    } else {
      body = bodyNode.asText().getBytes(StandardCharsets.UTF_8);
    }
    if (!responseHeaders.containsKey("Content-Type") && body.length > 0) {
      responseHeaders.set("Content-Type", "text/plain; charset=utf-8");
    }
    send(exchange, status, body);
    return status;
  }

  private static int sendJson(HttpExchange exchange, int status, String json) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    send(exchange, status, json.getBytes(StandardCharsets.UTF_8));
    return status;
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    boolean noBody =
        body.length == 0
            || status == 204
            || status == 304
            || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static void drain(java.io.InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int read;
    while (total < DRAIN_LIMIT_BYTES && (read = in.read(buffer)) >= 0) {
      total += read;
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.stop(0);
    executor.shutdown();
    // Let requests already inside a handler finish before the emulators behind them stop.
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }
}
