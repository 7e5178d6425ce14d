package dev.uploaddashboard.local.api;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * API Gateway HTTP API's CORS configuration: exact allowed origins, methods, headers and a max age.
 *
 * <p>Like API Gateway, this answers preflights itself and adds {@code Access-Control-Allow-Origin}
 * only for an allowed origin; for any other origin it adds nothing and leaves the refusal to the
 * browser.
 */
public record CorsPolicy(
    Set<String> allowOrigins,
    List<String> allowMethods,
    List<String> allowHeaders,
    Duration maxAge) {

  public CorsPolicy {
    allowOrigins = Set.copyOf(allowOrigins);
    allowMethods = List.copyOf(allowMethods);
    allowHeaders = List.copyOf(allowHeaders);
  }

  /** The origin to echo when {@code origin} may read responses. */
  public Optional<String> allowedOrigin(String origin) {
    return origin != null && allowOrigins.contains(origin) ? Optional.of(origin) : Optional.empty();
  }

  /** Whether a preflight for {@code method} from {@code origin} gets CORS headers. */
  public boolean allowsPreflight(String origin, String requestedMethod) {
    return allowedOrigin(origin).isPresent()
        && requestedMethod != null
        && allowMethods.contains(requestedMethod.trim().toUpperCase(Locale.ROOT));
  }

  public String allowMethodsHeader() {
    return String.join(",", allowMethods);
  }

  public String allowHeadersHeader() {
    return String.join(",", allowHeaders);
  }
}
