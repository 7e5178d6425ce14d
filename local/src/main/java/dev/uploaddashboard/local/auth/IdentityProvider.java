package dev.uploaddashboard.local.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.uploaddashboard.local.net.JettyServers;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequestHandler;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The development sign-in server in Cognito's place: {@code no.nav.security:mock-oauth2-server}
 * with issuer id {@code oauth2}, so it serves Cognito's hosted-UI paths ({@code /oauth2/authorize},
 * {@code /oauth2/token}, {@code /oauth2/revoke}) and its JWKS at {@code /oauth2/jwks}; {@link
 * CognitoRules} in front adds what Cognito enforces and the server does not, and Cognito's {@code
 * /logout}. It runs on a Jetty server of local mode's (Host allow-list first), with CORS for the
 * dashboard's origins, as the token and revoke endpoints need.
 *
 * <p>The signing key survives restarts when a key file is given, so access and ID tokens stay valid
 * until they expire. Sessions, codes and refresh tokens live in memory.
 */
public final class IdentityProvider implements AutoCloseable {

  /** The scopes of the deployed app client. */
  public static final List<String> SCOPES = List.of("openid", "email", "profile");

  /** The server's issuer id: the first path segment of its endpoints and of {@code iss}. */
  static final String ISSUER_ID = "oauth2";

  private static final int MAX_BODY_BYTES = 16 * 1024;

  private final IdentityProviderSettings settings;
  private final Server server;
  private final URI url;
  private final OAuth2TokenProvider tokens;
  private final Path loginPageFile;

  private IdentityProvider(
      IdentityProviderSettings settings,
      Server server,
      OAuth2TokenProvider tokens,
      Path loginPageFile) {
    this.settings = settings;
    this.server = server;
    this.url = JettyServers.url(server);
    this.tokens = tokens;
    this.loginPageFile = loginPageFile;
  }

  public static IdentityProvider start(IdentityProviderSettings settings) throws Exception {
    // The server names the key after the issuer id, whatever kid the file has.
    OAuth2TokenProvider tokens =
        new OAuth2TokenProvider(SigningKey.load(settings.keyFile(), ISSUER_ID), (Instant) null);
    LoginPage loginPage = new LoginPage(settings.users(), settings.origins());
    Path loginPageFile = Files.createTempFile("upload-dashboard-sign-in", ".html");
    Files.writeString(loginPageFile, loginPage.html(), StandardCharsets.UTF_8);
    loginPageFile.toFile().deleteOnExit();
    OAuth2Config config =
        new OAuth2Config(
            true,
            loginPageFile.toString(),
            null,
            false,
            tokens,
            Set.of(
                new CognitoTokenCallback(
                    ISSUER_ID,
                    settings.clientId(),
                    settings.accessTokenLifetime(),
                    null,
                    Map.of())));
    Route mock = new OAuth2HttpRequestHandler(config).getAuthorizationServer();
    // The server keeps its codes and refresh tokens in plain maps: one request at a time.
    CognitoRules rules =
        new CognitoRules(
            settings,
            loginPage,
            request -> {
              synchronized (mock) {
                return mock.invoke(request);
              }
            });

    Server server = JettyServers.bind(settings.host(), settings.port(), "identity-provider", 8);
    HttpUrl base = HttpUrl.get(JettyServers.url(server).toString());
    CrossOriginHandler cors = new CrossOriginHandler();
    cors.setAllowedOriginPatterns(
        settings.origins().stream().map(Pattern::quote).collect(Collectors.toSet()));
    cors.setAllowedMethods(new LinkedHashSet<>(List.of("POST")));
    cors.setAllowedHeaders(new LinkedHashSet<>(List.of("content-type", "authorization")));
    cors.setAllowCredentials(false);
    cors.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            OAuth2HttpResponse answer = rules.handle(asServerRequest(base, request));
            respond(answer, response, callback);
            return true;
          }
        });
    JettyServers.handle(server, cors);
    server.start();
    return new IdentityProvider(settings, server, tokens, loginPageFile);
  }

  /**
   * The request as the server's own HTTP layer would hand it over, at the configured address
   * whatever Host named it (the allow-list has checked that), so {@code iss} is always the same.
   */
  private static OAuth2HttpRequest asServerRequest(HttpUrl base, Request request)
      throws IOException {
    Headers.Builder headers = new Headers.Builder();
    for (HttpField field : request.getHeaders()) {
      if (!field.is(HttpHeader.HOST.asString())
          && !field.getLowerCaseName().startsWith("x-forwarded-")) {
        headers.addUnsafeNonAscii(field.getName(), field.getValue());
      }
    }
    String body = null;
    if (request.getLength() > MAX_BODY_BYTES) {
      throw new IOException("request body too large");
    }
    if (!request.getMethod().equals("GET")) {
      body = Content.Source.asString(request, StandardCharsets.UTF_8);
    }
    HttpUrl url = base.resolve(request.getHttpURI().getPathQuery());
    return new OAuth2HttpRequest(headers.build(), request.getMethod(), url, body);
  }

  private static void respond(OAuth2HttpResponse answer, Response response, Callback callback) {
    response.setStatus(answer.getStatus());
    Headers headers = answer.getHeaders();
    for (int i = 0; i < headers.size(); i++) {
      // The server's own CORS headers allow every origin; the CrossOriginHandler decides here.
      if (!headers.name(i).toLowerCase(Locale.ROOT).startsWith("access-control-")) {
        response.getHeaders().add(headers.name(i), headers.value(i));
      }
    }
    response.getHeaders().put("Cache-Control", "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    response.getHeaders().put("X-Frame-Options", "DENY");
    byte[] body =
        answer.getBytesBody() != null
            ? answer.getBytesBody()
            : answer.getBody() == null
                ? new byte[0]
                : answer.getBody().getBytes(StandardCharsets.UTF_8);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** The base URL, {@code http://host:port}; Cognito's hosted-UI paths are under it. */
  public URI url() {
    return url;
  }

  /** The issuer as tokens carry it ({@code iss}): the base URL plus {@code /oauth2}. */
  public String issuer() {
    return url + "/" + ISSUER_ID;
  }

  public String clientId() {
    return settings.clientId();
  }

  public List<DevUser> users() {
    return settings.users();
  }

  /** The public signing keys (also at {@code /oauth2/jwks}). */
  public JWKSet publicKeys() {
    return tokens.publicJwkSet(ISSUER_ID);
  }

  /** A valid access token for a development user, as the token endpoint would issue it. */
  public String accessTokenFor(String userName) {
    return tokens
        .accessToken(tokenRequest(), HttpUrl.get(issuer()), callbackFor(userName), null)
        .serialize();
  }

  /** A valid ID token for a development user, as the token endpoint would issue it. */
  public String idTokenFor(String userName) {
    return tokens
        .idToken(tokenRequest(), HttpUrl.get(issuer()), callbackFor(userName), null)
        .serialize();
  }

  private TokenRequest tokenRequest() {
    return new TokenRequest.Builder(
            URI.create(issuer() + "/token"),
            new ClientID(settings.clientId()),
            new AuthorizationCodeGrant(new AuthorizationCode(), URI.create(url + "/")))
        .build();
  }

  public DevUser user(String userName) {
    return settings.users().stream()
        .filter(u -> u.name().equals(userName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no development user " + userName));
  }

  private CognitoTokenCallback callbackFor(String userName) {
    DevUser user = user(userName);
    return new CognitoTokenCallback(
        ISSUER_ID,
        settings.clientId(),
        settings.accessTokenLifetime(),
        user.sub(),
        CognitoTokenCallback.userClaims(user, Instant.now()));
  }

  @Override
  public void close() throws IOException {
    JettyServers.stop(server);
    Files.deleteIfExists(loginPageFile);
  }
}
