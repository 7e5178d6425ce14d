package dev.uploaddashboard.local.auth;

import static dev.uploaddashboard.contract.DashboardPage.AUTHORIZE_PATH;
import static dev.uploaddashboard.contract.DashboardPage.LOGOUT_PATH;
import static dev.uploaddashboard.contract.DashboardPage.REVOKE_PATH;
import static dev.uploaddashboard.contract.DashboardPage.TOKEN_PATH;
import static no.nav.security.mock.oauth2.http.OAuth2HttpResponseKt.html;
import static no.nav.security.mock.oauth2.http.OAuth2HttpResponseKt.redirect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.oauth2.sdk.id.Identifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import okhttp3.Headers;
import okhttp3.HttpUrl;

/**
 * What Cognito's hosted UI enforces and mock-oauth2-server does not, in front of it. The server
 * (2.3.0; {@code MockOAuth2ServerGapsTest}) issues tokens for an unknown or already used code,
 * skips PKCE when the token request has no {@code code_verifier}, accepts {@code plain}, answers a
 * refresh with a revoked or unknown refresh token, redirects to any {@code redirect_uri} or
 * sign-out URL, signs in any user name without a password and keeps no session. So here:
 *
 * <ul>
 *   <li>{@code /oauth2/authorize}: the app client and an exact registered callback URL, {@code
 *       response_type=code}, a PKCE S256 challenge; the development users' passwords, posted from
 *       this origin; an IdP session cookie (an hour, as Cognito's) that signs the next request in
 *       without the form
 *   <li>{@code /oauth2/token} and {@code /oauth2/revoke}: {@link TokenRules}
 *   <li>{@code /logout}: Cognito's parameters, a registered sign-out URL; the IdP session ends
 *   <li>the server's other endpoints: only its JWKS and discovery document
 * </ul>
 *
 * Everything else the server does itself: the login page, codes, the PKCE comparison, signing.
 */
final class CognitoRules {

  static final Duration SESSION_LIFETIME = Duration.ofHours(1);
  static final String SESSION_COOKIE = "upload_dashboard_idp_session";
  static final Pattern PKCE_VALUE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
  private static final Set<String> SERVER_PATHS =
      Set.of("/oauth2/jwks", "/oauth2/.well-known/openid-configuration");
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Session(DevUser user, Instant authTime, Instant expiresAt) {}

  private final IdentityProviderSettings settings;
  private final LoginPage loginPage;
  private final Function<OAuth2HttpRequest, OAuth2HttpResponse> server;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final TokenRules tokens;

  CognitoRules(
      IdentityProviderSettings settings,
      LoginPage loginPage,
      Function<OAuth2HttpRequest, OAuth2HttpResponse> server) {
    this.settings = settings;
    this.loginPage = loginPage;
    this.server = server;
    this.tokens = new TokenRules(settings, server);
  }

  OAuth2HttpResponse handle(OAuth2HttpRequest request) {
    String path = request.getOriginalUrl().encodedPath();
    String method = request.getMethod();
    return switch (path) {
      case AUTHORIZE_PATH ->
          method.equals("GET") || method.equals("POST")
              ? authorize(request)
              : status(405, "Method not allowed");
      case TOKEN_PATH -> method.equals("POST") ? tokens.token(request) : status(405, "");
      case REVOKE_PATH -> method.equals("POST") ? tokens.revoke(request) : status(405, "");
      case LOGOUT_PATH -> method.equals("GET") ? logout(request) : status(405, "");
      default ->
          SERVER_PATHS.contains(path) && method.equals("GET")
              ? server.apply(request)
              : status(404, "Not found");
    };
  }

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
    // The sign-in form posts from this origin; another site's form would sign the browser in as a
    // user of its choosing (login CSRF). Browsers say where a form post comes from: Sec-Fetch-Site,
    // and Origin ("null" from this page, whose referrer policy is no-referrer).
    String site = request.getHeaders().get("Sec-Fetch-Site");
    String origin = request.getHeaders().get("Origin");
    if ((site != null && !site.equals("same-origin"))
        || (origin != null && !origin.equals("null") && !origin.equals(origin(url)))) {
      return errorPage("Sign-in refused", "The sign-in form was sent from another site.");
    }
    Map<String, String> form = request.getFormParameters().getMap();
    String username = form.getOrDefault("username", "");
    Optional<DevUser> user =
        settings.users().stream()
            .filter(u -> u.name().equals(username) && u.password().equals(form.get("password")))
            .findFirst();
    if (user.isEmpty()) {
      return withHeader(
          html(loginPage.withError(LoginPage.WRONG_CREDENTIALS, username)),
          "Content-Security-Policy",
          csp());
    }
    Instant now = Instant.now();
    String id = new Identifier().getValue(); // 32 random bytes (SecureRandom), base64url
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
    String claims =
        JSON.valueToTree(CognitoTokenCallback.userClaims(session.user(), session.authTime()))
            .toString();
    OAuth2HttpResponse response =
        server.apply(
            new OAuth2HttpRequest(
                Headers.of("Content-Type", "application/x-www-form-urlencoded"),
                "POST",
                request.getOriginalUrl(),
                URLUtils.serializeParameters(
                    Map.of("username", List.of(session.user().sub()), "claims", List.of(claims)))));
    String location = response.getHeaders().get("Location");
    HttpUrl back = location == null ? null : HttpUrl.parse(location);
    String code = back == null ? null : back.queryParameter("code");
    if (code != null) {
      tokens.issued(code, request.getOriginalUrl().queryParameter("redirect_uri"));
    }
    return cookie == null ? response : withHeader(response, "Set-Cookie", cookie);
  }

  private Optional<Session> session(OAuth2HttpRequest request) {
    String id = request.getCookies().get(SESSION_COOKIE);
    Session session = id == null ? null : sessions.get(id);
    return session == null || session.expiresAt().isBefore(Instant.now())
        ? Optional.empty()
        : Optional.of(session);
  }

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
    return redirect(
        logoutUri,
        Headers.of("Set-Cookie", SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"));
  }

  private static String origin(HttpUrl url) {
    return url.scheme() + "://" + url.host() + ":" + url.port();
  }

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
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    parameters.put("error", List.of(error));
    if (state != null) {
      parameters.put("state", List.of(state));
    }
    return redirect(redirectUri + "?" + URLUtils.serializeParameters(parameters), Headers.of());
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

  private void purgeExpired() {
    Instant now = Instant.now();
    sessions.values().removeIf(session -> session.expiresAt().isBefore(now));
    tokens.purgeExpired();
  }
}
