package dev.uploaddashboard.local.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.lambda.http.QueryStrings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds API Gateway HTTP API payload format 2.0 events from local HTTP requests. */
final class HttpApiEvents {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private HttpApiEvents() {}

  /** What the gateway knows about one request before it invokes the integration. */
  record Request(
      String method,
      String rawPath,
      String rawQueryString,
      Map<String, List<String>> headers,
      byte[] body,
      String sourceIp,
      String domainName,
      String requestId,
      Instant time,
      JwtAuthorizer.Authorization authorization) {}

  static ObjectNode event(String routeKey, Request request) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", routeKey);
    event.put("rawPath", request.rawPath());
    event.put("rawQueryString", request.rawQueryString() == null ? "" : request.rawQueryString());

    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = List.of();
    for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("cookie")) {
        cookies =
            header.getValue().stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(";")))
                .map(String::trim)
                .filter(cookie -> !cookie.isEmpty())
                .toList();
      } else {
        headers.merge(name, String.join(",", header.getValue()), (a, b) -> a + "," + b);
      }
    }
    if (!cookies.isEmpty()) {
      ArrayNode cookieArray = event.putArray("cookies");
      cookies.forEach(cookieArray::add);
    }
    ObjectNode headerNode = event.putObject("headers");
    headers.forEach(headerNode::put);

    Map<String, String> query =
        QueryStrings.parse(request.rawQueryString() == null ? "" : request.rawQueryString());
    if (!query.isEmpty()) {
      ObjectNode queryNode = event.putObject("queryStringParameters");
      query.forEach(queryNode::put);
    }

    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", "000000000000");
    context.put("apiId", "local");
    context.put("domainName", request.domainName());
    context.put("domainPrefix", request.domainName().split("[.:]")[0]);
    ObjectNode http = context.putObject("http");
    http.put("method", request.method());
    http.put("path", request.rawPath());
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", request.sourceIp());
    http.put("userAgent", headers.getOrDefault("user-agent", ""));
    if (request.authorization() != null) {
      ObjectNode jwt = context.putObject("authorizer").putObject("jwt");
      ObjectNode claims = jwt.putObject("claims");
      request.authorization().claims().forEach(claims::put);
      if (request.authorization().scopes() == null) {
        jwt.putNull("scopes");
      } else {
        ArrayNode scopes = jwt.putArray("scopes");
        request.authorization().scopes().forEach(scopes::add);
      }
    }
    context.put("requestId", request.requestId());
    context.put("routeKey", routeKey);
    context.put("stage", "$default");
    context.put("time", REQUEST_TIME.format(request.time()));
    context.put("timeEpochMillis", request.time().toEpochMilli());

    if (request.body().length > 0) {
      if (isText(headers.get("content-type"))) {
        event.put("body", new String(request.body(), StandardCharsets.UTF_8));
        event.put("isBase64Encoded", false);
      } else {
        event.put("body", Base64.getEncoder().encodeToString(request.body()));
        event.put("isBase64Encoded", true);
      }
    } else {
      event.put("isBase64Encoded", false);
    }
    return event;
  }

  /** API Gateway passes these bodies as text and base64-encodes everything else. */
  static boolean isText(String contentType) {
    if (contentType == null) {
      return true;
    }
    String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
    return type.startsWith("text/")
        || type.equals("application/json")
        || type.endsWith("+json")
        || type.equals("application/xml")
        || type.endsWith("+xml")
        || type.equals("application/javascript")
        || type.equals("application/x-www-form-urlencoded");
  }
}
