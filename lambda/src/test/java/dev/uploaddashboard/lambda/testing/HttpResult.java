package dev.uploaddashboard.lambda.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A handler's HTTP API 2.0 response, decoded, plus the context it ran with. */
public record HttpResult(JsonNode raw, int status, JsonNode body, TestContext context) {

  public static HttpResult invoke(RequestStreamHandler handler, JsonNode event) {
    return invoke(handler, event.toString());
  }

  public static HttpResult invoke(RequestStreamHandler handler, String event) {
    TestContext context = new TestContext();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(
          new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonNode raw = Events.parse(out.toString(StandardCharsets.UTF_8));
    return new HttpResult(
        raw, raw.path("statusCode").asInt(), Events.parse(raw.path("body").asText()), context);
  }

  public String header(String name) {
    return raw.path("headers").path(name).asText(null);
  }

  public String code() {
    return body.path("code").asText(null);
  }

  public String error() {
    return body.path("error").asText(null);
  }
}
