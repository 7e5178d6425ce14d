package dev.uploaddashboard.lambda.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.jr.ob.JSON;
import com.fasterxml.jackson.jr.ob.JSONObjectException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one JSON codec of the functions (jackson-jr over jackson-core: a small library with a short
 * cold path; in the function packages it runs on the AWS SDK's own copy of jackson-core, see
 * lambda/pom.xml). JSON is read as plain values: {@code Map<String, Object>} for objects, {@code
 * List} for arrays, {@code String}, {@code Boolean}, {@code Integer}/{@code Long}/{@code
 * BigInteger}, {@code Double}, and {@code null}. Reading is strict: duplicate keys and anything
 * after the value are errors. Records are written with snake_case names in declaration order, nulls
 * included.
 */
public final class Json {
  private static final JSON CODEC =
      JSON.builder(
              JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
          .disable(JSON.Feature.HANDLE_JAVA_BEANS)
          .enable(JSON.Feature.WRITE_NULL_PROPERTIES)
          .enable(JSON.Feature.FAIL_ON_DUPLICATE_MAP_KEYS)
          .build();

  private Json() {}

  /** One JSON value of the text. */
  public static Object read(String text) throws IOException {
    try (JsonParser parser = CODEC.getStreamingFactory().createParser(text)) {
      return readOne(parser);
    }
  }

  /** One JSON value of the stream (UTF-8). */
  public static Object read(InputStream input) throws IOException {
    try (JsonParser parser = CODEC.getStreamingFactory().createParser(input)) {
      return readOne(parser);
    }
  }

  /** One JSON value of the bytes (UTF-8). */
  public static Object read(byte[] input) throws IOException {
    try (JsonParser parser = CODEC.getStreamingFactory().createParser(input)) {
      return readOne(parser);
    }
  }

  private static Object readOne(JsonParser parser) throws IOException {
    if (parser.nextToken() == null) {
      throw new JSONObjectException("no JSON value");
    }
    Object value = CODEC.anyFrom(parser);
    if (parser.nextToken() != null) {
      throw new JSONObjectException("unexpected content after the JSON value");
    }
    return value;
  }

  /** The value encoded as JSON text. */
  public static String write(Object value) {
    try {
      return CODEC.asString(plain(value));
    } catch (IOException e) {
      throw new IllegalArgumentException("value cannot be encoded as JSON", e);
    }
  }

  /** The value encoded as UTF-8 JSON. */
  public static byte[] writeBytes(Object value) {
    try {
      return CODEC.asBytes(plain(value));
    } catch (IOException e) {
      throw new IllegalArgumentException("value cannot be encoded as JSON", e);
    }
  }

  /** The member of an object, or null when the value is not an object or has no such member. */
  public static Object member(Object object, String name) {
    return object instanceof Map<?, ?> map ? map.get(name) : null;
  }

  /** Follows members through nested objects; null as soon as one is missing. */
  public static Object path(Object value, String... names) {
    Object current = value;
    for (String name : names) {
      current = member(current, name);
    }
    return current;
  }

  /** A scalar (string, number, boolean) as text; null for null, objects and arrays. */
  public static String text(Object value) {
    return value instanceof String || value instanceof Number || value instanceof Boolean
        ? value.toString()
        : null;
  }

  /** Records, maps, collections and optionals as the plain values the codec writes. */
  static Object plain(Object value) {
    if (value instanceof Record record) {
      Map<String, Object> object = new LinkedHashMap<>();
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        try {
          component.getAccessor().setAccessible(true);
          object.put(snakeCase(component.getName()), plain(component.getAccessor().invoke(record)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalArgumentException("unreadable record component", e);
        }
      }
      return object;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> object = new LinkedHashMap<>();
      map.forEach((k, v) -> object.put(String.valueOf(k), plain(v)));
      return object;
    }
    if (value instanceof Collection<?> collection) {
      List<Object> array = new ArrayList<>(collection.size());
      collection.forEach(v -> array.add(plain(v)));
      return array;
    }
    if (value instanceof Optional<?> optional) {
      return plain(optional.orElse(null));
    }
    if (value instanceof Enum<?> constant) {
      return constant.name();
    }
    return value;
  }

  static String snakeCase(String name) {
    StringBuilder snake = new StringBuilder(name.length() + 4);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isUpperCase(c)) {
        // As Jackson's SNAKE_CASE: no separator inside a run of capitals ("fileURL" -> "file_url").
        if (i > 0 && !Character.isUpperCase(name.charAt(i - 1))) {
          snake.append('_');
        }
        snake.append(Character.toLowerCase(c));
      } else {
        snake.append(c);
      }
    }
    return snake.toString();
  }
}
