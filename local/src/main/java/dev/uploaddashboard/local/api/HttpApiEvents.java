package dev.uploaddashboard.local.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.lambda.http.QueryStrings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

/** Builds API Gateway HTTP API payload format 2.0 events from local HTTP requests. */
final class HttpApiEvents {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private HttpApiEvents() {}

  /** The event the gateway at {@code domainName} makes of a request whose body has been read. */
  static ObjectNode event(
      String routeKey,
      Request request,
      byte[] body,
      String domainName,
      String requestId,
      JwtAuthorizer.Authorization authorization) {
    String rawPath = request.getHttpURI().getPath();
    String rawQuery =
        request.getHttpURI().getQuery() == null ? "" : request.getHttpURI().getQuery();
    Instant time = Instant.now();
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "2.0");
    event.put("routeKey", routeKey);
    event.put("rawPath", rawPath);
    event.put("rawQueryString", rawQuery);

    Map<String, String> headers = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    for (HttpField field : request.getHeaders()) {
      if (field.getLowerCaseName().equals("cookie")) {
        for (String cookie : field.getValue().split(";")) {
          if (!cookie.isBlank()) {
            cookies.add(cookie.trim());
          }
        }
      } else {
        headers.merge(field.getLowerCaseName(), field.getValue(), (a, b) -> a + "," + b);
      }
    }
    if (!cookies.isEmpty()) {
      event.set("cookies", JSON.valueToTree(cookies));
    }
    event.set("headers", JSON.valueToTree(headers));
    Map<String, String> query = QueryStrings.parse(rawQuery);
    if (!query.isEmpty()) {
      event.set("queryStringParameters", JSON.valueToTree(query));
    }

    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", "000000000000");
    context.put("apiId", "local");
    context.put("domainName", domainName);
    context.put("domainPrefix", domainName.split("[.:]")[0]);
    ObjectNode http = context.putObject("http");
    http.put("method", request.getMethod().toUpperCase(Locale.ROOT));
    http.put("path", rawPath);
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", Request.getRemoteAddr(request));
    http.put("userAgent", headers.getOrDefault("user-agent", ""));
    if (authorization != null) {
      ObjectNode jwt = context.putObject("authorizer").putObject("jwt");
      jwt.set("claims", JSON.valueToTree(authorization.claims()));
      jwt.set("scopes", JSON.valueToTree(authorization.scopes())); // null: JSON null
    }
    context.put("requestId", requestId);
    context.put("routeKey", routeKey);
    context.put("stage", "$default");
    context.put("time", REQUEST_TIME.format(time));
    context.put("timeEpochMillis", time.toEpochMilli());

    boolean text = isText(headers.get("content-type"));
    if (body.length > 0) {
      event.put(
          "body",
          text
              ? new String(body, StandardCharsets.UTF_8)
              : Base64.getEncoder().encodeToString(body));
    }
    event.put("isBase64Encoded", body.length > 0 && !text);
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
