package dev.uploaddashboard.local.api;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.eclipse.jetty.util.Callback;

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
    // Header names ignore case; answered in lower case, as HTTP/2 writes them.
    allowHeaders = allowHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /**
   * Jetty's {@link CrossOriginHandler} configured as API Gateway's CORS: preflights are passed on
   * (the gateway answers them 204), a preflight for a method not in the list gets no CORS headers,
   * and responses to other origins get none.
   */
  public Handler handler(Handler next) {
    CrossOriginHandler cors = new CrossOriginHandler();
    cors.setAllowedOriginPatterns(
        allowOrigins.stream().map(Pattern::quote).collect(Collectors.toSet()));
    cors.setAllowedMethods(new LinkedHashSet<>(allowMethods));
    cors.setAllowedHeaders(new LinkedHashSet<>(allowHeaders));
    cors.setPreflightMaxAge(maxAge);
    cors.setAllowCredentials(false);
    cors.setDeliverPreflightRequests(true);
    cors.setHandler(next);
    return new Handler.Wrapper(cors) {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        String requested = request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
        if (request.getMethod().equals("OPTIONS")
            && requested != null
            && !allowMethods.contains(requested.trim().toUpperCase(Locale.ROOT))) {
          return next.handle(request, response, callback);
        }
        return super.handle(request, response, callback);
      }
    };
  }
}
