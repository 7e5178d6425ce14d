package dev.uploaddashboard.local.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API Gateway HTTP API's JWT authorizer: reads the token from the {@code Authorization} header
 * (with or without {@code Bearer }), checks its RS256 signature against the issuer's keys, {@code
 * iss}, {@code aud} or {@code client_id}, {@code exp} and {@code nbf}, and hands the claims to the
 * integration the way API Gateway renders them. Like API Gateway, it accepts an ID token whose
 * {@code aud} is the client, and it does not check {@code token_use} or revocation.
 */
public final class JwtAuthorizer {

  /** Allowed clock difference for {@code exp} and {@code nbf}. */
  public static final Duration LEEWAY = Duration.ofSeconds(1);

  private final String issuer;
  private final String audience;
  private final JWKSet keys;
  private final Clock clock;

  /**
   * The verified claims, rendered as API Gateway puts them into {@code
   * requestContext.authorizer.jwt}.
   */
  public record Authorization(Map<String, String> claims, List<String> scopes) {}

  public JwtAuthorizer(String issuer, String audience, JWKSet keys, Clock clock) {
    this.issuer = issuer;
    this.audience = audience;
    this.keys = keys;
    this.clock = clock;
  }

  /** The caller's claims, or empty (answer 401) when the header holds no valid token. */
  public Optional<Authorization> authorize(String authorizationHeader) {
    String token = token(authorizationHeader);
    if (token == null) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
        return Optional.empty();
      }
      JWK key =
          jwt.getHeader().getKeyID() == null
              ? null
              : keys.getKeyByKeyId(jwt.getHeader().getKeyID());
      if (!(key instanceof RSAKey rsaKey) || !jwt.verify(new RSASSAVerifier(rsaKey))) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (!issuer.equals(claims.getIssuer()) || !forThisClient(claims) || !current(claims)) {
        return Optional.empty();
      }
      return Optional.of(new Authorization(render(claims), scopes(claims)));
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String token(String header) {
    if (header == null) {
      return null;
    }
    String value = header.trim();
    if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      value = value.substring(7).trim();
    }
    return value.isEmpty() ? null : value;
  }

  private boolean forThisClient(JWTClaimsSet claims) throws ParseException {
    List<String> aud = claims.getAudience();
    if (aud != null && aud.contains(audience)) {
      return true;
    }
    return audience.equals(claims.getStringClaim("client_id"));
  }

  private boolean current(JWTClaimsSet claims) {
    Instant now = clock.instant();
    if (claims.getExpirationTime() == null
        || !now.isBefore(claims.getExpirationTime().toInstant().plus(LEEWAY))) {
      return false;
    }
    return claims.getNotBeforeTime() == null
        || !now.isBefore(claims.getNotBeforeTime().toInstant().minus(LEEWAY));
  }

  private static List<String> scopes(JWTClaimsSet claims) throws ParseException {
    String scope = claims.getStringClaim("scope");
    if (scope == null || scope.isBlank()) {
      return null;
    }
    return List.of(scope.trim().split(" +"));
  }

  /** Every claim as a string: numbers as digits, arrays as {@code [a b]}, like API Gateway. */
  static Map<String, String> render(JWTClaimsSet claims) {
    Map<String, String> rendered = new LinkedHashMap<>();
    claims.toJSONObject().forEach((name, value) -> rendered.put(name, renderValue(value)));
    return rendered;
  }

  private static String renderValue(Object value) {
    if (value instanceof Collection<?> list) {
      List<String> parts = new ArrayList<>();
      list.forEach(element -> parts.add(renderValue(element)));
      return "[" + String.join(" ", parts) + "]";
    }
    if (value instanceof Map<?, ?> map) {
      List<String> parts = new ArrayList<>();
      map.forEach((key, element) -> parts.add(key + ":" + renderValue(element)));
      return "map[" + String.join(" ", parts) + "]";
    }
    if (value instanceof Double number && number == Math.rint(number) && !number.isInfinite()) {
      return Long.toString(number.longValue());
    }
    return value == null ? "" : String.valueOf(value);
  }
}
