package dev.uploaddashboard.lambda.service;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The contract's key rules for keys a caller names (delete, detail) and keys sync accepts. */
public final class ObjectKeys {
  public static final String PREFIX = "incoming/";
  public static final int MAX_KEY_BYTES = 1024;

  private ObjectKeys() {}

  /** Returns the key if it follows the rules, otherwise throws a 400 {@code invalid_key}. */
  public static String requireValid(String key) {
    String problem = problem(key);
    if (problem != null) {
      throw RequestRejectedException.invalid("invalid_key", "Invalid object key: " + problem);
    }
    return key;
  }

  public static boolean isValid(String key) {
    return problem(key) == null;
  }

  /**
   * The owner a key records: its second segment, when the key has one ({@code
   * incoming/<owner>/...}) and it is a usable user id. Keys without one belong to no user.
   */
  public static Optional<String> owner(String key) {
    if (key == null || !key.startsWith(PREFIX)) {
      return Optional.empty();
    }
    int end = key.indexOf('/', PREFIX.length());
    if (end < 0) {
      return Optional.empty();
    }
    String segment = key.substring(PREFIX.length(), end);
    return Caller.isValidUserId(segment) ? Optional.of(segment) : Optional.empty();
  }

  /** A short, caller-safe description of the first rule the key breaks, or null. */
  public static String problem(String key) {
    if (key == null || key.isEmpty()) {
      return "key must be a non-empty string";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isISOControl(c)) {
        return "key must not contain control characters";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
          return "key must be valid Unicode";
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return "key must be valid Unicode";
      }
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      return "key must be at most " + MAX_KEY_BYTES + " bytes";
    }
    if (key.startsWith("/")) {
      return "key must not start with '/'";
    }
    if (!key.startsWith(PREFIX)) {
      return "key must start with '" + PREFIX + "'";
    }
    if (key.length() == PREFIX.length()) {
      return "key must name an object under '" + PREFIX + "'";
    }
    if (key.contains("//")) {
      return "key must not contain '//'";
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return "key must not contain '.' or '..' segments";
      }
    }
    return null;
  }
}
