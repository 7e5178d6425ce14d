package dev.uploaddashboard.lambda.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Event JSON files from src/test/resources/events, adjusted per test. */
public final class Events {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /** The signed-in user the HTTP event files carry (a regular user, group "uploaders"). */
  public static final String USER_SUB = "7c1e4a52-9d31-4f6b-8a0e-2b5d3c9f1a10";

  private Events() {}

  public static ObjectNode load(String name) {
    try (InputStream in = Events.class.getResourceAsStream("/events/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no event file " + name);
      }
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An HTTP API event with this raw body (null removes the body). */
  public static ObjectNode withBody(ObjectNode event, String body) {
    if (body == null) {
      event.remove("body");
    } else {
      event.put("body", body);
      ((ObjectNode) event.get("headers"))
          .put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
    }
    event.put("isBase64Encoded", false);
    return event;
  }

  public static ObjectNode withBase64Body(ObjectNode event, String body) {
    withBody(event, body);
    event.put("body", Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
    event.put("isBase64Encoded", true);
    return event;
  }

  /** The JWT claims block of an HTTP API event, to adjust in place. */
  public static ObjectNode claims(ObjectNode event) {
    return (ObjectNode) event.path("requestContext").path("authorizer").path("jwt").path("claims");
  }

  /** The event as sent for a regular user (in no group) with this {@code sub}. */
  public static ObjectNode asUser(ObjectNode event, String sub) {
    claims(event).put("sub", sub).put("username", sub).remove("cognito:groups");
    return event;
  }

  /** The event as sent for a member of {@code admins}, as API Gateway renders the groups array. */
  public static ObjectNode asAdmin(ObjectNode event, String sub) {
    asUser(event, sub);
    claims(event).put("cognito:groups", "[uploaders admins]");
    return event;
  }

  public static ObjectNode withHeader(ObjectNode event, String name, String value) {
    ObjectNode headers = (ObjectNode) event.get("headers");
    headers.remove(name.toLowerCase(Locale.ROOT));
    if (value != null) {
      headers.put(name, value);
    }
    return event;
  }

  /** Sets both query forms the way API Gateway does (decoded map, encoded raw string). */
  public static ObjectNode withQuery(ObjectNode event, Map<String, String> query) {
    ObjectNode parameters = MAPPER.createObjectNode();
    query.forEach(parameters::put);
    if (query.isEmpty()) {
      event.remove("queryStringParameters");
    } else {
      event.set("queryStringParameters", parameters);
    }
    event.put(
        "rawQueryString",
        query.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&")));
    return event;
  }

  public static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
