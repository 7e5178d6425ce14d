package dev.uploaddashboard.local.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the dashboard and a browser do to sign in, over real HTTP: a cookie jar, no automatic
 * redirects, a fresh PKCE verifier per flow.
 */
public final class SignInFlow {

  public static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final URI identityProvider;
  private final String clientId;
  private final String redirectUri;
  private final HttpClient browser =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  public final String verifier = randomVerifier();
  private String lastAuthorize;
  public final String state = "state-" + RANDOM.nextInt(1_000_000);

  public SignInFlow(URI identityProvider, String clientId, String redirectUri) {
    this.identityProvider = identityProvider;
    this.clientId = clientId;
    this.redirectUri = redirectUri;
  }

  public static String randomVerifier() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String challenge(String verifier) {
    try {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              MessageDigest.getInstance("SHA-256")
                  .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The parameters the dashboard sends to {@code /oauth2/authorize}. */
  public Map<String, String> authorizeParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("response_type", "code");
    parameters.put("client_id", clientId);
    parameters.put("redirect_uri", redirectUri);
    parameters.put("scope", "openid email profile");
    parameters.put("state", state);
    parameters.put("code_challenge", challenge(verifier));
    parameters.put("code_challenge_method", "S256");
    return parameters;
  }

  public HttpResponse<String> authorize(Map<String, String> parameters) throws Exception {
    lastAuthorize = "/oauth2/authorize?" + form(parameters);
    return get(lastAuthorize);
  }

  public HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(HttpRequest.newBuilder(identityProvider.resolve(pathAndQuery)).GET());
  }

  /** Submits the sign-in page's form, which posts back to the authorize URL it was shown at. */
  public HttpResponse<String> login(String user, String password) throws Exception {
    return postForm(lastAuthorize, Map.of("username", user, "password", password));
  }

  public HttpResponse<String> token(Map<String, String> parameters) throws Exception {
    return postForm("/oauth2/token", parameters);
  }

  public HttpResponse<String> postForm(String path, Map<String, String> parameters)
      throws Exception {
    return send(
        HttpRequest.newBuilder(identityProvider.resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(parameters))));
  }

  /** Authorize, sign in, and return the code from the redirect back to the dashboard. */
  public String code(String user, String password) throws Exception {
    HttpResponse<String> page = authorize(authorizeParameters());
    HttpResponse<String> redirect = page.statusCode() == 200 ? login(user, password) : page;
    Map<String, String> back = redirectParameters(redirect);
    if (!state.equals(back.get("state")) || back.get("code") == null) {
      throw new AssertionError(
          "no code in the redirect: " + redirect.statusCode() + " " + redirect.headers());
    }
    return back.get("code");
  }

  public Map<String, String> codeGrant(String code, String codeVerifier) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("grant_type", "authorization_code");
    parameters.put("client_id", clientId);
    parameters.put("code", code);
    parameters.put("redirect_uri", redirectUri);
    if (codeVerifier != null) {
      parameters.put("code_verifier", codeVerifier);
    }
    return parameters;
  }

  /** The whole flow: the token endpoint's JSON answer (access, ID and refresh token). */
  public JsonNode signIn(String user, String password) throws Exception {
    HttpResponse<String> response = token(codeGrant(code(user, password), verifier));
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "token endpoint answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /**
   * The query parameters of a redirect's Location, after checking it goes to the registered
   * redirect URI.
   */
  public Map<String, String> redirectParameters(HttpResponse<String> response) {
    String location =
        response
            .headers()
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no redirect: " + response.statusCode() + " " + response.body()));
    if (!location.startsWith(redirectUri + "?")) {
      throw new AssertionError("redirect to an unexpected place: " + location);
    }
    return query(location.substring(redirectUri.length() + 1));
  }

  public static Map<String, String> query(String raw) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      parameters.put(
          URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return parameters;
  }

  public static String form(Map<String, String> parameters) {
    StringBuilder body = new StringBuilder();
    parameters.forEach(
        (name, value) -> {
          if (body.length() > 0) {
            body.append('&');
          }
          body.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
    return body.toString();
  }

  public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return browser.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
  }
}
