package dev.uploaddashboard.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.uploaddashboard.local.api.CorsPolicy;
import dev.uploaddashboard.local.api.HttpApiGateway;
import dev.uploaddashboard.local.api.JwtAuthorizer;
import dev.uploaddashboard.local.runtime.LambdaFunction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The development identity provider over real HTTP, as the dashboard and a browser use it, with a
 * local API (a stand-in function that echoes the caller) verifying its tokens.
 */
class IdentityProviderTest {

  private static final String DASHBOARD = "http://127.0.0.1:8080";
  private static final String CALLBACK = DASHBOARD + "/";
  private static final String CLIENT = "test-client";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private static final AtomicReference<JsonNode> lastEvent = new AtomicReference<>();

  private static IdentityProvider idp;
  private static HttpApiGateway api;

  @BeforeAll
  static void start() throws Exception {
    idp = IdentityProvider.start(settings(Duration.ofHours(1)));
    api = gatewayFor(idp);
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    idp.close();
  }

  private static IdentityProviderSettings settings(Duration accessTokenLifetime) {
    return new IdentityProviderSettings(
        "127.0.0.1",
        0,
        CLIENT,
        List.of(DASHBOARD, "http://localhost:5173"),
        DevUser.developmentUsers(Map.of("bob", "bobs-own-password")),
        accessTokenLifetime,
        Duration.ofHours(12),
        Optional.empty());
  }

  private static HttpApiGateway gatewayFor(IdentityProvider provider) throws Exception {
    LambdaFunction echo =
        new LambdaFunction(
            "echo",
            (in, out, context) -> {
              JsonNode event = SignInFlow.JSON.readTree(in);
              lastEvent.set(event);
              String body =
                  SignInFlow.JSON.writeValueAsString(
                      event.at("/requestContext/authorizer/jwt/claims"));
              out.write(
                  SignInFlow.JSON.writeValueAsBytes(
                      Map.of(
                          "statusCode",
                          200,
                          "body",
                          body,
                          "headers",
                          Map.of("Content-Type", "application/json"))));
            });
    return HttpApiGateway.start(
        "127.0.0.1",
        0,
        Map.of("GET /metadata", echo),
        new CorsPolicy(
            Set.of(DASHBOARD),
            List.of("GET", "POST", "DELETE"),
            List.of("content-type", "authorization"),
            Duration.ofHours(1)),
        new JwtAuthorizer(provider.issuer(), provider.clientId(), provider.publicKeys()));
  }

  private static SignInFlow flow() {
    return new SignInFlow(idp.url(), CLIENT, CALLBACK);
  }

  private static HttpResponse<String> callApi(HttpApiGateway gateway, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.url() + "/metadata"))
            .header("Origin", DASHBOARD)
            .timeout(Duration.ofSeconds(10))
            .GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), BodyHandlers.ofString());
  }

  // ------------------------------------------------------------------------------------------ the
  // flow

  @Test
  void theAuthorizationCodeFlowWithPkceSignsInAndTheApiAcceptsTheAccessToken() throws Exception {
    SignInFlow flow = flow();

    HttpResponse<String> page = flow.authorize(flow.authorizeParameters());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
    HttpResponse<String> back = flow.login("alice", "alice-local-password");
    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(back.headers().firstValue("set-cookie").orElseThrow())
        .startsWith(CognitoRules.SESSION_COOKIE + "=")
        .contains("HttpOnly")
        .contains("SameSite=Lax");
    Map<String, String> callback = flow.redirectParameters(back);
    assertThat(callback).containsEntry("state", flow.state).containsKey("code");

    HttpResponse<String> tokenResponse =
        flow.token(flow.codeGrant(callback.get("code"), flow.verifier));
    assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
    assertThat(tokenResponse.headers().firstValue("cache-control")).hasValue("no-store");
    JsonNode tokens = SignInFlow.JSON.readTree(tokenResponse.body());
    assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(tokens.get("expires_in").asLong()).isBetween(3590L, 3600L);
    assertThat(tokens.get("refresh_token").asText()).isNotEmpty();

    DevUser alice = idp.users().get(0);
    Map<String, Object> access =
        SignedJWT.parse(tokens.get("access_token").asText()).getJWTClaimsSet().toJSONObject();
    assertThat(access)
        .containsEntry("sub", alice.sub())
        .containsEntry("iss", idp.issuer())
        .containsEntry("client_id", CLIENT)
        .containsEntry("token_use", "access")
        .containsEntry("username", "alice")
        .containsEntry("scope", "openid email profile")
        .containsKeys("auth_time", "iat", "exp", "jti")
        .doesNotContainKeys("aud", "cognito:groups");
    SignedJWT id = SignedJWT.parse(tokens.get("id_token").asText());
    assertThat(id.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    assertThat(id.getJWTClaimsSet().getAudience()).containsExactly(CLIENT);
    assertThat(id.getJWTClaimsSet().toJSONObject())
        .containsEntry("token_use", "id")
        .containsEntry("email", "alice@example.com")
        .containsEntry("cognito:username", "alice");

    HttpResponse<String> apiResponse = callApi(api, tokens.get("access_token").asText());
    assertThat(apiResponse.statusCode()).isEqualTo(200);
    assertThat(SignInFlow.JSON.readTree(apiResponse.body()).get("sub").asText())
        .isEqualTo(alice.sub());
  }

  @Test
  void adminsTokensCarryTheirGroupAndTheApiRendersItLikeApiGateway() throws Exception {
    JsonNode tokens = flow().signIn("admin", "admin-local-password");

    HttpResponse<String> apiResponse = callApi(api, tokens.get("access_token").asText());

    assertThat(SignInFlow.JSON.readTree(apiResponse.body()).get("cognito:groups").asText())
        .isEqualTo("[admins]");
    assertThat(lastEvent.get().at("/requestContext/authorizer/jwt/scopes").toString())
        .isEqualTo("[\"openid\",\"email\",\"profile\"]");
  }

  @Test
  void theApiAcceptsAnIdTokenBecauseItsAudienceIsTheClientAsApiGatewayDoes() throws Exception {
    JsonNode tokens = flow().signIn("bob", "bobs-own-password");

    assertThat(callApi(api, tokens.get("id_token").asText()).statusCode()).isEqualTo(200);
  }

  @Test
  void whileTheIdpSessionLastsAuthorizeRedirectsStraightBackWithACode() throws Exception {
    SignInFlow flow = flow();
    flow.signIn("alice", "alice-local-password");

    HttpResponse<String> again = flow.authorize(flow.authorizeParameters());

    assertThat(again.statusCode()).isEqualTo(302);
    assertThat(flow.redirectParameters(again))
        .containsKey("code")
        .containsEntry("state", flow.state);
  }

  @Test
  void logoutEndsTheSessionAndReturnsToTheRegisteredUrl() throws Exception {
    SignInFlow flow = flow();
    flow.signIn("alice", "alice-local-password");

    HttpResponse<String> logout =
        flow.get("/logout?client_id=" + CLIENT + "&logout_uri=" + enc(CALLBACK));
    HttpResponse<String> afterwards = flow.authorize(flow.authorizeParameters());

    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(logout.headers().firstValue("location")).hasValue(CALLBACK);
    assertThat(logout.headers().firstValue("set-cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(afterwards.statusCode()).isEqualTo(200);
    assertThat(afterwards.body()).contains("<form method=\"post\">");
  }

  @Test
  void logoutToAnUnregisteredUrlIsAnErrorPageNotARedirect() throws Exception {
    HttpResponse<String> response =
        flow().get("/logout?client_id=" + CLIENT + "&logout_uri=" + enc("https://evil.example/"));
    HttpResponse<String> wrongClient =
        flow().get("/logout?client_id=other&logout_uri=" + enc(CALLBACK));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("location")).isEmpty();
    assertThat(wrongClient.statusCode()).isEqualTo(400);
    assertThat(wrongClient.headers().firstValue("location")).isEmpty();
  }

  // -------------------------------------------------------------------------------------- the
  // sign-in page

  @Test
  void theSignInPageIsAccessibleScriptFreeAndFramingProof() throws Exception {
    HttpResponse<String> page = flow().authorize(flow().authorizeParameters());

    assertThat(page.body())
        .contains(
            "<html lang=\"en\">",
            "<label for=\"username\">",
            "id=\"username\"",
            "<label for=\"password\">",
            "id=\"password\"",
            "autocomplete=\"current-password\"",
            "type=\"submit\"",
            "role=\"alert\"",
            "alice",
            "bob",
            "admin",
            "alice-local-password")
        .doesNotContain("<script", "bobs-own-password", "style=\"");
    String csp = page.headers().firstValue("content-security-policy").orElseThrow();
    assertThat(csp)
        .contains(
            "default-src 'none'",
            "style-src 'sha256-",
            "frame-ancestors 'none'",
            "form-action 'self' " + DASHBOARD)
        .doesNotContain("unsafe");
    assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
    assertThat(page.headers().firstValue("cache-control")).hasValue("no-store");
  }

  @Test
  void wrongPasswordAndUnknownUserGetTheSameAnswer() throws Exception {
    SignInFlow flow = flow();
    flow.authorize(flow.authorizeParameters());

    HttpResponse<String> wrongPassword = flow.login("alice", "bob-local-password");
    HttpResponse<String> unknownUser = flow.login("mallory", "bob-local-password");

    for (HttpResponse<String> response : List.of(wrongPassword, unknownUser)) {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("location")).isEmpty();
      assertThat(response.headers().firstValue("set-cookie")).isEmpty();
      assertThat(response.body())
          .contains(LoginPage.WRONG_CREDENTIALS)
          .contains("aria-invalid=\"true\"");
    }
    assertThat(wrongPassword.body().replace("value=\"alice\"", "value=\"mallory\""))
        .isEqualTo(unknownUser.body());
    // The page still works after a mistake.
    assertThat(flow.login("alice", "alice-local-password").statusCode()).isEqualTo(302);
  }

  @Test
  void theSignInFormCannotChooseTheUserOrTheClaims() throws Exception {
    // The server's own login form takes any user name and a claims field; here neither reaches it.
    SignInFlow flow = flow();
    flow.authorize(flow.authorizeParameters());
    HttpResponse<String> asAdminWithoutPassword =
        flow.postForm(
            "/oauth2/authorize?" + SignInFlow.form(flow.authorizeParameters()),
            Map.of("username", "admin", "claims", "{\"cognito:groups\":[\"admins\"]}"));
    HttpResponse<String> aliceClaimingAdmins =
        flow.postForm(
            "/oauth2/authorize?" + SignInFlow.form(flow.authorizeParameters()),
            Map.of(
                "username",
                "alice",
                "password",
                "alice-local-password",
                "claims",
                "{\"cognito:groups\":[\"admins\"],\"sub\":\"someone-else\"}"));
    String code = flow.redirectParameters(aliceClaimingAdmins).get("code");
    JsonNode tokens =
        SignInFlow.JSON.readTree(flow.token(flow.codeGrant(code, flow.verifier)).body());

    assertThat(asAdminWithoutPassword.statusCode()).isEqualTo(200);
    assertThat(asAdminWithoutPassword.body()).contains(LoginPage.WRONG_CREDENTIALS);
    assertThat(asAdminWithoutPassword.headers().firstValue("location")).isEmpty();
    Map<String, Object> access =
        SignedJWT.parse(tokens.get("access_token").asText()).getJWTClaimsSet().toJSONObject();
    assertThat(access)
        .containsEntry("sub", idp.users().get(0).sub())
        .doesNotContainKey("cognito:groups");
  }

  @Test
  void aSignInFormPostedFromAnotherSiteIsRefused() throws Exception {
    SignInFlow flow = flow();
    flow.authorize(flow.authorizeParameters());
    String authorize = "/oauth2/authorize?" + SignInFlow.form(flow.authorizeParameters());
    String form = SignInFlow.form(Map.of("username", "admin", "password", "admin-local-password"));

    HttpResponse<String> forged =
        flow.send(
            HttpRequest.newBuilder(idp.url().resolve(authorize))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    HttpResponse<String> forgedWithoutOrigin =
        flow.send(
            HttpRequest.newBuilder(idp.url().resolve(authorize))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Sec-Fetch-Site", "cross-site")
                .header("Origin", "null")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    HttpResponse<String> fromThePage =
        flow.send(
            HttpRequest.newBuilder(idp.url().resolve(authorize))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Sec-Fetch-Site", "same-origin")
                .header("Origin", "null") // the page's referrer policy is no-referrer
                .POST(HttpRequest.BodyPublishers.ofString(form)));

    for (HttpResponse<String> response : List.of(forged, forgedWithoutOrigin)) {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.headers().firstValue("location")).isEmpty();
      assertThat(response.headers().firstValue("set-cookie")).isEmpty();
    }
    assertThat(fromThePage.statusCode()).isEqualTo(302);
    assertThat(flow.redirectParameters(fromThePage)).containsKey("code");
  }

  // ------------------------------------------------------------------------------- authorize
  // validation

  @Test
  void anUnregisteredRedirectUriOrUnknownClientGetsAnErrorPageAndNoRedirect() throws Exception {
    SignInFlow flow = flow();
    for (Map.Entry<String, String> change :
        List.of(
            Map.entry("redirect_uri", "https://evil.example/"),
            Map.entry("redirect_uri", DASHBOARD),
            Map.entry("redirect_uri", CALLBACK + "callback"),
            Map.entry("redirect_uri", "http://localhost:8080/"),
            Map.entry("client_id", "other-client"))) {
      Map<String, String> parameters = new LinkedHashMap<>(flow.authorizeParameters());
      parameters.put(change.getKey(), change.getValue());

      HttpResponse<String> response = flow.authorize(parameters);

      assertThat(response.statusCode()).as(change.toString()).isEqualTo(400);
      assertThat(response.headers().firstValue("location")).as(change.toString()).isEmpty();
      assertThat(response.body()).doesNotContain("<form");
    }
    Map<String, String> noRedirect = new LinkedHashMap<>(flow.authorizeParameters());
    noRedirect.remove("redirect_uri");
    assertThat(flow.authorize(noRedirect).statusCode()).isEqualTo(400);
  }

  @Test
  void theOtherRegisteredOriginIsACallbackToo() throws Exception {
    SignInFlow flow = new SignInFlow(idp.url(), CLIENT, "http://localhost:5173/");

    assertThat(flow.signIn("alice", "alice-local-password").get("access_token").asText())
        .isNotEmpty();
  }

  @Test
  void pkceIsRequiredWithS256AndOtherErrorsRedirectWithAnOAuthError() throws Exception {
    SignInFlow flow = flow();
    assertThat(errorFor(flow, "code_challenge_method", "plain"))
        .containsEntry("error", "invalid_request")
        .containsEntry("state", flow.state);
    assertThat(errorFor(flow, "code_challenge_method", null))
        .containsEntry("error", "invalid_request");
    assertThat(errorFor(flow, "code_challenge", null)).containsEntry("error", "invalid_request");
    assertThat(errorFor(flow, "code_challenge", "short")).containsEntry("error", "invalid_request");
    assertThat(errorFor(flow, "response_type", "token"))
        .containsEntry("error", "unsupported_response_type");
    assertThat(errorFor(flow, "response_type", null)).containsEntry("error", "invalid_request");
    assertThat(errorFor(flow, "scope", "openid admin")).containsEntry("error", "invalid_scope");
  }

  private static Map<String, String> errorFor(SignInFlow flow, String name, String value)
      throws Exception {
    Map<String, String> parameters = new LinkedHashMap<>(flow.authorizeParameters());
    if (value == null) {
      parameters.remove(name);
    } else {
      parameters.put(name, value);
    }
    HttpResponse<String> response = flow.authorize(parameters);
    assertThat(response.statusCode()).isEqualTo(302);
    Map<String, String> back = flow.redirectParameters(response);
    assertThat(back).doesNotContainKey("code");
    return back;
  }

  // ------------------------------------------------------------------------------------- token
  // endpoint

  @Test
  void aWrongOrMissingVerifierIsRefusedAndBurnsTheCode() throws Exception {
    SignInFlow flow = flow();
    String code = flow.code("alice", "alice-local-password");

    HttpResponse<String> wrong = flow.token(flow.codeGrant(code, SignInFlow.randomVerifier()));
    HttpResponse<String> thenRight = flow.token(flow.codeGrant(code, flow.verifier));
    HttpResponse<String> missing =
        flow.token(flow.codeGrant(flow.code("alice", "alice-local-password"), null));
    HttpResponse<String> plain =
        flow.token(
            flow.codeGrant(
                flow.code("alice", "alice-local-password"), SignInFlow.challenge(flow.verifier)));

    for (HttpResponse<String> response : List.of(wrong, thenRight, missing, plain)) {
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(SignInFlow.JSON.readTree(response.body()).get("error").asText())
          .isEqualTo("invalid_grant");
    }
  }

  @Test
  void aCodeWorksOnceAndReusingItRevokesItsRefreshToken() throws Exception {
    SignInFlow flow = flow();
    String code = flow.code("alice", "alice-local-password");
    HttpResponse<String> first = flow.token(flow.codeGrant(code, flow.verifier));
    String refreshToken = SignInFlow.JSON.readTree(first.body()).get("refresh_token").asText();

    HttpResponse<String> second = flow.token(flow.codeGrant(code, flow.verifier));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(400);
    assertThat(SignInFlow.JSON.readTree(second.body()).get("error").asText())
        .isEqualTo("invalid_grant");
    assertThat(flow.token(refreshGrant(refreshToken)).statusCode()).isEqualTo(400);
  }

  @Test
  void aCodeIsBoundToItsRedirectUriAndClient() throws Exception {
    SignInFlow flow = flow();
    Map<String, String> otherRedirect =
        flow.codeGrant(flow.code("alice", "alice-local-password"), flow.verifier);
    otherRedirect.put("redirect_uri", "http://localhost:5173/");
    Map<String, String> otherClient =
        flow.codeGrant(flow.code("alice", "alice-local-password"), flow.verifier);
    otherClient.put("client_id", "other-client");

    HttpResponse<String> redirectMismatch = flow.token(otherRedirect);
    HttpResponse<String> clientMismatch = flow.token(otherClient);

    assertThat(SignInFlow.JSON.readTree(redirectMismatch.body()).get("error").asText())
        .isEqualTo("invalid_grant");
    assertThat(clientMismatch.statusCode()).isEqualTo(400);
    assertThat(SignInFlow.JSON.readTree(clientMismatch.body()).get("error").asText())
        .isEqualTo("invalid_client");
  }

  @Test
  void theRefreshGrantIssuesNewTokensAndARevokedRefreshTokenIsRefused() throws Exception {
    SignInFlow flow = flow();
    String refreshToken = flow.signIn("bob", "bobs-own-password").get("refresh_token").asText();

    HttpResponse<String> refreshed = flow.token(refreshGrant(refreshToken));
    JsonNode tokens = SignInFlow.JSON.readTree(refreshed.body());
    HttpResponse<String> revoked =
        flow.postForm("/oauth2/revoke", Map.of("token", refreshToken, "client_id", CLIENT));
    HttpResponse<String> afterRevoke = flow.token(refreshGrant(refreshToken));

    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    // Not rotated, as Cognito's default: the same refresh token stays valid.
    assertThat(tokens.path("refresh_token").asText(refreshToken)).isEqualTo(refreshToken);
    assertThat(tokens.get("id_token").asText()).isNotEmpty();
    assertThat(callApi(api, tokens.get("access_token").asText()).statusCode()).isEqualTo(200);
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(afterRevoke.statusCode()).isEqualTo(400);
    assertThat(SignInFlow.JSON.readTree(afterRevoke.body()).get("error").asText())
        .isEqualTo("invalid_grant");
  }

  @Test
  void theTokenEndpointAnswersOAuthErrorsAsJson() throws Exception {
    SignInFlow flow = flow();
    HttpResponse<String> unknownGrant =
        flow.token(
            Map.of(
                "grant_type",
                "password",
                "client_id",
                CLIENT,
                "username",
                "alice",
                "password",
                "alice-local-password"));
    HttpResponse<String> noGrant = flow.token(Map.of("client_id", CLIENT));
    HttpResponse<String> json =
        flow.send(
            HttpRequest.newBuilder(idp.url().resolve("/oauth2/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    HttpResponse<String> unknownCode = flow.token(flow.codeGrant("nope", flow.verifier));

    assertThat(error(unknownGrant)).isEqualTo("unsupported_grant_type");
    assertThat(error(noGrant)).isEqualTo("invalid_request");
    assertThat(error(json)).isEqualTo("invalid_request");
    assertThat(error(unknownCode)).isEqualTo("invalid_grant");
    assertThat(unknownCode.headers().firstValue("content-type").orElseThrow())
        .startsWith("application/json");
  }

  @Test
  void theTokenEndpointAllowsTheRegisteredOriginsOnly() throws Exception {
    HttpResponse<String> preflight =
        flow()
            .send(
                HttpRequest.newBuilder(idp.url().resolve("/oauth2/token"))
                    .header("Origin", DASHBOARD)
                    .header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    HttpResponse<String> other =
        flow()
            .send(
                HttpRequest.newBuilder(idp.url().resolve("/oauth2/token"))
                    .header("Origin", "https://evil.example")
                    .header("Access-Control-Request-Method", "POST")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

    assertThat(preflight.statusCode()).isIn(200, 204);
    assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue(DASHBOARD);
    assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValue("POST");
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void publishesDiscoveryAndPublicKeysOnly() throws Exception {
    JsonNode discovery =
        SignInFlow.JSON.readTree(flow().get("/oauth2/.well-known/openid-configuration").body());
    String jwks = flow().get("/oauth2/jwks").body();

    assertThat(discovery.get("issuer").asText()).isEqualTo(idp.issuer());
    assertThat(discovery.get("token_endpoint").asText()).isEqualTo(idp.url() + "/oauth2/token");
    assertThat(flow().get("/oauth2/debugger").statusCode()).isEqualTo(404);
    assertThat(flow().get("/oauth2/userinfo").statusCode()).isEqualTo(404);
    JsonNode key = SignInFlow.JSON.readTree(jwks).get("keys").get(0);
    assertThat(key.get("kty").asText()).isEqualTo("RSA");
    assertThat(key.has("d")).isFalse();
    assertThat(key.has("p")).isFalse();
  }

  // --------------------------------------------------------------------------------------------
  // expiry

  @Test
  void anExpiredAccessTokenIsRefused() throws Exception {
    try (IdentityProvider shortLived = IdentityProvider.start(settings(Duration.ofSeconds(1)));
        HttpApiGateway gateway = gatewayFor(shortLived)) {
      String token =
          new SignInFlow(shortLived.url(), CLIENT, CALLBACK)
              .signIn("alice", "alice-local-password")
              .get("access_token")
              .asText();
      assertThat(callApi(gateway, token).statusCode()).isEqualTo(200);

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      HttpResponse<String> response = callApi(gateway, token);
      while (response.statusCode() == 200 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        response = callApi(gateway, token);
      }

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
      assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue(DASHBOARD);
    }
  }

  @Test
  void tokensOfAnotherIdentityProviderAreRefused() throws Exception {
    try (IdentityProvider other = IdentityProvider.start(settings(Duration.ofHours(1)))) {
      assertThat(callApi(api, other.accessTokenFor("alice")).statusCode()).isEqualTo(401);
      assertThat(callApi(api, idp.accessTokenFor("alice")).statusCode()).isEqualTo(200);
      assertThat(callApi(api, null).statusCode()).isEqualTo(401);
    }
  }

  private static Map<String, String> refreshGrant(String refreshToken) {
    return Map.of(
        "grant_type", "refresh_token", "client_id", CLIENT, "refresh_token", refreshToken);
  }

  private static String error(HttpResponse<String> response) throws Exception {
    assertThat(response.statusCode()).isEqualTo(400);
    return SignInFlow.JSON.readTree(response.body()).get("error").asText();
  }

  private static String enc(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
