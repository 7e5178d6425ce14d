package dev.uploaddashboard.local.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;

/**
 * mock-oauth2-server's token callback, shaping its tokens like Cognito's.
 *
 * <p>Access tokens: {@code token_use} "access", {@code client_id}, {@code scope}, no {@code aud}.
 * ID tokens: {@code token_use} "id" and {@code aud} = the client (the server sets that). Both carry
 * the user's claims ({@link #userClaims}); the sign-in hands them in with the login, so both tokens
 * hold {@code username}, {@code cognito:username} and {@code email}, a little more than Cognito's.
 *
 * <p>The server asks a callback the same questions for both tokens, except that only for an access
 * token it asks {@link #audience} (just before {@link #addClaims}); that is how the two are told
 * apart. {@code CognitoTokensTest} pins it, so an upgrade that changes it fails there.
 */
final class CognitoTokenCallback implements OAuth2TokenCallback {

  private static final ThreadLocal<Boolean> ACCESS_TOKEN_NEXT =
      ThreadLocal.withInitial(() -> false);

  private final String issuerId;
  private final String clientId;
  private final Duration lifetime;
  private final String subject;
  private final Map<String, Object> userClaims;

  /**
   * @param subject the {@code sub} when tokens are issued without a sign-in (else the sign-in's)
   * @param userClaims the user's claims in that case (else the sign-in brings them)
   */
  CognitoTokenCallback(
      String issuerId,
      String clientId,
      Duration lifetime,
      String subject,
      Map<String, Object> userClaims) {
    this.issuerId = issuerId;
    this.clientId = clientId;
    this.lifetime = lifetime;
    this.subject = subject;
    this.userClaims = Map.copyOf(userClaims);
  }

  /** The claims of a user, in both tokens: Cognito's names, {@code cognito:groups} if any. */
  static Map<String, Object> userClaims(DevUser user, Instant authTime) {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("username", user.name());
    claims.put("cognito:username", user.name());
    claims.put("email", user.email());
    claims.put("email_verified", true);
    claims.put("auth_time", authTime.getEpochSecond());
    if (!user.groups().isEmpty()) {
      claims.put("cognito:groups", user.groups());
    }
    return claims;
  }

  @Override
  public String issuerId() {
    return issuerId;
  }

  @Override
  public String subject(TokenRequest tokenRequest) {
    return subject;
  }

  @Override
  public String typeHeader(TokenRequest tokenRequest) {
    return JOSEObjectType.JWT.getType();
  }

  /** Cognito's access tokens carry no {@code aud}; the API checks {@code client_id} instead. */
  @Override
  public List<String> audience(TokenRequest tokenRequest) {
    ACCESS_TOKEN_NEXT.set(true);
    return List.of();
  }

  @Override
  public Map<String, Object> addClaims(TokenRequest tokenRequest) {
    boolean access = ACCESS_TOKEN_NEXT.get();
    ACCESS_TOKEN_NEXT.remove();
    Map<String, Object> claims = new LinkedHashMap<>(userClaims);
    if (access) {
      claims.put("token_use", "access");
      claims.put("client_id", clientId);
      claims.put("scope", String.join(" ", IdentityProvider.SCOPES));
    } else {
      claims.put("token_use", "id");
    }
    return claims;
  }

  @Override
  public long tokenExpiry() {
    return lifetime.toSeconds();
  }
}
