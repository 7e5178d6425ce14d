package dev.uploaddashboard.local.api;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * API Gateway HTTP API's JWT authorizer on nimbus's {@link DefaultJWTProcessor}: reads the token
 * from the {@code Authorization} header (with or without {@code Bearer }), checks its RS256
 * signature against the issuer's JWK set (key chosen by {@code kid}), and {@code iss}, {@code exp},
 * {@code nbf} and {@code aud} or {@code client_id} with a {@link DefaultJWTClaimsVerifier}; it
 * hands the claims to the integration the way API Gateway renders them. Like API Gateway, it
 * accepts an ID token whose {@code aud} is the client, and it does not check {@code token_use} or
 * revocation.
 */
public final class JwtAuthorizer {

  /** Allowed clock difference for {@code exp} and {@code nbf}. */
  public static final Duration LEEWAY = Duration.ofSeconds(1);

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  /** The verified claims, as API Gateway puts them into {@code requestContext.authorizer.jwt}. */
  public record Authorization(Map<String, String> claims, List<String> scopes) {}

  public JwtAuthorizer(String issuer, String audience, JWKSet keys) {
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
    processor.setJWTClaimsSetVerifier(new ClaimsVerifier(issuer, audience));
  }

  /** The caller's claims, or empty (answer 401) when the header holds no valid token. */
  public Optional<Authorization> authorize(String authorizationHeader) {
    String token = token(authorizationHeader);
    if (token == null) {
      return Optional.empty();
    }
    try {
      JWTClaimsSet claims = processor.process(token, null);
      return Optional.of(new Authorization(render(claims), scopes(claims)));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /**
   * {@code iss} exactly, {@code exp} required, and the client either in {@code aud} (ID tokens) or
   * in {@code client_id} (Cognito access tokens, which carry no {@code aud}): API Gateway's rule.
   */
  private static final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
    private final String audience;

    ClaimsVerifier(String issuer, String audience) {
      super(null, new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp"), null);
      this.audience = audience;
      setMaxClockSkew((int) LEEWAY.toSeconds());
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
      super.verify(claims, context);
      List<String> aud = claims.getAudience();
      if (!(aud != null && aud.contains(audience))
          && !audience.equals(claims.getClaim("client_id"))) {
        throw new BadJWTException("token is for another client");
      }
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
