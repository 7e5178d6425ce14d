package dev.uploaddashboard.lambda.http;

import dev.uploaddashboard.lambda.service.Caller;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of an HTTP API (payload 2.0) request the handlers use. Header names are
 * case-insensitive. The body is kept as it arrived (base64 when the event says so) and is only
 * decoded by {@link #jsonObjectBody()}, after its media type and size have been checked.
 */
public record ApiRequest(
    String requestId,
    String routeKey,
    String method,
    String path,
    Map<String, String> headers,
    Map<String, String> queryParameters,
    Caller caller,
    Optional<String> rawBody,
    boolean base64Encoded) {

  public ApiRequest {
    TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseInsensitive.putAll(headers);
    headers = Collections.unmodifiableMap(caseInsensitive);
    queryParameters = Map.copyOf(queryParameters);
    Objects.requireNonNull(caller, "caller");
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  public Optional<String> queryParameter(String name) {
    return Optional.ofNullable(queryParameters.get(name));
  }

  /**
   * The body as a JSON object; absent or empty bodies read as {@code {}}. Rejects, in this order: a
   * media type other than JSON (415), a body over the size limit (413), then bad JSON (400).
   */
  public JsonObjectBody jsonObjectBody() {
    return jsonObjectBody(JsonObjectBody.MAX_BODY_BYTES);
  }

  /** {@link #jsonObjectBody()} with a route's own size limit, in decoded bytes. */
  public JsonObjectBody jsonObjectBody(int maxBytes) {
    return JsonObjectBody.read(this, maxBytes);
  }
}
