package dev.uploaddashboard.local.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signs tokens shaped like Cognito's with a key of its own, for testing the authorizer without an
 * IdP.
 */
final class TestTokens {

  static final String SUB = "8a4c6f1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

  private final RSAKey key;
  private final String issuer;
  private final String clientId;

  TestTokens(String issuer, String clientId) {
    this.issuer = issuer;
    this.clientId = clientId;
    try {
      this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  JWKSet publicKeys() {
    return new JWKSet(key.toPublicJWK());
  }

  /**
   * Access-token claims valid for an hour: sub, groups, iss, client_id, token_use, scope, times,
   * jti.
   */
  JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .subject(SUB)
        .claim("cognito:groups", List.of("admins", "staff"))
        .issuer(issuer)
        .claim("client_id", clientId)
        .claim("token_use", "access")
        .claim("scope", "openid email profile")
        .claim("auth_time", now.getEpochSecond())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .jwtID(UUID.randomUUID().toString())
        .claim("username", "alice");
  }

  String accessToken(JWTClaimsSet claims) {
    return sign(key, key.getKeyID(), claims);
  }

  static String sign(RSAKey key, String keyId, JWTClaimsSet claims) {
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** Same key id, different key: what a forger without the private key could do at best. */
  String signedWithAnotherKey(JWTClaimsSet claims) {
    try {
      RSAKey other = new RSAKeyGenerator(2048).generate();
      return sign(other, key.getKeyID(), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
