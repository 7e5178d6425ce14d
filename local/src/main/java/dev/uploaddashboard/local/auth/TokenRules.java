package dev.uploaddashboard.local.auth;

import static no.nav.security.mock.oauth2.http.OAuth2HttpResponseKt.oauth2Error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.ErrorObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import okhttp3.Headers;

/**
 * Cognito's rules for the token and revoke endpoints, in front of mock-oauth2-server's (see {@link
 * CognitoRules}): the app client; a code this provider issued ({@link #issued}), once, within five
 * minutes, with its redirect URI and a {@code code_verifier} (the server compares it with the
 * challenge), and a code used twice revokes the refresh token it gave; refresh only with a live
 * refresh token; revoke without {@code token_type_hint}, after which the refresh token is refused.
 */
final class TokenRules {

  static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record IssuedCode(String redirectUri, Instant expiresAt) {}

  private final IdentityProviderSettings settings;
  private final Function<OAuth2HttpRequest, OAuth2HttpResponse> server;
  private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();

  /** Codes already redeemed, and the refresh token each gave (while it lives). */
  private final Map<String, String> redeemedCodes = new ConcurrentHashMap<>();

  private final Map<String, Instant> refreshTokens = new ConcurrentHashMap<>();

  TokenRules(
      IdentityProviderSettings settings, Function<OAuth2HttpRequest, OAuth2HttpResponse> server) {
    this.settings = settings;
    this.server = server;
  }

  /** The server gave {@code code} for a sign-in that asked to return to {@code redirectUri}. */
  void issued(String code, String redirectUri) {
    codes.put(code, new IssuedCode(redirectUri, Instant.now().plus(CODE_LIFETIME)));
  }

  OAuth2HttpResponse token(OAuth2HttpRequest request) {
    Map<String, String> form = request.getFormParameters().getMap();
    String grantType = form.get("grant_type");
    if (grantType == null) {
      return oauthError("invalid_request", "grant_type is required");
    }
    if (!settings.clientId().equals(form.get("client_id"))) {
      return oauthError("invalid_client", "unknown client");
    }
    return switch (grantType) {
      case "authorization_code" -> codeGrant(request, form);
      case "refresh_token" -> {
        Instant expiresAt = refreshTokens.get(String.valueOf(form.get("refresh_token")));
        yield expiresAt == null || expiresAt.isBefore(Instant.now())
            ? oauthError("invalid_grant", "the refresh token is invalid, expired or revoked")
            : server.apply(request);
      }
      default ->
          oauthError(
              "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
    };
  }

  private OAuth2HttpResponse codeGrant(OAuth2HttpRequest request, Map<String, String> form) {
    String code = String.valueOf(form.get("code"));
    IssuedCode issued = codes.remove(code);
    if (issued == null) {
      String refreshToken = redeemedCodes.get(code);
      if (refreshToken != null) {
        // RFC 6749 4.1.2: a code used twice revokes the tokens issued for it.
        refreshTokens.remove(refreshToken);
      }
      return oauthError("invalid_grant", "the code is invalid, expired or already used");
    }
    if (issued.expiresAt().isBefore(Instant.now())) {
      return oauthError("invalid_grant", "the code is invalid, expired or already used");
    }
    if (!issued.redirectUri().equals(form.get("redirect_uri"))) {
      return oauthError("invalid_grant", "redirect_uri does not match the authorization request");
    }
    String verifier = form.get("code_verifier");
    if (verifier == null || !CognitoRules.PKCE_VALUE.matcher(verifier).matches()) {
      return oauthError("invalid_grant", "code_verifier is required");
    }
    OAuth2HttpResponse response = server.apply(request); // compares the verifier and challenge
    if (response.getStatus() == 200) {
      try {
        String refreshToken = JSON.readTree(response.getBody()).path("refresh_token").asText();
        refreshTokens.put(refreshToken, Instant.now().plus(settings.refreshTokenLifetime()));
        redeemedCodes.put(code, refreshToken);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("the token endpoint answered no JSON", e);
      }
    }
    return response;
  }

  OAuth2HttpResponse revoke(OAuth2HttpRequest request) {
    Map<String, String> form = request.getFormParameters().getMap();
    if (!settings.clientId().equals(form.get("client_id"))) {
      return oauthError("invalid_client", "unknown client");
    }
    String token = form.get("token");
    if (token == null) {
      return oauthError("invalid_request", "token is required");
    }
    // RFC 7009: an unknown or already revoked token is not an error.
    refreshTokens.remove(token);
    return new OAuth2HttpResponse(Headers.of(), 200, "", null);
  }

  void purgeExpired() {
    Instant now = Instant.now();
    codes.values().removeIf(code -> code.expiresAt().isBefore(now));
    refreshTokens.values().removeIf(expiresAt -> expiresAt.isBefore(now));
    redeemedCodes.values().removeIf(token -> !refreshTokens.containsKey(token));
  }

  /** The server's own error answer (400 JSON; it lower-cases the body, so descriptions are). */
  static OAuth2HttpResponse oauthError(String error, String description) {
    return oauth2Error(new ErrorObject(error, description, 400));
  }
}
