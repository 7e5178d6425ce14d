package dev.uploaddashboard.lambda.http;

import dev.uploaddashboard.lambda.service.Caller;
import java.io.IOException;
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
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern COMMAS_OR_SPACES = Pattern.compile("[,\\s]+");

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
   * The groups in any of the three encodings: a JSON array, API Gateway's rendering of an array
   * ({@code "[a b]"}, or a JSON array in a string), or a plain comma/space separated string.
   */
  static List<String> groups(Object claim) {
    List<String> groups = new ArrayList<>();
    if (claim instanceof List<?> array) {
      array.forEach(g -> addIfText(groups, g));
      return groups;
    }
    if (!(claim instanceof String text)) {
      return groups;
    }
    String value = text.strip();
    if (value.startsWith("[") && value.endsWith("]")) {
      if (value.contains("\"")) {
        // A JSON array inside the string; if it does not parse, no group is granted.
        try {
          if (Json.read(value) instanceof List<?> array) {
            array.forEach(g -> addIfText(groups, g));
          }
        } catch (IOException e) {
          groups.clear();
        }
        return groups;
      }
      // API Gateway joins array elements with a space; a group name cannot contain one.
      split(SPACES, value.substring(1, value.length() - 1), groups);
      return groups;
    }
    split(COMMAS_OR_SPACES, value, groups);
    return groups;
  }

  private static void split(Pattern separator, String value, List<String> into) {
    for (String part : separator.split(value.strip())) {
      if (!part.isEmpty()) {
        into.add(part);
      }
    }
  }

  private static void addIfText(List<String> groups, Object value) {
    if (value instanceof String text) {
      groups.add(text);
    }
  }
}
