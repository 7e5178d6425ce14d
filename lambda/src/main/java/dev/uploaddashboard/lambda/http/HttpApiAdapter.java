package dev.uploaddashboard.lambda.http;

import com.amazonaws.services.lambda.runtime.Context;
import dev.uploaddashboard.lambda.log.JsonLog;
import dev.uploaddashboard.lambda.service.Caller;
import dev.uploaddashboard.lambda.service.RequestRejectedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one HTTP API (payload 2.0) invocation: decodes the event and its caller, calls the route,
 * and encodes the response. The single place where errors become HTTP statuses: rejected requests
 * become 4xx JSON, anything unexpected is logged with the request id and answered with a generic
 * 500.
 */
public final class HttpApiAdapter {
  /** What a handler does with a decoded request. */
  @FunctionalInterface
  public interface Route {
    ApiResponse handle(ApiRequest request);
  }

  private HttpApiAdapter() {}

  public static void handle(InputStream input, OutputStream output, Context context, Route route)
      throws IOException {
    long started = System.nanoTime();
    JsonLog log = JsonLog.forInvocation(context);
    Map<String, Object> fields = new LinkedHashMap<>();
    ApiResponse response;
    try {
      Object event = Json.read(input);
      fields.put("route", text(event, "routeKey"));
      fields.put("api_request_id", text(Json.member(event, "requestContext"), "requestId"));
      ApiRequest request = decode(event);
      fields.put("caller", request.caller().userId());
      fields.put("caller_admin", request.caller().admin());
      response = route.handle(request);
    } catch (RequestRejectedException e) {
      fields.put("error_code", e.code());
      response = ApiResponse.error(status(e.reason()), e.code(), e.getMessage());
    } catch (IOException | RuntimeException e) {
      String requestId = requestId(log, fields);
      log.error("unhandled error", fields, e);
      response =
          ApiResponse.json(
              500,
              new ApiResponse.InternalErrorBody("Internal error", "internal_error", requestId));
    }
    fields.put("status", response.statusCode());
    fields.put("duration_ms", (System.nanoTime() - started) / 1_000_000);
    log.info("request completed", fields);
    write(output, response);
  }

  static int status(RequestRejectedException.Reason reason) {
    return switch (reason) {
      case INVALID -> 400;
      case UNAUTHORIZED -> 401;
      case NOT_FOUND -> 404;
      case TOO_LARGE -> 413;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case RATE_LIMITED -> 429;
    };
  }

  private static String requestId(JsonLog log, Map<String, Object> fields) {
    if (log.requestId() != null) {
      return log.requestId();
    }
    Object apiRequestId = fields.get("api_request_id");
    return apiRequestId == null ? "unknown" : apiRequestId.toString();
  }

  /** The request and its caller; no usable {@code sub} is a 401 before any route runs. */
  static ApiRequest decode(Object event) {
    if (!(event instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("event is not a JSON object");
    }
    Caller caller =
        AuthorizerClaims.caller(event)
            .orElseThrow(
                () ->
                    new RequestRejectedException(
                        RequestRejectedException.Reason.UNAUTHORIZED,
                        "unauthorized",
                        "Sign-in required"));
    Object requestContext = Json.member(event, "requestContext");
    Object http = Json.member(requestContext, "http");
    Map<String, String> headers = stringMap(Json.member(event, "headers"));
    Map<String, String> query = stringMap(Json.member(event, "queryStringParameters"));
    if (query.isEmpty() && !text(event, "rawQueryString", "").isEmpty()) {
      query = QueryStrings.parse(text(event, "rawQueryString", ""));
    }
    return new ApiRequest(
        text(requestContext, "requestId", ""),
        text(event, "routeKey", ""),
        text(http, "method", ""),
        text(http, "path", text(event, "rawPath", "")),
        headers,
        query,
        caller,
        Optional.ofNullable(text(event, "body")),
        isTrue(Json.member(event, "isBase64Encoded")));
  }

  private static boolean isTrue(Object flag) {
    return Boolean.TRUE.equals(flag) || "true".equals(flag);
  }

  private static Map<String, String> stringMap(Object node) {
    Map<String, String> map = new HashMap<>();
    if (node instanceof Map<?, ?> object) {
      object.forEach(
          (name, value) -> {
            String text = Json.text(value);
            if (text != null) {
              map.put(String.valueOf(name), text);
            }
          });
    }
    return map;
  }

  private static String text(Object node, String field) {
    return Json.text(Json.member(node, field));
  }

  private static String text(Object node, String field, String fallback) {
    String value = text(node, field);
    return value == null ? fallback : value;
  }

  private static void write(OutputStream output, ApiResponse response) throws IOException {
    Map<String, Object> encoded = new LinkedHashMap<>();
    encoded.put("statusCode", response.statusCode());
    encoded.put("headers", Map.of("Content-Type", "application/json", "Cache-Control", "no-store"));
    encoded.put("body", Json.write(response.body()));
    encoded.put("isBase64Encoded", false);
    output.write(Json.writeBytes(encoded));
    output.flush();
  }
}
