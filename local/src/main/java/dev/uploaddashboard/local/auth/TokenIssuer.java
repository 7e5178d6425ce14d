package dev.uploaddashboard.local.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Signs access and ID tokens shaped like the ones Cognito issues (RS256, same claim names). */
final class TokenIssuer {

  private final RSAKey key;
  private final RSASSASigner signer;
  private final String issuer;
  private final String clientId;
  private final Duration lifetime;
  private final Clock clock;

  TokenIssuer(RSAKey key, String issuer, String clientId, Duration lifetime, Clock clock) {
    this.key = key;
    this.issuer = issuer;
    this.clientId = clientId;
    this.lifetime = lifetime;
    this.clock = clock;
    try {
      this.signer = new RSASSASigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("unusable signing key", e);
    }
  }

  /** The public half of the signing key, as {@code /.well-known/jwks.json} serves it. */
  JWKSet publicKeys() {
    return new JWKSet(key.toPublicJWK());
  }

  Duration lifetime() {
    return lifetime;
  }

  /**
   * An access token as Cognito's: {@code sub}, {@code cognito:groups} (only when the user is in a
   * group), {@code iss}, {@code client_id}, {@code origin_jti}, {@code token_use}, {@code scope},
   * {@code auth_time}, {@code exp}, {@code iat}, {@code jti}, {@code username}; no {@code aud}.
   */
  String accessToken(DevUser user, List<String> scopes, Instant authTime, String originJti) {
    JWTClaimsSet.Builder claims =
        common(user, authTime, originJti)
            .claim("client_id", clientId)
            .claim("token_use", "access")
            .claim("scope", String.join(" ", scopes))
            .claim("username", user.name());
    return sign(claims.build());
  }

  /**
   * An ID token as Cognito's: {@code aud} = the client id, {@code token_use} "id", email and user
   * name.
   */
  String idToken(DevUser user, Instant authTime, String originJti, String nonce) {
    JWTClaimsSet.Builder claims =
        common(user, authTime, originJti)
            .audience(clientId)
            .claim("token_use", "id")
            .claim("email", user.email())
            .claim("email_verified", true)
            .claim("cognito:username", user.name());
    if (nonce != null) {
      claims.claim("nonce", nonce);
    }
    return sign(claims.build());
  }

  private JWTClaimsSet.Builder common(DevUser user, Instant authTime, String originJti) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .subject(user.sub())
            .issuer(issuer)
            .claim("origin_jti", originJti)
            .claim("event_id", UUID.randomUUID().toString())
            .claim("auth_time", authTime.getEpochSecond())
            .issueTime(Date.from(Instant.ofEpochSecond(now.getEpochSecond())))
            .expirationTime(Date.from(Instant.ofEpochSecond(now.plus(lifetime).getEpochSecond())))
            .jwtID(UUID.randomUUID().toString());
    if (!user.groups().isEmpty()) {
      claims.claim("cognito:groups", user.groups());
    }
    return claims;
  }

  private String sign(JWTClaimsSet claims) {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jwt.serialize();
  }
}
