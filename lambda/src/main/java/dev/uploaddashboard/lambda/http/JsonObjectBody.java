package dev.uploaddashboard.lambda.http;

import dev.uploaddashboard.lambda.service.RequestRejectedException;
import dev.uploaddashboard.lambda.service.RequestRejectedException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Field access on a JSON object request body, rejecting bad input with the contract's codes. */
public final class JsonObjectBody {
  public static final int MAX_BODY_BYTES = 16 * 1024;

  /** The longest base64 text that can decode to at most {@link #MAX_BODY_BYTES}. */
  static final int MAX_BASE64_CHARS = maxBase64Chars(MAX_BODY_BYTES);

  private static final String TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
  private static final Pattern PARAMETER =
      Pattern.compile("\\s*(" + TOKEN + ")\\s*=\\s*(" + TOKEN + "|\"[^\"\\\\]*\")\\s*");

  private final Map<?, ?> object;

  private JsonObjectBody(Map<?, ?> object) {
    this.object = object;
  }

  static int maxBase64Chars(int maxBytes) {
    return 4 * ((maxBytes + 2) / 3);
  }

  static JsonObjectBody read(ApiRequest request, int maxBytes) {
    requireJsonMediaType(request.header("Content-Type"));
    String raw = request.rawBody().orElse("");
    String text;
    if (request.base64Encoded()) {
      if (raw.length() > maxBase64Chars(maxBytes)) {
        throw bodyTooLarge(maxBytes);
      }
      text = decodeBase64(raw, maxBytes);
    } else {
      // A char is at least one UTF-8 byte: the cheap test settles most oversized bodies.
      if (raw.length() > maxBytes || raw.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
        throw bodyTooLarge(maxBytes);
      }
      text = raw;
    }
    return parse(text);
  }

  /**
   * {@code application/json}, with parameters allowed; a charset parameter must name UTF-8, the
   * only encoding JSON is exchanged in (RFC 8259) and the one the body is decoded with.
   */
  static void requireJsonMediaType(Optional<String> contentType) {
    if (contentType.isEmpty()) {
      throw unsupportedMediaType();
    }
    String[] parts = contentType.get().split(";", -1);
    if (!parts[0].strip().equalsIgnoreCase("application/json")) {
      throw unsupportedMediaType();
    }
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].isBlank()) {
        continue; // RFC 9110 allows empty parameters: "application/json;" is well-formed
      }
      Matcher parameter = PARAMETER.matcher(parts[i]);
      if (!parameter.matches()) {
        throw unsupportedMediaType();
      }
      String value = parameter.group(2).replace("\"", "");
      if (parameter.group(1).equalsIgnoreCase("charset")
          && !value.toLowerCase(Locale.ROOT).equals("utf-8")) {
        throw unsupportedMediaType();
      }
    }
  }

  private static String decodeBase64(String encoded, int maxBytes) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw RequestRejectedException.invalid("invalid_json", "Invalid JSON body");
    }
    if (bytes.length > maxBytes) {
      throw bodyTooLarge(maxBytes);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw RequestRejectedException.invalid("invalid_json", "Invalid JSON body");
    }
  }

  private static RequestRejectedException bodyTooLarge(int maxBytes) {
    return new RequestRejectedException(
        Reason.TOO_LARGE, "body_too_large", "Request body is larger than " + maxBytes + " bytes");
  }

  private static RequestRejectedException unsupportedMediaType() {
    return new RequestRejectedException(
        Reason.UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        "Content-Type must be application/json");
  }

  private static JsonObjectBody parse(String body) {
    if (body.isBlank()) {
      return new JsonObjectBody(Map.of());
    }
    Object node;
    try {
      node = Json.read(body);
    } catch (IOException e) {
      throw RequestRejectedException.invalid("invalid_json", "Invalid JSON body");
    }
    if (!(node instanceof Map<?, ?> objectNode)) {
      throw RequestRejectedException.invalid("invalid_json", "Request body must be a JSON object");
    }
    return new JsonObjectBody(objectNode);
  }

  /** Rejects with 400 {@code missing_fields} if any field is absent or null. */
  public JsonObjectBody require(String message, String... names) {
    for (String name : names) {
      if (object.get(name) == null) {
        throw RequestRejectedException.invalid("missing_fields", message);
      }
    }
    return this;
  }

  /** A present field that must be a non-empty string, else 400 {@code invalid_field}. */
  public String string(String name) {
    if (!(object.get(name) instanceof String value) || value.isEmpty()) {
      throw invalidField(name, "must be a non-empty string");
    }
    return value;
  }

  /** Whether the field is present and not null. */
  public boolean has(String name) {
    return object.get(name) != null;
  }

  /** A present field that must be a non-empty array of strings, else 400 {@code invalid_field}. */
  public List<String> strings(String name) {
    if (!(object.get(name) instanceof List<?> values) || values.isEmpty()) {
      throw invalidField(name, "must be a non-empty array of strings");
    }
    List<String> strings = new ArrayList<>(values.size());
    for (Object value : values) {
      if (!(value instanceof String string)) {
        throw invalidField(name, "must be a non-empty array of strings");
      }
      strings.add(string);
    }
    return strings;
  }

  /** A present field's raw JSON value (see {@link Json} for the types). */
  public Optional<Object> value(String name) {
    return Optional.ofNullable(object.get(name));
  }

  public static RequestRejectedException invalidField(String name, String problem) {
    return RequestRejectedException.invalid("invalid_field", "Field '" + name + "' " + problem);
  }
}
