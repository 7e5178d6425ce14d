package dev.uploaddashboard.local.auth;

import com.nimbusds.jose.jwk.RSAKey;
import dev.uploaddashboard.local.LocalCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import no.nav.security.mock.oauth2.token.KeyProvider;

/**
 * The identity provider's RSA signing key. Kept in the data directory when there is one, so tokens
 * issued before a restart still verify after it; otherwise the one mock-oauth2-server's {@link
 * KeyProvider} generates (RSA 2048), new for every in-memory run.
 */
final class SigningKey {

  private SigningKey() {}

  /**
   * RS256 keys with the key in {@code file} if it exists, else a new one (kept in {@code file}).
   */
  static KeyProvider load(Optional<Path> file, String keyId) throws IOException {
    if (file.isPresent() && Files.isRegularFile(file.get())) {
      try {
        RSAKey key = RSAKey.parse(Files.readString(file.get(), StandardCharsets.UTF_8));
        if (!key.isPrivate()) {
          throw new IOException(file.get() + " holds no private key");
        }
        return new KeyProvider(List.of(key), "RS256");
      } catch (ParseException e) {
        throw new IOException(
            file.get()
                + " is not an RSA JWK; delete it to have a new key made"
                + " (everyone signed in is signed out)",
            e);
      }
    }
    KeyProvider keys = new KeyProvider(List.of(), "RS256");
    if (file.isPresent()) {
      LocalCredentials.writeOwnerOnly(file.get(), keys.signingKey(keyId).toJSONString());
    }
    return keys;
  }
}
