package dev.uploaddashboard.lambda.http;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of an HTTP API (payload 2.0) request the handlers use. Header names are
 * case-insensitive; the body is already base64-decoded when the event said so.
 */
public record ApiRequest(
    String requestId,
    String routeKey,
    String method,
    String path,
    Map<String, String> headers,
    Map<String, String> queryParameters,
    Optional<String> body) {

  public ApiRequest {
    TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseInsensitive.putAll(headers);
    headers = Collections.unmodifiableMap(caseInsensitive);
    queryParameters = Map.copyOf(queryParameters);
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  public Optional<String> queryParameter(String name) {
    return Optional.ofNullable(queryParameters.get(name));
  }

  /** The body as a JSON object; absent or empty bodies read as {@code {}}. */
  public JsonObjectBody jsonObjectBody() {
    return JsonObjectBody.parse(body.orElse(""));
  }
}
