package dev.uploaddashboard.local.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start an {@link IdentityProvider}.
 *
 * @param host address to bind (loopback)
 * @param port port; 0 picks a free one
 * @param clientId the dashboard's app client id (public client, no secret)
 * @param origins the dashboard's origins; each origin plus {@code "/"} is a registered callback and
 *     sign-out URL (exact match, as in the deployed app client), and the origins may call the token
 *     and revoke endpoints from a browser (CORS)
 * @param users the development users
 * @param accessTokenLifetime lifetime of access and ID tokens (1 h deployed)
 * @param refreshTokenLifetime lifetime of refresh tokens (12 h deployed)
 * @param keyFile where the signing key is kept across restarts; empty: a new key every start
 */
public record IdentityProviderSettings(
    String host,
    int port,
    String clientId,
    List<String> origins,
    List<DevUser> users,
    Duration accessTokenLifetime,
    Duration refreshTokenLifetime,
    Optional<Path> keyFile) {

  public IdentityProviderSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(clientId, "clientId");
    origins = List.copyOf(origins);
    users = List.copyOf(users);
    Objects.requireNonNull(keyFile, "keyFile");
    checkLifetimes(accessTokenLifetime, refreshTokenLifetime);
  }

  public static void checkLifetimes(Duration accessTokenLifetime, Duration refreshTokenLifetime) {
    if (accessTokenLifetime.compareTo(Duration.ofSeconds(1)) < 0
        || refreshTokenLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("token lifetimes must be at least one second");
    }
  }

  /** The registered callback (and sign-out) URLs: each origin plus {@code "/"}. */
  public List<String> callbackUrls() {
    return origins.stream().map(origin -> origin + "/").toList();
  }
}
