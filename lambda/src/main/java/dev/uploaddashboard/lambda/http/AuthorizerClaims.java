package dev.uploaddashboard.lambda.http;

import dev.uploaddashboard.lambda.service.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The caller as the HTTP API JWT authorizer describes it in {@code
 * requestContext.authorizer.jwt.claims}. The authorizer has already checked the token; this only
 * reads {@code sub} and {@code cognito:groups}, and refuses anything it cannot read with certainty.
 */
final class AuthorizerClaims {
  static final String ADMIN_GROUP = "admins";
  private static final Pattern PLAIN_NAME = Pattern.compile("[^\\s\\p{Cc}\"\\[\\]]+");

  private AuthorizerClaims() {}

  /** The caller, or empty when there is no usable {@code sub}. */
  static Optional<Caller> caller(Object event) {
    Object claims = Json.path(event, "requestContext", "authorizer", "jwt", "claims");
    if (!(Json.member(claims, "sub") instanceof String sub) || !Caller.isValidUserId(sub)) {
      return Optional.empty();
    }
    boolean admin = groups(Json.member(claims, "cognito:groups")).contains(ADMIN_GROUP);
    return Optional.of(new Caller(sub, admin));
  }

  /**
   * The groups exactly as the HTTP API JWT authorizer delivers an array claim: a JSON array of
   * strings, or its rendering of that array as one string, {@code "[a b]"} (elements joined by one
   * space; Cognito group names contain no whitespace). Anything else is ambiguous and yields no
   * group at all: a plain string, a comma list, a JSON array inside a string, quotes, doubled or
   * edge spaces, a non-string element. A group literally named {@code "admins"} (quotes included)
   * therefore never reads as {@code admins}.
   */
  static List<String> groups(Object claim) {
    if (claim instanceof List<?> array) {
      List<String> groups = new ArrayList<>();
      for (Object group : array) {
        if (!(group instanceof String name) || !isPlainName(name)) {
          return List.of();
        }
        groups.add(name);
      }
      return List.copyOf(groups);
    }
    if (!(claim instanceof String value)) {
      return List.of();
    }
    if (value.length() < 2 || !value.startsWith("[") || !value.endsWith("]")) {
      return List.of();
    }
    String inner = value.substring(1, value.length() - 1);
    if (inner.isEmpty()) {
      return List.of();
    }
    List<String> groups = new ArrayList<>();
    for (String group : inner.split(" ", -1)) {
      if (!isPlainName(group)) {
        return List.of();
      }
      groups.add(group);
    }
    return List.copyOf(groups);
  }

  /**
   * A name that cannot be read two ways: not empty, no whitespace or control characters, no quote
   * (which would make the claim look like JSON), no brackets (which would blur the rendering's
   * edges).
   */
  private static boolean isPlainName(String name) {
    return !name.isEmpty() && PLAIN_NAME.matcher(name).matches();
  }
}
