package dev.uploaddashboard.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequestHandler;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/**
 * What mock-oauth2-server 2.3.0 does on its own, without {@link CognitoRules} in front: the gaps
 * that class closes. If an upgrade closes one, its test here fails, and the matching check in
 * {@link CognitoRules} may go.
 */
class MockOAuth2ServerGapsTest {

  private static final String BASE = "http://127.0.0.1:9/oauth2";
  private static final String CALLBACK = "http://127.0.0.1:8080/";
  private static final String VERIFIER = SignInFlow.randomVerifier();

  private final Route server =
      new OAuth2HttpRequestHandler(
              new OAuth2Config(
                  false,
                  null,
                  null,
                  false,
                  new OAuth2TokenProvider(new KeyProvider(), (Instant) null),
                  Set.of(
                      new CognitoTokenCallback(
                          "oauth2", "client", Duration.ofHours(1), null, Map.of()))))
          .getAuthorizationServer();

  @Test
  void withoutACodeVerifierTheTokenEndpointSkipsPkce() {
    String code = code(SignInFlow.challenge(VERIFIER), "S256", CALLBACK);

    assertThat(token(codeGrant(code, null)).getStatus()).isEqualTo(200);
  }

  @Test
  void aWrongVerifierIsRefused() {
    String code = code(SignInFlow.challenge(VERIFIER), "S256", CALLBACK);

    assertThat(token(codeGrant(code, SignInFlow.randomVerifier())).getStatus()).isEqualTo(400);
  }

  @Test
  void anUnknownOrReusedCodeStillGetsTokens() {
    String code = code(SignInFlow.challenge(VERIFIER), "S256", CALLBACK);
    assertThat(token(codeGrant(code, VERIFIER)).getStatus()).isEqualTo(200);

    assertThat(token(codeGrant(code, VERIFIER)).getStatus()).as("reused").isEqualTo(200);
    assertThat(token(codeGrant("made-up", VERIFIER)).getStatus()).as("unknown").isEqualTo(200);
  }

  @Test
  void thePlainMethodIsAccepted() {
    String code = code(VERIFIER, "plain", CALLBACK);

    assertThat(token(codeGrant(code, VERIFIER)).getStatus()).isEqualTo(200);
  }

  @Test
  void anyRedirectUriIsFollowed() {
    assertThat(code(SignInFlow.challenge(VERIFIER), "S256", "https://elsewhere.example/"))
        .isNotEmpty();
  }

  @Test
  void revokeWantsATokenTypeHintAndARevokedRefreshTokenStillRefreshes() throws Exception {
    String code = code(SignInFlow.challenge(VERIFIER), "S256", CALLBACK);
    String refreshToken =
        SignInFlow.JSON
            .readTree(token(codeGrant(code, VERIFIER)).getBody())
            .get("refresh_token")
            .asText();
    Map<String, String> revoke = Map.of("client_id", "client", "token", refreshToken);
    Map<String, String> revokeWithHint = new LinkedHashMap<>(revoke);
    revokeWithHint.put("token_type_hint", "refresh_token");
    Map<String, String> refresh =
        Map.of("grant_type", "refresh_token", "client_id", "client", "refresh_token", refreshToken);

    assertThat(post("/revoke", revoke).getStatus()).as("no hint").isEqualTo(400);
    assertThat(post("/revoke", revokeWithHint).getStatus()).isEqualTo(200);
    assertThat(token(refresh).getStatus()).as("refresh after revoke").isEqualTo(200);
    assertThat(
            token(
                    Map.of(
                        "grant_type",
                        "refresh_token",
                        "client_id",
                        "client",
                        "refresh_token",
                        "made-up"))
                .getStatus())
        .as("unknown refresh token")
        .isEqualTo(200);
  }

  @Test
  void signOutRedirectsAnywhere() {
    OAuth2HttpResponse response =
        server.invoke(
            new OAuth2HttpRequest(
                Headers.of(),
                "GET",
                HttpUrl.get(
                    BASE + "/endsession?post_logout_redirect_uri=https://elsewhere.example/"),
                null));

    assertThat(response.getStatus()).isEqualTo(302);
    assertThat(response.getHeaders().get("Location")).isEqualTo("https://elsewhere.example/");
  }

  private String code(String challenge, String method, String redirectUri) {
    HttpUrl authorize =
        HttpUrl.get(BASE + "/authorize")
            .newBuilder()
            .addQueryParameter("response_type", "code")
            .addQueryParameter("client_id", "client")
            .addQueryParameter("redirect_uri", redirectUri)
            .addQueryParameter("scope", "openid")
            .addQueryParameter("state", "s")
            .addQueryParameter("code_challenge", challenge)
            .addQueryParameter("code_challenge_method", method)
            .build();
    OAuth2HttpResponse response =
        server.invoke(new OAuth2HttpRequest(Headers.of(), "GET", authorize, null));
    assertThat(response.getStatus()).isEqualTo(302);
    HttpUrl back = HttpUrl.get(response.getHeaders().get("Location"));
    assertThat(back.toString()).startsWith(redirectUri);
    return back.queryParameter("code");
  }

  private static Map<String, String> codeGrant(String code, String verifier) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("client_id", "client");
    form.put("code", code);
    form.put("redirect_uri", CALLBACK);
    if (verifier != null) {
      form.put("code_verifier", verifier);
    }
    return form;
  }

  private OAuth2HttpResponse token(Map<String, String> form) {
    return post("/token", form);
  }

  private OAuth2HttpResponse post(String path, Map<String, String> form) {
    return server.invoke(
        new OAuth2HttpRequest(
            Headers.of("Content-Type", "application/x-www-form-urlencoded"),
            "POST",
            HttpUrl.get(BASE + path),
            SignInFlow.form(form)));
  }
}
