package dev.uploaddashboard.lambda.service;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who is calling: the signed-in user's id (the token's {@code sub}) and whether they are an admin.
 * A plain value the HTTP layer builds from the authorizer's claims; services decide with it.
 */
public record Caller(String userId, boolean admin) {
  /** The contract's rule for a usable {@code sub}; also the rule for a key's owner segment. */
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9-]{1,128}");

  public Caller {
    Objects.requireNonNull(userId, "userId");
    if (!isValidUserId(userId)) {
      throw new IllegalArgumentException("not a usable user id");
    }
  }

  public static Caller user(String userId) {
    return new Caller(userId, false);
  }

  public static Caller admin(String userId) {
    return new Caller(userId, true);
  }

  public static boolean isValidUserId(String value) {
    return value != null && USER_ID.matcher(value).matches();
  }

  /** The key prefix this caller's uploads go under: {@code incoming/<user id>/}. */
  public String keyPrefix() {
    return ObjectKeys.PREFIX + userId + "/";
  }

  /**
   * Whether the caller may open or delete this (already valid) key: their own prefix, or anything
   * under {@code incoming/} for an admin. Decided from the key alone, before any AWS call.
   */
  public boolean mayAccess(String key) {
    return admin || key.startsWith(keyPrefix());
  }

  @Override
  public String toString() {
    return "Caller[" + userId + (admin ? ", admin" : "") + "]";
  }
}
