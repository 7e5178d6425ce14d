package dev.uploaddashboard.local.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * What Cognito's hosted UI enforces and mock-oauth2-server does not, in front of it. The server
 * (2.3.0) issues tokens for an unknown or already used code, skips PKCE when the token request has
 * no {@code code_verifier}, accepts {@code plain}, answers a refresh with a revoked or unknown
 * refresh token, redirects to any {@code redirect_uri} or sign-out URL, signs in any user name
 * without a password and keeps no session. So here:
 *
 * <ul>
 *   <li>{@code /oauth2/authorize}: the app client and an exact registered callback URL, {@code
 *       response_type=code}, a PKCE S256 challenge; the development users' passwords; an IdP
 *       session cookie (an hour, as Cognito's) that signs the next request in without the form
 *   <li>{@code /oauth2/token}: the app client; a code this provider issued, once, within five
 *       minutes, with its redirect URI and a {@code code_verifier} (the server compares it with the
 *       challenge); a code used twice revokes the refresh token it gave; refresh only with a live
 *       refresh token
 *   <li>{@code /oauth2/revoke}: the app client; the refresh token stops working
 *   <li>{@code /logout}: Cognito's parameters, a registered sign-out URL; the IdP session ends
 * </ul>
 *
 * Everything else the server does itself: the login page, codes, the PKCE comparison, signing.
 */
final class CognitoRules {

  static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
  static final Duration SESSION_LIFETIME = Duration.ofHours(1);
  static final String SESSION_COOKIE = "upload_dashboard_idp_session";

  private static final Pattern PKCE_VALUE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
  private static final Set<String> SERVER_PATHS =
      Set.of("/oauth2/jwks", "/oauth2/.well-known/openid-configuration");
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Session(DevUser user, Instant authTime, Instant expiresAt) {}

  private record IssuedCode(String redirectUri, Instant expiresAt) {}

  private final IdentityProviderSettings settings;
  private final LoginPage loginPage;
  private final Function<OAuth2HttpRequest, OAuth2HttpResponse> server;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();

  /** Codes already redeemed (until they would have expired), and the refresh token each gave. */
  private final Map<String, String> redeemedCodes = new ConcurrentHashMap<>();

  private final Map<String, Instant> refreshTokens = new ConcurrentHashMap<>();

  CognitoRules(
      IdentityProviderSettings settings,
      LoginPage loginPage,
      Function<OAuth2HttpRequest, OAuth2HttpResponse> server,
      Clock clock) {
    this.settings = settings;
    this.loginPage = loginPage;
    this.server = server;
    this.clock = clock;
  }

  OAuth2HttpResponse handle(OAuth2HttpRequest request) {
    String path = request.getOriginalUrl().encodedPath();
    String method = request.getMethod();
    return switch (path) {
      case "/oauth2/authorize" ->
          method.equals("GET") || method.equals("POST")
              ? authorize(request)
              : status(405, "Method not allowed");
      case "/oauth2/token" -> method.equals("POST") ? token(request) : status(405, "");
      case "/oauth2/revoke" -> method.equals("POST") ? revoke(request) : status(405, "");
      case "/logout" -> method.equals("GET") ? logout(request) : status(405, "");
      default ->
          SERVER_PATHS.contains(path) && method.equals("GET")
              ? server.apply(request)
              : status(404, "Not found");
    };
  }

  // ---------------------------------------------------------------------------------------------
  // authorize

  private OAuth2HttpResponse authorize(OAuth2HttpRequest request) {
    HttpUrl url = request.getOriginalUrl();
    String redirectUri = url.queryParameter("redirect_uri");
    if (!settings.clientId().equals(url.queryParameter("client_id"))) {
      return errorPage("Unknown client", "The sign-in request names no known client.");
    }
    if (redirectUri == null || !settings.callbackUrls().contains(redirectUri)) {
      return errorPage(
          "Unknown redirect URL",
          "The sign-in request's redirect_uri is not a registered callback URL of this client.");
    }
    String state = url.queryParameter("state");
    String responseType = url.queryParameter("response_type");
    if (!"code".equals(responseType)) {
      return redirectError(
          redirectUri,
          state,
          responseType == null ? "invalid_request" : "unsupported_response_type");
    }
    String challenge = url.queryParameter("code_challenge");
    if (!"S256".equals(url.queryParameter("code_challenge_method"))
        || challenge == null
        || !PKCE_VALUE.matcher(challenge).matches()) {
      return redirectError(redirectUri, state, "invalid_request");
    }
    String scope = url.queryParameter("scope");
    if (scope == null || !IdentityProvider.SCOPES.containsAll(List.of(scope.trim().split(" +")))) {
      return redirectError(redirectUri, state, "invalid_scope");
    }
    purgeExpired();
    if (request.getMethod().equals("GET")) {
      Optional<Session> session = session(request);
      if (session.isPresent()) {
        return signedIn(request, session.get(), null);
      }
      return withHeader(server.apply(request), "Content-Security-Policy", csp());
    }
    Map<String, String> form = request.getFormParameters().getMap();
    String username = form.getOrDefault("username", "");
    Optional<DevUser> user =
        settings.users().stream()
            .filter(u -> u.name().equals(username) && u.password().equals(form.get("password")))
            .findFirst();
    if (user.isEmpty()) {
      return new OAuth2HttpResponse(
          Headers.of("Content-Type", "text/html;charset=UTF-8", "Content-Security-Policy", csp()),
          200,
          loginPage.withError(LoginPage.WRONG_CREDENTIALS, username),
          null);
    }
    Instant now = clock.instant();
    String id = randomToken();
    Session session = new Session(user.get(), now, now.plus(SESSION_LIFETIME));
    sessions.put(id, session);
    return signedIn(
        request, session, SESSION_COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Lax");
  }

  /**
   * The server's code for the session's user: its login form, filled in here (the user's id as the
   * subject, the user's claims), never with what the browser sent.
   */
  private OAuth2HttpResponse signedIn(OAuth2HttpRequest request, Session session, String cookie) {
    String claims;
    try {
      claims =
          JSON.writeValueAsString(
              CognitoTokenCallback.userClaims(session.user(), session.authTime()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    OAuth2HttpResponse response =
        server.apply(
            new OAuth2HttpRequest(
                Headers.of("Content-Type", "application/x-www-form-urlencoded"),
                "POST",
                request.getOriginalUrl(),
                form(Map.of("username", session.user().sub(), "claims", claims))));
    String location = response.getHeaders().get("Location");
    HttpUrl back = location == null ? null : HttpUrl.parse(location);
    String code = back == null ? null : back.queryParameter("code");
    if (code != null) {
      codes.put(
          code,
          new IssuedCode(
              request.getOriginalUrl().queryParameter("redirect_uri"),
              clock.instant().plus(CODE_LIFETIME)));
    }
    return cookie == null ? response : withHeader(response, "Set-Cookie", cookie);
  }

  private Optional<Session> session(OAuth2HttpRequest request) {
    String id = request.getCookies().get(SESSION_COOKIE);
    Session session = id == null ? null : sessions.get(id);
    return session == null || session.expiresAt().isBefore(clock.instant())
        ? Optional.empty()
        : Optional.of(session);
  }

  // ---------------------------------------------------------------------------------------------
  // token and revoke

  private OAuth2HttpResponse token(OAuth2HttpRequest request) {
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
        yield expiresAt == null || expiresAt.isBefore(clock.instant())
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
    if (issued.expiresAt().isBefore(clock.instant())) {
      return oauthError("invalid_grant", "the code is invalid, expired or already used");
    }
    if (!issued.redirectUri().equals(form.get("redirect_uri"))) {
      return oauthError("invalid_grant", "redirect_uri does not match the authorization request");
    }
    String verifier = form.get("code_verifier");
    if (verifier == null || !PKCE_VALUE.matcher(verifier).matches()) {
      return oauthError("invalid_grant", "code_verifier is required");
    }
    OAuth2HttpResponse response = server.apply(request); // compares the verifier and challenge
    if (response.getStatus() == 200) {
      try {
        String refreshToken = JSON.readTree(response.getBody()).path("refresh_token").asText();
        refreshTokens.put(refreshToken, clock.instant().plus(settings.refreshTokenLifetime()));
        redeemedCodes.put(code, refreshToken);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("the token endpoint answered no JSON", e);
      }
    }
    return response;
  }

  private OAuth2HttpResponse revoke(OAuth2HttpRequest request) {
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
    return status(200, "");
  }

  // ---------------------------------------------------------------------------------------------
  // logout

  private OAuth2HttpResponse logout(OAuth2HttpRequest request) {
    HttpUrl url = request.getOriginalUrl();
    String logoutUri = url.queryParameter("logout_uri");
    if (!settings.clientId().equals(url.queryParameter("client_id"))) {
      return errorPage("Unknown client", "The sign-out request names no known client.");
    }
    if (logoutUri == null || !settings.callbackUrls().contains(logoutUri)) {
      return errorPage(
          "Unknown sign-out URL",
          "The sign-out request's logout_uri is not a registered sign-out URL of this client.");
    }
    String id = request.getCookies().get(SESSION_COOKIE);
    if (id != null) {
      sessions.remove(id);
    }
    return new OAuth2HttpResponse(
        Headers.of(
            "Location",
            logoutUri,
            "Set-Cookie",
            SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
        302,
        null,
        null);
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private String csp() {
    return loginPage.contentSecurityPolicy();
  }

  private OAuth2HttpResponse errorPage(String title, String message) {
    return new OAuth2HttpResponse(
        Headers.of("Content-Type", "text/html;charset=UTF-8", "Content-Security-Policy", csp()),
        400,
        LoginPage.error(title, message),
        null);
  }

  private static OAuth2HttpResponse redirectError(String redirectUri, String state, String error) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("error", error);
    if (state != null) {
      parameters.put("state", state);
    }
    return new OAuth2HttpResponse(
        Headers.of("Location", redirectUri + "?" + form(parameters)), 302, null, null);
  }

  private static OAuth2HttpResponse oauthError(String error, String description) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    try {
      return new OAuth2HttpResponse(
          Headers.of("Content-Type", "application/json;charset=UTF-8"),
          400,
          JSON.writeValueAsString(body),
          null);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static OAuth2HttpResponse status(int status, String body) {
    return new OAuth2HttpResponse(Headers.of(), status, body, null);
  }

  private static OAuth2HttpResponse withHeader(
      OAuth2HttpResponse response, String name, String value) {
    return new OAuth2HttpResponse(
        response.getHeaders().newBuilder().set(name, value).build(),
        response.getStatus(),
        response.getBody(),
        response.getBytesBody());
  }

  private static String form(Map<String, String> parameters) {
    return parameters.entrySet().stream()
        .map(
            p ->
                URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    sessions.values().removeIf(session -> session.expiresAt().isBefore(now));
    codes.values().removeIf(code -> code.expiresAt().isBefore(now));
    refreshTokens.values().removeIf(expiresAt -> expiresAt.isBefore(now));
    redeemedCodes.values().removeIf(token -> !refreshTokens.containsKey(token));
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
