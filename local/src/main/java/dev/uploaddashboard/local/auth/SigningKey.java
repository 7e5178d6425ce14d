package dev.uploaddashboard.local.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.uploaddashboard.local.LocalCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Optional;
import java.util.UUID;

/**
 * The identity provider's RSA signing key. Kept in the data directory when there is one, so tokens
 * issued before a restart still verify after it; generated afresh for every in-memory run.
 */
final class SigningKey {

  private SigningKey() {}

  /** The key in {@code file} if it exists, else a new one (written to {@code file} when given). */
  static RSAKey loadOrCreate(Optional<Path> file) throws IOException {
    if (file.isPresent() && Files.isRegularFile(file.get())) {
      try {
        RSAKey key = RSAKey.parse(Files.readString(file.get(), StandardCharsets.UTF_8));
        if (!key.isPrivate()) {
          throw new IOException(file.get() + " holds no private key");
        }
        return key;
      } catch (ParseException e) {
        throw new IOException(
            file.get()
                + " is not an RSA JWK; delete it to have a new key made"
                + " (everyone signed in is signed out)",
            e);
      }
    }
    RSAKey key = generate();
    if (file.isPresent()) {
      LocalCredentials.writeOwnerOnly(file.get(), key.toJSONString());
    }
    return key;
  }

  static RSAKey generate() {
    try {
      return new RSAKeyGenerator(2048)
          .keyUse(KeyUse.SIGNATURE)
          .algorithm(JWSAlgorithm.RS256)
          .keyID(UUID.randomUUID().toString())
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate an RSA key", e);
    }
  }
}
