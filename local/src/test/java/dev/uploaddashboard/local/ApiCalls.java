package dev.uploaddashboard.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Real HTTP calls to a running {@link LocalProduct}'s API, as the dashboard makes them, signed in
 * as one user.
 */
final class ApiCalls {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI apiUrl;
  private final String accessToken;

  ApiCalls(URI apiUrl, String accessToken) {
    this.apiUrl = apiUrl;
    this.accessToken = accessToken;
  }

  /** Calls as {@code userName}, with an access token from the product's identity provider. */
  static ApiCalls as(LocalProduct product, String userName) {
    return new ApiCalls(product.apiUrl(), product.accessTokenFor(userName));
  }

  /** Object keys on the first page of GET /metadata?limit=100, newest first. */
  List<String> listedKeys() throws Exception {
    HttpResponse<String> response = send(authorized(apiUrl.resolve("/metadata?limit=100")).GET());
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET /metadata answered " + response.statusCode() + ": " + response.body());
    }
    List<String> keys = new ArrayList<>();
    for (JsonNode item : JSON.readTree(response.body()).get("items")) {
      keys.add(item.get("object_key").asText());
    }
    return keys;
  }

  JsonNode listed(String key) throws Exception {
    HttpResponse<String> response = send(authorized(apiUrl.resolve("/metadata?limit=100")).GET());
    for (JsonNode item : JSON.readTree(response.body()).get("items")) {
      if (item.get("object_key").asText().equals(key)) {
        return item;
      }
    }
    throw new AssertionError(key + " is not listed: " + response.body());
  }

  HttpResponse<String> delete(String bucket, String key) throws Exception {
    String body = JSON.writeValueAsString(java.util.Map.of("bucket", bucket, "key", key));
    return send(
        authorized(apiUrl.resolve("/metadata"))
            .header("Content-Type", "application/json")
            .method("DELETE", HttpRequest.BodyPublishers.ofString(body)));
  }

  HttpResponse<String> post(String path, String json) throws Exception {
    return send(
        authorized(apiUrl.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(authorized(apiUrl.resolve(pathAndQuery)).GET());
  }

  private HttpRequest.Builder authorized(URI uri) {
    return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + accessToken);
  }

  static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
  }
}
