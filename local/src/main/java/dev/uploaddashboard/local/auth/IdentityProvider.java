package dev.uploaddashboard.local.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.uploaddashboard.local.net.HostAllowList;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development OAuth 2.0 / OpenID Connect provider that speaks the paths of Cognito's hosted UI,
 * so the dashboard signs in the same way locally and deployed: authorization code with PKCE (S256,
 * required here), refresh tokens, revocation and sign-out.
 *
 * <ul>
 *   <li>{@code GET /oauth2/authorize}: the sign-in page, or straight back with a code while the IdP
 *       session cookie is valid
 *   <li>{@code POST /login}: the sign-in form
 *   <li>{@code POST /oauth2/token}: {@code authorization_code} and {@code refresh_token} grants
 *   <li>{@code POST /oauth2/revoke}: revokes a refresh token
 *   <li>{@code GET /logout}: ends the IdP session and returns to a registered sign-out URL
 *   <li>{@code GET /.well-known/openid-configuration}, {@code GET /.well-known/jwks.json}
 * </ul>
 *
 * <p>The signing key survives restarts when a key file is given, so access and ID tokens stay valid
 * until they expire. IdP sessions, codes and refresh tokens live in memory: after a restart the
 * dashboard's next refresh fails and its user signs in again.
 */
public final class IdentityProvider implements AutoCloseable {

  /** The scopes of the deployed app client; a request without {@code scope} gets all of them. */
  public static final List<String> SCOPES = List.of("openid", "email", "profile");

  static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
  static final Duration LOGIN_PAGE_LIFETIME = Duration.ofMinutes(10);

  /** Cognito's hosted UI remembers a sign-in for an hour. */
  static final Duration SESSION_LIFETIME = Duration.ofHours(1);

  static final String SESSION_COOKIE = "upload_dashboard_idp_session";

  private static final int MAX_FORM_BYTES = 16 * 1024;
  private static final Pattern PKCE_VALUE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(IdentityProvider.class);

  private final IdentityProviderSettings settings;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI url;
  private final TokenIssuer tokens;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final byte[] dummyPasswordHash;

  private final Map<String, PendingLogin> pendingLogins = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();

  /**
   * Codes already redeemed, until they would have expired: a second use revokes what the first
   * produced.
   */
  private final Map<String, RedeemedCode> redeemedCodes = new ConcurrentHashMap<>();

  private final Map<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();

  /** What a valid {@code /oauth2/authorize} request asked for. */
  private record AuthorizeRequest(
      String redirectUri, String state, String codeChallenge, List<String> scopes, String nonce) {}

  private record PendingLogin(AuthorizeRequest request, Instant expiresAt) {}

  private record Session(DevUser user, Instant authTime, Instant expiresAt) {}

  private record IssuedCode(
      AuthorizeRequest request, DevUser user, Instant authTime, Instant expiresAt) {}

  private record RedeemedCode(String refreshToken, Instant expiresAt) {}

  private record RefreshGrant(
      DevUser user,
      List<String> scopes,
      Instant authTime,
      String originJti,
      String nonce,
      Instant expiresAt) {}

  /** An OAuth error answered as JSON by the token and revoke endpoints. */
  private static final class OAuthError extends Exception {
    final String code;

    OAuthError(String code, String description) {
      super(description, null, false, false);
      this.code = code;
    }
  }

  private IdentityProvider(
      IdentityProviderSettings settings,
      HttpServer server,
      ExecutorService executor,
      RSAKey key,
      Clock clock) {
    this.settings = settings;
    this.server = server;
    this.executor = executor;
    this.clock = clock;
    InetSocketAddress address = server.getAddress();
    this.url = URI.create("http://" + address.getHostString() + ":" + address.getPort());
    this.tokens =
        new TokenIssuer(
            key, url.toString(), settings.clientId(), settings.accessTokenLifetime(), clock);
    this.dummyPasswordHash = sha256("not a password of anyone " + UUID.randomUUID());
  }

  public static IdentityProvider start(IdentityProviderSettings settings) throws IOException {
    RSAKey key = SigningKey.loadOrCreate(settings.keyFile());
    HttpServer server =
        HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 64);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            runnable -> {
              Thread thread = new Thread(runnable, "identity-provider");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    IdentityProvider provider =
        new IdentityProvider(settings, server, executor, key, Clock.systemUTC());
    server
        .createContext("/", provider::handle)
        .getFilters()
        .add(HostAllowList.forServer(settings.host(), server.getAddress().getPort()).filter());
    server.start();
    return provider;
  }

  /** The base URL: the {@code authority} in {@code config.json} and the tokens' {@code iss}. */
  public URI url() {
    return url;
  }

  /** The issuer as tokens carry it ({@code iss}): the base URL without a trailing slash. */
  public String issuer() {
    return url.toString();
  }

  public String clientId() {
    return settings.clientId();
  }

  public List<DevUser> users() {
    return settings.users();
  }

  /** The public signing keys ({@code /.well-known/jwks.json}). */
  public JWKSet publicKeys() {
    return tokens.publicKeys();
  }

  /** A valid access token for a development user, as the token endpoint would issue it. */
  public String accessTokenFor(String userName) {
    DevUser user = user(userName);
    return tokens.accessToken(user, SCOPES, clock.instant(), UUID.randomUUID().toString());
  }

  /** A valid ID token for a development user, as the token endpoint would issue it. */
  public String idTokenFor(String userName) {
    DevUser user = user(userName);
    return tokens.idToken(user, clock.instant(), UUID.randomUUID().toString(), null);
  }

  private DevUser user(String userName) {
    return settings.users().stream()
        .filter(user -> user.name().equals(userName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no development user " + userName));
  }

  // ----------------------------------------------------------------------------------------------
  // HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Headers headers = exchange.getResponseHeaders();
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("Cache-Control", "no-store");
      headers.set("Referrer-Policy", "no-referrer");
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      int status =
          switch (path) {
            case "/oauth2/authorize" -> only(exchange, method, "GET", () -> authorize(exchange));
            case "/login" -> only(exchange, method, "POST", () -> login(exchange));
            case "/oauth2/token" -> cors(exchange, method, () -> token(exchange));
            case "/oauth2/revoke" -> cors(exchange, method, () -> revoke(exchange));
            case "/logout" -> only(exchange, method, "GET", () -> logout(exchange));
            case "/.well-known/openid-configuration" ->
                only(exchange, method, "GET", () -> discovery(exchange));
            case "/.well-known/jwks.json" -> only(exchange, method, "GET", () -> jwks(exchange));
            case "/styles.css" ->
                only(
                    exchange,
                    method,
                    "GET",
                    () -> {
                      headers.set("Cache-Control", "no-cache");
                      return send(exchange, 200, "text/css; charset=utf-8", LoginPage.STYLESHEET);
                    });
            default -> send(exchange, 404, "text/plain; charset=utf-8", "Not found");
          };
      LOG.info("{} {} {}", method, path, status);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "{} {} failed: {}",
          exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(),
          e.toString());
    }
  }

  private interface Endpoint {
    int respond() throws IOException;
  }

  private static int only(HttpExchange exchange, String method, String allowed, Endpoint endpoint)
      throws IOException {
    if (!method.equals(allowed)) {
      exchange.getResponseHeaders().set("Allow", allowed);
      return send(exchange, 405, "text/plain; charset=utf-8", "Method not allowed");
    }
    return endpoint.respond();
  }

  /** The token and revoke endpoints: POST, callable from the registered origins like Cognito's. */
  private int cors(HttpExchange exchange, String method, Endpoint endpoint) throws IOException {
    Headers request = exchange.getRequestHeaders();
    Headers response = exchange.getResponseHeaders();
    String origin = request.getFirst("Origin");
    boolean allowed = origin != null && settings.origins().contains(origin);
    if (allowed) {
      response.set("Access-Control-Allow-Origin", origin);
      response.set("Vary", "Origin");
    }
    if (method.equals("OPTIONS")) {
      if (allowed) {
        response.set("Access-Control-Allow-Methods", "POST");
        response.set("Access-Control-Allow-Headers", "content-type,authorization");
        response.set("Access-Control-Max-Age", "3600");
      }
      exchange.sendResponseHeaders(204, -1);
      return 204;
    }
    return only(exchange, method, "POST", endpoint);
  }

  // -------------------------------------------------------------------------------------------
  // authorize

  private int authorize(HttpExchange exchange) throws IOException {
    Map<String, List<String>> query = parseForm(exchange.getRequestURI().getRawQuery());
    String clientId = single(query, "client_id");
    String redirectUri = single(query, "redirect_uri");
    if (clientId == null || !clientId.equals(settings.clientId())) {
      return errorPage(
          exchange,
          400,
          "Unknown client",
          "The sign-in request names no known client (client_id).");
    }
    if (redirectUri == null || !settings.callbackUrls().contains(redirectUri)) {
      return errorPage(
          exchange,
          400,
          "Unknown redirect URL",
          "The sign-in request's redirect_uri is not a registered callback URL of this client.");
    }
    String state = single(query, "state");
    Optional<String> duplicate =
        query.entrySet().stream()
            .filter(e -> e.getValue().size() > 1)
            .map(Map.Entry::getKey)
            .findFirst();
    if (duplicate.isPresent()) {
      return redirectError(
          exchange, redirectUri, state, "invalid_request", duplicate.get() + " is repeated");
    }
    String responseType = single(query, "response_type");
    if (responseType == null) {
      return redirectError(
          exchange, redirectUri, state, "invalid_request", "response_type is required");
    }
    if (!responseType.equals("code")) {
      return redirectError(
          exchange, redirectUri, state, "unsupported_response_type", "only response_type=code");
    }
    String challenge = single(query, "code_challenge");
    String challengeMethod = single(query, "code_challenge_method");
    if (challenge == null || challengeMethod == null || !challengeMethod.equals("S256")) {
      return redirectError(
          exchange,
          redirectUri,
          state,
          "invalid_request",
          "PKCE is required: code_challenge with code_challenge_method=S256");
    }
    if (!PKCE_VALUE.matcher(challenge).matches()) {
      return redirectError(
          exchange, redirectUri, state, "invalid_request", "code_challenge is malformed");
    }
    String scope = single(query, "scope");
    List<String> scopes =
        scope == null || scope.isBlank()
            ? SCOPES
            : Arrays.stream(scope.trim().split(" +")).distinct().toList();
    if (!SCOPES.containsAll(scopes)) {
      return redirectError(
          exchange,
          redirectUri,
          state,
          "invalid_scope",
          "allowed scopes: " + String.join(" ", SCOPES));
    }
    AuthorizeRequest request =
        new AuthorizeRequest(redirectUri, state, challenge, scopes, single(query, "nonce"));

    Optional<Session> session = currentSession(exchange);
    if (session.isPresent()) {
      return redirectWithCode(
          exchange, 302, request, session.get().user(), session.get().authTime());
    }
    purgeExpired();
    String pendingId = randomToken();
    pendingLogins.put(
        pendingId, new PendingLogin(request, clock.instant().plus(LOGIN_PAGE_LIFETIME)));
    return signInPage(exchange, 200, pendingId, null, null);
  }

  private int login(HttpExchange exchange) throws IOException {
    Map<String, List<String>> form;
    try {
      form = readForm(exchange);
    } catch (OAuthError e) {
      return errorPage(exchange, 400, "Sign-in failed", e.getMessage());
    }
    String pendingId = single(form, "request");
    PendingLogin pending = pendingId == null ? null : pendingLogins.get(pendingId);
    if (pending == null || pending.expiresAt().isBefore(clock.instant())) {
      return errorPage(exchange, 400, "Sign-in expired", "This sign-in page has expired.");
    }
    String username = Optional.ofNullable(single(form, "username")).orElse("").trim();
    String password = Optional.ofNullable(single(form, "password")).orElse("");
    Optional<DevUser> user = checkCredentials(username, password);
    if (user.isEmpty()) {
      LOG.info("Sign-in refused for a user name of {} characters", username.length());
      return signInPage(exchange, 200, pendingId, username, LoginPage.WRONG_CREDENTIALS);
    }
    if (pendingLogins.remove(pendingId) == null) {
      return errorPage(exchange, 400, "Sign-in expired", "This sign-in page has expired.");
    }
    Instant now = clock.instant();
    String sessionId = randomToken();
    sessions.put(sessionId, new Session(user.get(), now, now.plus(SESSION_LIFETIME)));
    exchange
        .getResponseHeaders()
        .add(
            "Set-Cookie",
            SESSION_COOKIE
                + "="
                + sessionId
                + "; Path=/; HttpOnly; SameSite=Lax; Max-Age="
                + SESSION_LIFETIME.toSeconds()
                + "; Expires="
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    now.plus(SESSION_LIFETIME).atOffset(ZoneOffset.UTC)));
    LOG.info("{} signed in", user.get().name());
    return redirectWithCode(exchange, 303, pending.request(), user.get(), now);
  }

  /**
   * Compares hashes in constant time and does the same work for unknown users, so nothing tells
   * them apart.
   */
  private Optional<DevUser> checkCredentials(String username, String password) {
    byte[] given = sha256(password);
    DevUser match = null;
    for (DevUser user : settings.users()) {
      if (user.name().equals(username)) {
        match = user;
      }
    }
    byte[] expected = match == null ? dummyPasswordHash : sha256(match.password());
    boolean equal = MessageDigest.isEqual(given, expected);
    return match != null && equal ? Optional.of(match) : Optional.empty();
  }

  private int redirectWithCode(
      HttpExchange exchange, int status, AuthorizeRequest request, DevUser user, Instant authTime)
      throws IOException {
    purgeExpired();
    String code = randomToken();
    codes.put(code, new IssuedCode(request, user, authTime, clock.instant().plus(CODE_LIFETIME)));
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("code", code);
    if (request.state() != null) {
      parameters.put("state", request.state());
    }
    return redirect(exchange, status, request.redirectUri(), parameters);
  }

  private int redirectError(
      HttpExchange exchange, String redirectUri, String state, String error, String description)
      throws IOException {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("error", error);
    parameters.put("error_description", description);
    if (state != null) {
      parameters.put("state", state);
    }
    return redirect(exchange, 302, redirectUri, parameters);
  }

  private Optional<Session> currentSession(HttpExchange exchange) {
    Optional<String> id = sessionCookie(exchange);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    Session session = sessions.get(id.get());
    if (session == null || session.expiresAt().isBefore(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(session);
  }

  private static Optional<String> sessionCookie(HttpExchange exchange) {
    List<String> cookieHeaders = exchange.getRequestHeaders().getOrDefault("Cookie", List.of());
    for (String header : cookieHeaders) {
      for (String cookie : header.split(";")) {
        String trimmed = cookie.trim();
        if (trimmed.startsWith(SESSION_COOKIE + "=")) {
          return Optional.of(trimmed.substring(SESSION_COOKIE.length() + 1));
        }
      }
    }
    return Optional.empty();
  }

  // -----------------------------------------------------------------------------------------------
  // token

  private int token(HttpExchange exchange) throws IOException {
    try {
      Map<String, List<String>> form = readForm(exchange);
      rejectDuplicates(form);
      String grantType = required(form, "grant_type");
      String clientId = required(form, "client_id");
      if (!clientId.equals(settings.clientId())) {
        throw new OAuthError("invalid_client", "unknown client");
      }
      return switch (grantType) {
        case "authorization_code" -> sendJson(exchange, 200, authorizationCodeGrant(form));
        case "refresh_token" -> sendJson(exchange, 200, refreshTokenGrant(form));
        default ->
            throw new OAuthError(
                "unsupported_grant_type",
                "grant_type must be authorization_code or" + " refresh_token");
      };
    } catch (OAuthError e) {
      return oauthError(exchange, e);
    }
  }

  private Map<String, Object> authorizationCodeGrant(Map<String, List<String>> form)
      throws OAuthError {
    String code = required(form, "code");
    String redirectUri = required(form, "redirect_uri");
    String verifier = single(form, "code_verifier");
    Instant now = clock.instant();
    IssuedCode issued = codes.remove(code);
    if (issued == null) {
      RedeemedCode redeemed = redeemedCodes.get(code);
      if (redeemed != null) {
        // RFC 6749 4.1.2: a code used twice revokes the tokens issued for it.
        refreshTokens.remove(redeemed.refreshToken());
        LOG.warn("An authorization code was used twice; its refresh token is revoked");
      }
      throw new OAuthError("invalid_grant", "the code is invalid, expired or already used");
    }
    if (issued.expiresAt().isBefore(now)) {
      throw new OAuthError("invalid_grant", "the code is invalid, expired or already used");
    }
    if (!issued.request().redirectUri().equals(redirectUri)) {
      throw new OAuthError(
          "invalid_grant", "redirect_uri does not match the authorization request");
    }
    if (verifier == null
        || !PKCE_VALUE.matcher(verifier).matches()
        || !MessageDigest.isEqual(
            s256(verifier).getBytes(StandardCharsets.US_ASCII),
            issued.request().codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
      throw new OAuthError("invalid_grant", "code_verifier does not match the code_challenge");
    }
    String originJti = UUID.randomUUID().toString();
    String refreshToken = randomToken();
    refreshTokens.put(
        refreshToken,
        new RefreshGrant(
            issued.user(),
            issued.request().scopes(),
            issued.authTime(),
            originJti,
            issued.request().nonce(),
            now.plus(settings.refreshTokenLifetime())));
    redeemedCodes.put(code, new RedeemedCode(refreshToken, issued.expiresAt()));
    Map<String, Object> response =
        tokenResponse(
            issued.user(),
            issued.request().scopes(),
            issued.authTime(),
            originJti,
            issued.request().nonce());
    response.put("refresh_token", refreshToken);
    return response;
  }

  private Map<String, Object> refreshTokenGrant(Map<String, List<String>> form) throws OAuthError {
    String refreshToken = required(form, "refresh_token");
    RefreshGrant grant = refreshTokens.get(refreshToken);
    if (grant == null || grant.expiresAt().isBefore(clock.instant())) {
      throw new OAuthError("invalid_grant", "the refresh token is invalid, expired or revoked");
    }
    // Like Cognito's default: no rotation, the same refresh token stays valid until it expires or
    // is revoked.
    return tokenResponse(grant.user(), grant.scopes(), grant.authTime(), grant.originJti(), null);
  }

  private Map<String, Object> tokenResponse(
      DevUser user, List<String> scopes, Instant authTime, String originJti, String nonce) {
    Map<String, Object> response = new LinkedHashMap<>();
    if (scopes.contains("openid")) {
      response.put("id_token", tokens.idToken(user, authTime, originJti, nonce));
    }
    response.put("access_token", tokens.accessToken(user, scopes, authTime, originJti));
    response.put("token_type", "Bearer");
    response.put("expires_in", tokens.lifetime().toSeconds());
    return response;
  }

  private int revoke(HttpExchange exchange) throws IOException {
    try {
      Map<String, List<String>> form = readForm(exchange);
      rejectDuplicates(form);
      String token = required(form, "token");
      String clientId = required(form, "client_id");
      if (!clientId.equals(settings.clientId())) {
        throw new OAuthError("invalid_client", "unknown client");
      }
      if (refreshTokens.remove(token) != null) {
        LOG.info("A refresh token was revoked");
      }
      // RFC 7009: an unknown or already revoked token is not an error.
      return send(exchange, 200, null, "");
    } catch (OAuthError e) {
      return oauthError(exchange, e);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // logout

  private int logout(HttpExchange exchange) throws IOException {
    Map<String, List<String>> query = parseForm(exchange.getRequestURI().getRawQuery());
    String clientId = single(query, "client_id");
    String logoutUri = single(query, "logout_uri");
    if (clientId == null || !clientId.equals(settings.clientId())) {
      return errorPage(
          exchange,
          400,
          "Unknown client",
          "The sign-out request names no known client (client_id).");
    }
    if (logoutUri == null || !settings.callbackUrls().contains(logoutUri)) {
      return errorPage(
          exchange,
          400,
          "Unknown sign-out URL",
          "The sign-out request's logout_uri is not a registered sign-out URL of this client.");
    }
    sessionCookie(exchange).ifPresent(sessions::remove);
    exchange
        .getResponseHeaders()
        .add(
            "Set-Cookie",
            SESSION_COOKIE
                + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    return redirect(exchange, 302, logoutUri, Map.of());
  }

  // -------------------------------------------------------------------------------------------
  // discovery

  private int discovery(HttpExchange exchange) throws IOException {
    allowAnyOrigin(exchange);
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("issuer", issuer());
    document.put("authorization_endpoint", issuer() + "/oauth2/authorize");
    document.put("token_endpoint", issuer() + "/oauth2/token");
    document.put("revocation_endpoint", issuer() + "/oauth2/revoke");
    document.put("jwks_uri", issuer() + "/.well-known/jwks.json");
    document.put("response_types_supported", List.of("code"));
    document.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
    document.put("subject_types_supported", List.of("public"));
    document.put("id_token_signing_alg_values_supported", List.of("RS256"));
    document.put("scopes_supported", SCOPES);
    document.put("token_endpoint_auth_methods_supported", List.of("none"));
    document.put("code_challenge_methods_supported", List.of("S256"));
    return sendJson(exchange, 200, document);
  }

  private int jwks(HttpExchange exchange) throws IOException {
    allowAnyOrigin(exchange);
    return send(exchange, 200, "application/json", publicKeys().toString());
  }

  private static void allowAnyOrigin(HttpExchange exchange) {
    exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private int signInPage(
      HttpExchange exchange, int status, String pendingId, String username, String error)
      throws IOException {
    htmlHeaders(exchange);
    return send(
        exchange,
        status,
        "text/html; charset=utf-8",
        LoginPage.signIn(pendingId, username, error, settings.users()));
  }

  private int errorPage(HttpExchange exchange, int status, String title, String message)
      throws IOException {
    htmlHeaders(exchange);
    return send(exchange, status, "text/html; charset=utf-8", LoginPage.error(title, message));
  }

  private void htmlHeaders(HttpExchange exchange) {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Security-Policy", LoginPage.contentSecurityPolicy(settings.origins()));
    headers.set("X-Frame-Options", "DENY");
  }

  private static int redirect(
      HttpExchange exchange, int status, String target, Map<String, String> parameters)
      throws IOException {
    StringBuilder location = new StringBuilder(target);
    char separator = target.contains("?") ? '&' : '?';
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      location
          .append(separator)
          .append(encode(parameter.getKey()))
          .append('=')
          .append(encode(parameter.getValue()));
      separator = '&';
    }
    exchange.getResponseHeaders().set("Location", location.toString());
    exchange.sendResponseHeaders(status, -1);
    return status;
  }

  private static int oauthError(HttpExchange exchange, OAuthError error) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error.code);
    body.put("error_description", error.getMessage());
    return sendJson(exchange, 400, body);
  }

  private static int sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    exchange.getResponseHeaders().set("Pragma", "no-cache");
    return send(exchange, status, "application/json;charset=UTF-8", JSON.writeValueAsString(body));
  }

  private static int send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    if (bytes.length == 0 || exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return status;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    return status;
  }

  private static Map<String, List<String>> readForm(HttpExchange exchange)
      throws IOException, OAuthError {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null
        || !contentType
            .toLowerCase(Locale.ROOT)
            .split(";")[0]
            .trim()
            .equals("application/x-www-form-urlencoded")) {
      throw new OAuthError("invalid_request", "the body must be application/x-www-form-urlencoded");
    }
    byte[] body = exchange.getRequestBody().readNBytes(MAX_FORM_BYTES + 1);
    if (body.length > MAX_FORM_BYTES) {
      throw new OAuthError("invalid_request", "the body is too large");
    }
    return parseForm(new String(body, StandardCharsets.US_ASCII));
  }

  static Map<String, List<String>> parseForm(String raw) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      try {
        String name =
            URLDecoder.decode(
                equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
        String value =
            equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        // RFC 6749 3.1: a parameter sent without a value is treated as omitted.
        if (!value.isEmpty()) {
          parameters.computeIfAbsent(name, ignored -> new ArrayList<>()).add(value);
        }
      } catch (IllegalArgumentException e) {
        parameters.computeIfAbsent("", ignored -> new ArrayList<>()).add(pair);
      }
    }
    return parameters;
  }

  private static String single(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    return values == null || values.size() != 1 ? null : values.get(0);
  }

  private static String required(Map<String, List<String>> parameters, String name)
      throws OAuthError {
    String value = single(parameters, name);
    if (value == null) {
      throw new OAuthError("invalid_request", name + " is required");
    }
    return value;
  }

  private static void rejectDuplicates(Map<String, List<String>> parameters) throws OAuthError {
    for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
      if (parameter.getValue().size() > 1) {
        throw new OAuthError("invalid_request", parameter.getKey() + " is repeated");
      }
    }
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    pendingLogins.values().removeIf(pending -> pending.expiresAt().isBefore(now));
    sessions.values().removeIf(session -> session.expiresAt().isBefore(now));
    codes.values().removeIf(code -> code.expiresAt().isBefore(now));
    redeemedCodes.values().removeIf(code -> code.expiresAt().isBefore(now));
    refreshTokens.values().removeIf(grant -> grant.expiresAt().isBefore(now));
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String s256(String verifier) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public void close() throws InterruptedException {
    server.stop(0);
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
