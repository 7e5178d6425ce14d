package dev.uploaddashboard.local.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uploaddashboard.local.net.JettyServers;
import dev.uploaddashboard.local.runtime.LambdaFunction;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stand-in for the deployed API Gateway HTTP API: same routes, payload format 2.0 events
 * to the same handler classes, the same CORS behaviour, and a JWT authorizer on every route: a
 * request without a valid token gets {@code 401 {"message":"Unauthorized"}} before any handler runs
 * (preflights need none).
 */
public final class HttpApiGateway implements AutoCloseable {

  /** Larger request bodies get 413 before any handler runs (API Gateway's HTTP API: 10 MB). */
  public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

  private static final long DRAIN_LIMIT_BYTES = 64L * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(HttpApiGateway.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INTERNAL_SERVER_ERROR = "{\"message\":\"Internal Server Error\"}";
  private static final String UNAUTHORIZED = "{\"message\":\"Unauthorized\"}";

  private final Server server;
  private final Map<String, LambdaFunction> routes;
  private final JwtAuthorizer authorizer;
  private final URI url;

  private HttpApiGateway(
      Server server, Map<String, LambdaFunction> routes, JwtAuthorizer authorizer) {
    this.server = server;
    this.routes = Map.copyOf(routes);
    this.authorizer = authorizer;
    this.url = JettyServers.url(server);
  }

  /** Starts serving {@code routes} (route key to function), each behind {@code authorizer}. */
  public static HttpApiGateway start(
      String host,
      int port,
      Map<String, LambdaFunction> routes,
      CorsPolicy cors,
      JwtAuthorizer authorizer)
      throws Exception {
    Server server = JettyServers.bind(host, port, "http-api", 16);
    HttpApiGateway gateway =
        new HttpApiGateway(server, routes, Objects.requireNonNull(authorizer, "authorizer"));
    JettyServers.handle(server, cors.handler(gateway.new Routes()));
    server.start();
    return gateway;
  }

  /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:8081}. */
  public URI url() {
    return url;
  }

  /** Routes, authorizer, payload 2.0 event, the function, its answer: after the CORS handler. */
  private final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      long started = System.nanoTime();
      int status;
      try {
        status = respond(request, response);
      } catch (IOException | RuntimeException e) {
        LOG.warn("{} {} failed: {}", request.getMethod(), request.getHttpURI(), e.toString());
        callback.failed(e);
        return true;
      }
      LOG.info(
          "{} {} {} {}ms",
          request.getMethod(),
          request.getHttpURI().getPath(),
          status,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      callback.succeeded();
      return true;
    }
  }

  /** API Gateway's answer to a request no route matches. */
  static final String NOT_FOUND = "{\"message\":\"Not Found\"}";

  private int respond(Request jettyRequest, Response response) throws IOException {
    String requestId = UUID.randomUUID().toString();
    HttpFields requestHeaders = jettyRequest.getHeaders();
    String method = jettyRequest.getMethod().toUpperCase(Locale.ROOT);
    response.getHeaders().put("apigw-requestid", requestId);

    if (method.equals("OPTIONS")
        && requestHeaders.get(HttpHeader.ORIGIN) != null
        && requestHeaders.get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD) != null) {
      // A preflight: API Gateway answers it itself (the CORS handler added headers if allowed).
      return send(response, 204, new byte[0]);
    }

    // No route for this method and path: API Gateway's own answer, before any authorizer (an
    // HTTP API has no 405: a method without a route is as unknown as a path).
    String routeKey = method + " " + jettyRequest.getHttpURI().getPath();
    LambdaFunction function = routes.get(routeKey);
    InputStream in = Content.Source.asInputStream(jettyRequest);
    if (function == null) {
      in.skip(DRAIN_LIMIT_BYTES);
      return sendJson(response, 404, NOT_FOUND);
    }

    Optional<JwtAuthorizer.Authorization> authorization =
        authorizer.authorize(requestHeaders.get(HttpHeader.AUTHORIZATION));
    if (authorization.isEmpty()) {
      in.skip(DRAIN_LIMIT_BYTES);
      return sendJson(response, 401, UNAUTHORIZED);
    }

    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      // Read what the client still sends (up to a bound): it sees the 413 instead of a reset.
      in.skip(DRAIN_LIMIT_BYTES);
      return sendJson(
          response, 413, "{\"error\":\"Request body too large\",\"code\":\"request_too_large\"}");
    }

    byte[] event =
        JSON.writeValueAsBytes(
            HttpApiEvents.event(
                routeKey, jettyRequest, body, url.getAuthority(), requestId, authorization.get()));
    return invoke(response, function, event, requestId);
  }

  private int invoke(Response exchange, LambdaFunction function, byte[] event, String requestId)
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
    HttpFields.Mutable responseHeaders = exchange.getHeaders();
    for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
      if (!header.getKey().toLowerCase(Locale.ROOT).startsWith("access-control-")) {
        responseHeaders.put(header.getKey(), header.getValue().asText());
      }
    }
    for (JsonNode cookie : response.path("cookies")) {
      responseHeaders.add(HttpHeader.SET_COOKIE, cookie.asText());
    }
    String text = response.hasNonNull("body") ? response.get("body").asText() : "";
    byte[] body =
        response.path("isBase64Encoded").asBoolean(false)
            ? Base64.getDecoder().decode(text)
            : text.getBytes(StandardCharsets.UTF_8);
    if (!responseHeaders.contains(HttpHeader.CONTENT_TYPE) && body.length > 0) {
      responseHeaders.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    }
    send(exchange, status, body);
    return status;
  }

  private static int sendJson(Response response, int status, String json) throws IOException {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    return send(response, status, json.getBytes(StandardCharsets.UTF_8));
  }

  private static int send(Response response, int status, byte[] body) throws IOException {
    response.setStatus(status);
    boolean noBody = body.length == 0 || status == 204 || status == 304;
    try (Blocker.Callback done = Blocker.callback()) {
      response.write(true, noBody ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body), done);
      done.block();
    }
    return status;
  }

  @Override
  public void close() {
    // Lets requests already inside a handler finish before the emulators behind them stop.
    JettyServers.stop(server);
  }
}
