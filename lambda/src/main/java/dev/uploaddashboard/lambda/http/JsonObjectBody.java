package dev.uploaddashboard.lambda.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.lambda.service.RequestRejectedException;
import java.util.Optional;

/** Field access on a JSON object request body, rejecting bad input with the contract's codes. */
public final class JsonObjectBody {
  private final ObjectNode object;

  private JsonObjectBody(ObjectNode object) {
    this.object = object;
  }

  static JsonObjectBody parse(String body) {
    if (body.isBlank()) {
      return new JsonObjectBody(Json.MAPPER.createObjectNode());
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw RequestRejectedException.invalid("invalid_json", "Invalid JSON body");
    }
    if (!(node instanceof ObjectNode objectNode)) {
      throw RequestRejectedException.invalid("invalid_json", "Request body must be a JSON object");
    }
    return new JsonObjectBody(objectNode);
  }

  /** Rejects with 400 {@code missing_fields} if any field is absent or null. */
  public JsonObjectBody require(String message, String... names) {
    for (String name : names) {
      JsonNode value = object.get(name);
      if (value == null || value.isNull()) {
        throw RequestRejectedException.invalid("missing_fields", message);
      }
    }
    return this;
  }

  /** A present field that must be a non-empty string, else 400 {@code invalid_field}. */
  public String string(String name) {
    JsonNode value = object.get(name);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw invalidField(name, "must be a non-empty string");
    }
    return value.textValue();
  }

  /** A present field's raw JSON value. */
  public Optional<JsonNode> value(String name) {
    return Optional.ofNullable(object.get(name));
  }

  public static RequestRejectedException invalidField(String name, String problem) {
    return RequestRejectedException.invalid("invalid_field", "Field '" + name + "' " + problem);
  }
}
