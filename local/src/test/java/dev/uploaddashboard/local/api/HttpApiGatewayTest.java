package dev.uploaddashboard.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uploaddashboard.local.runtime.LambdaFunction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local API Gateway with stand-in functions: events, responses, CORS, its own errors and the
 * JWT authorizer.
 */
class HttpApiGatewayTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DASHBOARD = "http://127.0.0.1:8080";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String ISSUER = "http://127.0.0.1:8084";
  private static final String CLIENT = "client-1";
  private static final TestTokens TOKENS = new TestTokens(ISSUER, CLIENT);

  private static final AtomicReference<JsonNode> lastEvent = new AtomicReference<>();
  private static final AtomicReference<String> nextResponse = new AtomicReference<>();
  private static HttpApiGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    LambdaFunction echo =
        new LambdaFunction(
            "echo",
            (in, out, context) -> {
              lastEvent.set(JSON.readTree(in));
              out.write(nextResponse.get().getBytes(StandardCharsets.UTF_8));
            });
    LambdaFunction crash =
        new LambdaFunction(
            "crash",
            (in, out, context) -> {
              throw new IllegalStateException("secret internals: table arn:aws:dynamodb:...");
            });
    LambdaFunction slow =
        new LambdaFunction(
            "slow",
            (in, out, context) -> {
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              out.write("{\"statusCode\":200}".getBytes(StandardCharsets.UTF_8));
            },
            java.time.Duration.ofMillis(200),
            128);
    gateway =
        HttpApiGateway.start(
            "127.0.0.1",
            0,
            Map.of(
                "GET /metadata", echo,
                "DELETE /metadata", echo,
                "POST /uploads", echo,
                "GET /metadata/file", crash,
                "POST /metadata/file", slow),
            new CorsPolicy(
                Set.of(DASHBOARD),
                List.of("GET", "POST", "DELETE"),
                List.of("content-type", "authorization"),
                Duration.ofHours(1)),
            new JwtAuthorizer(ISSUER, CLIENT, TOKENS.publicKeys()));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @BeforeEach
  void defaultResponse() {
    nextResponse.set(
        "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"application/json\"},"
            + "\"body\":\"{\\\"items\\\":[]}\",\"isBase64Encoded\":false}");
  }

  @Test
  void passesAPayloadV2EventAndReturnsTheHandlersResponse() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(url("/metadata?limit=5&cursor=a%2Bb&x=1&x=2"))
                .header("X-Custom", "Value")
                .header("Cookie", "a=1; b=2")
                .GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"items\":[]}");
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode event = lastEvent.get();
    assertThat(event.get("version").asText()).isEqualTo("2.0");
    assertThat(event.get("routeKey").asText()).isEqualTo("GET /metadata");
    assertThat(event.get("rawPath").asText()).isEqualTo("/metadata");
    assertThat(event.get("rawQueryString").asText()).isEqualTo("limit=5&cursor=a%2Bb&x=1&x=2");
    assertThat(event.at("/queryStringParameters/limit").asText()).isEqualTo("5");
    assertThat(event.at("/queryStringParameters/cursor").asText()).isEqualTo("a+b");
    assertThat(event.at("/queryStringParameters/x").asText()).isEqualTo("1,2");
    assertThat(event.at("/headers/x-custom").asText()).isEqualTo("Value");
    assertThat(event.get("cookies").toString()).isEqualTo("[\"a=1\",\"b=2\"]");
    assertThat(event.at("/requestContext/http/method").asText()).isEqualTo("GET");
    assertThat(event.at("/requestContext/http/path").asText()).isEqualTo("/metadata");
    assertThat(event.at("/requestContext/http/sourceIp").asText()).isEqualTo("127.0.0.1");
    assertThat(event.at("/requestContext/http/userAgent").asText()).isNotEmpty();
    assertThat(event.at("/requestContext/stage").asText()).isEqualTo("$default");
    assertThat(event.at("/requestContext/requestId").asText()).isNotEmpty();
    assertThat(event.at("/requestContext/time").asText())
        .matches("\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
    assertThat(event.at("/requestContext/timeEpochMillis").asLong()).isPositive();
    assertThat(event.has("body")).isFalse();
    assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
  }

  @Test
  void jsonBodiesPassAsTextAndBinaryBodiesAsBase64() throws Exception {
    send(
        HttpRequest.newBuilder(url("/metadata"))
            .header("Content-Type", "application/json")
            .method("DELETE", BodyPublishers.ofString("{\"key\":\"incoming/a\"}")));
    assertThat(lastEvent.get().get("body").asText()).isEqualTo("{\"key\":\"incoming/a\"}");
    assertThat(lastEvent.get().get("isBase64Encoded").asBoolean()).isFalse();

    send(
        HttpRequest.newBuilder(url("/uploads"))
            .header("Content-Type", "application/octet-stream")
            .POST(BodyPublishers.ofByteArray(new byte[] {0, 1, 2})));
    assertThat(lastEvent.get().get("body").asText()).isEqualTo("AAEC");
    assertThat(lastEvent.get().get("isBase64Encoded").asBoolean()).isTrue();
  }

  @Test
  void answersAnUnknownRouteOrMethodAsApiGatewayDoes() throws Exception {
    for (HttpRequest.Builder request :
        List.of(
            HttpRequest.newBuilder(url("/nope")).GET(),
            HttpRequest.newBuilder(url("/uploads")).GET())) {
      HttpResponse<String> response = send(request);

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
    }
  }

  @Test
  void refusesBodiesOverTheCapWith413() throws Exception {
    byte[] big = new byte[HttpApiGateway.MAX_BODY_BYTES + 1];
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(url("/uploads"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofByteArray(big)));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(response.body()).get("code").asText()).isEqualTo("request_too_large");
  }

  @Test
  void hidesHandlerCrashesBehindAGeneric500() throws Exception {
    HttpResponse<String> response =
        send(HttpRequest.newBuilder(url("/metadata/file?key=incoming/a")).GET());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body())
        .isEqualTo("{\"message\":\"Internal Server Error\"}")
        .doesNotContain("secret");
  }

  @Test
  void aFunctionThatRunsOutOfTimeGetsAGeneric500AsFromApiGateway() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(url("/metadata/file"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{}")));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
  }

  @Test
  void aResponseWithoutStatusCodeBecomes200Json() throws Exception {
    nextResponse.set("{\"items\":[1]}");

    HttpResponse<String> response = send(HttpRequest.newBuilder(url("/metadata")).GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"items\":[1]}");
  }

  @Test
  void preflightFromTheDashboardOriginIsAllowed() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(url("/metadata"))
                .header("Origin", DASHBOARD)
                .header("Access-Control-Request-Method", "DELETE")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("access-control-allow-origin")).hasValue(DASHBOARD);
    // Lists: their order carries no meaning (Jetty's CrossOriginHandler keeps them as sets).
    assertThat(
            response.headers().firstValue("access-control-allow-methods").orElseThrow().split(","))
        .containsExactlyInAnyOrder("GET", "POST", "DELETE");
    assertThat(
            response.headers().firstValue("access-control-allow-headers").orElseThrow().split(","))
        .containsExactlyInAnyOrder("content-type", "authorization");
    assertThat(response.headers().firstValue("access-control-max-age")).hasValue("3600");
  }

  @Test
  void preflightFromAnotherOriginGetsNoCorsHeaders() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(url("/metadata"))
                .header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "DELETE")
                .method("OPTIONS", BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().map().keySet())
        .noneMatch(name -> name.startsWith("access-control-"));
  }

  @Test
  void preflightForAMethodNotAllowedGetsNoCorsHeaders() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(url("/metadata"))
                .header("Origin", DASHBOARD)
                .header("Access-Control-Request-Method", "PATCH")
                .method("OPTIONS", BodyPublishers.noBody()));

    assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void actualResponsesEchoOnlyAnAllowedOrigin() throws Exception {
    HttpResponse<String> allowed =
        send(HttpRequest.newBuilder(url("/metadata")).header("Origin", DASHBOARD).GET());
    HttpResponse<String> other =
        send(
            HttpRequest.newBuilder(url("/metadata")).header("Origin", "http://evil.example").GET());
    HttpResponse<String> notFound =
        send(HttpRequest.newBuilder(url("/nope")).header("Origin", DASHBOARD).GET());

    assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue(DASHBOARD);
    assertThat(allowed.headers().firstValue("vary")).hasValue("Origin");
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(notFound.headers().firstValue("access-control-allow-origin")).hasValue(DASHBOARD);
  }

  @Test
  void passesTheVerifiedClaimsAsApiGatewayRendersThem() throws Exception {
    String token = TOKENS.accessToken(TOKENS.claims().build());

    HttpResponse<String> response =
        sendRaw(
            HttpRequest.newBuilder(url("/metadata"))
                .header("Authorization", "Bearer " + token)
                .GET());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode jwt = lastEvent.get().at("/requestContext/authorizer/jwt");
    assertThat(jwt.at("/claims/sub").asText()).isEqualTo(TestTokens.SUB);
    assertThat(jwt.at("/claims/cognito:groups").asText()).isEqualTo("[admins staff]");
    assertThat(jwt.at("/claims/token_use").asText()).isEqualTo("access");
    assertThat(jwt.at("/claims/iss").asText()).isEqualTo(ISSUER);
    assertThat(jwt.at("/claims/exp").isTextual()).isTrue();
    assertThat(jwt.at("/claims/exp").asText()).matches("\\d{10}");
    assertThat(jwt.at("/claims/auth_time").asText()).matches("\\d{10}");
    assertThat(jwt.get("claims").properties())
        .allSatisfy(claim -> assertThat(claim.getValue().isTextual()).isTrue());
    assertThat(jwt.get("scopes").toString()).isEqualTo("[\"openid\",\"email\",\"profile\"]");
  }

  @Test
  void acceptsARawTokenWithoutBearerAsApiGatewayDoes() throws Exception {
    HttpResponse<String> response =
        sendRaw(
            HttpRequest.newBuilder(url("/metadata"))
                .header("Authorization", TOKENS.accessToken(TOKENS.claims().build()))
                .GET());

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void acceptsAnIdTokenWhoseAudienceIsTheClient() throws Exception {
    String idToken =
        TOKENS.accessToken(
            TOKENS
                .claims()
                .claim("client_id", null)
                .claim("token_use", "id")
                .claim("scope", null)
                .audience(CLIENT)
                .build());

    HttpResponse<String> response =
        sendRaw(
            HttpRequest.newBuilder(url("/metadata"))
                .header("Authorization", "Bearer " + idToken)
                .GET());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(lastEvent.get().at("/requestContext/authorizer/jwt/claims/aud").asText())
        .isEqualTo(CLIENT);
    assertThat(lastEvent.get().at("/requestContext/authorizer/jwt/scopes").isNull()).isTrue();
  }

  @Test
  void refusesMissingAndMalformedTokensWith401BeforeTheHandlerRuns() throws Exception {
    lastEvent.set(null);
    HttpResponse<String> missing =
        sendRaw(HttpRequest.newBuilder(url("/metadata")).header("Origin", DASHBOARD).GET());
    HttpResponse<String> empty =
        sendRaw(HttpRequest.newBuilder(url("/metadata")).header("Authorization", "Bearer ").GET());
    HttpResponse<String> garbage =
        sendRaw(
            HttpRequest.newBuilder(url("/metadata"))
                .header("Authorization", "Bearer not.a.jwt")
                .GET());
    HttpResponse<String> withBody =
        sendRaw(
            HttpRequest.newBuilder(url("/uploads"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"file_name\":\"a.txt\"}")));

    for (HttpResponse<String> response : List.of(missing, empty, garbage, withBody)) {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
      assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    }
    assertThat(missing.headers().firstValue("access-control-allow-origin")).hasValue(DASHBOARD);
    assertThat(lastEvent.get()).isNull();
  }

  @Test
  void refusesATamperedToken() throws Exception {
    String token = TOKENS.accessToken(TOKENS.claims().build());
    String[] parts = token.split("\\.");
    String forgedPayload =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                TOKENS
                    .claims()
                    .subject("someone-else")
                    .build()
                    .toString()
                    .getBytes(StandardCharsets.UTF_8));
    // Change the first character: in base64url every bit of it is signature data (the last one of a
    // 256-byte RS256 signature carries 4 padding bits, so changing it may leave the bytes as they
    // were).
    char first = parts[2].charAt(0);
    String flippedSignature = (first == 'A' ? 'Q' : 'A') + parts[2].substring(1);

    assertThat(statusWith(parts[0] + "." + forgedPayload + "." + parts[2])).isEqualTo(401);
    assertThat(statusWith(parts[0] + "." + parts[1] + "." + flippedSignature)).isEqualTo(401);
    assertThat(statusWith(parts[0] + "." + parts[1] + ".")).isEqualTo(401);
  }

  @Test
  void refusesTokensFromAnotherKeyOrIssuerOrForAnotherClient() throws Exception {
    assertThat(statusWith(TOKENS.signedWithAnotherKey(TOKENS.claims().build()))).isEqualTo(401);
    assertThat(statusWith(new TestTokens(ISSUER, CLIENT).accessToken(TOKENS.claims().build())))
        .isEqualTo(401);
    assertThat(
            statusWith(TOKENS.accessToken(TOKENS.claims().issuer("http://127.0.0.1:9999").build())))
        .isEqualTo(401);
    assertThat(statusWith(TOKENS.accessToken(TOKENS.claims().issuer(ISSUER + "/").build())))
        .isEqualTo(401);
    assertThat(
            statusWith(
                TOKENS.accessToken(TOKENS.claims().claim("client_id", "other-client").build())))
        .isEqualTo(401);
    assertThat(
            statusWith(
                TOKENS.accessToken(
                    TOKENS.claims().claim("client_id", null).audience("other-client").build())))
        .isEqualTo(401);
  }

  @Test
  void refusesExpiredAndNotYetValidTokens() throws Exception {
    java.time.Instant now = java.time.Instant.now();
    String expired =
        TOKENS.accessToken(
            TOKENS.claims().expirationTime(java.util.Date.from(now.minusSeconds(5))).build());
    String noExpiry = TOKENS.accessToken(TOKENS.claims().expirationTime(null).build());
    String notYet =
        TOKENS.accessToken(
            TOKENS.claims().notBeforeTime(java.util.Date.from(now.plusSeconds(60))).build());

    assertThat(statusWith(expired)).isEqualTo(401);
    assertThat(statusWith(noExpiry)).isEqualTo(401);
    assertThat(statusWith(notYet)).isEqualTo(401);
  }

  @Test
  void refusesUnsignedAndSymmetricallySignedTokens() throws Exception {
    com.nimbusds.jwt.JWTClaimsSet claims = TOKENS.claims().build();
    String unsigned = new com.nimbusds.jwt.PlainJWT(claims).serialize();
    com.nimbusds.jwt.SignedJWT hmac =
        new com.nimbusds.jwt.SignedJWT(
            new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims);
    hmac.sign(new com.nimbusds.jose.crypto.MACSigner(new byte[32]));

    assertThat(statusWith(unsigned)).isEqualTo(401);
    assertThat(statusWith(hmac.serialize())).isEqualTo(401);
  }

  private static int statusWith(String token) throws Exception {
    return sendRaw(
            HttpRequest.newBuilder(url("/metadata"))
                .header("Authorization", "Bearer " + token)
                .GET())
        .statusCode();
  }

  private static URI url(String pathAndQuery) {
    return URI.create(gateway.url() + pathAndQuery);
  }

  /**
   * Sends {@code request} with a valid access token, unless it already has an Authorization header
   * or is a preflight.
   */
  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    HttpRequest built = request.timeout(Duration.ofSeconds(10)).build();
    if (built.headers().firstValue("Authorization").isEmpty()
        && !built.method().equals("OPTIONS")) {
      request.header("Authorization", "Bearer " + TOKENS.accessToken(TOKENS.claims().build()));
      built = request.build();
    }
    return HTTP.send(built, BodyHandlers.ofString());
  }

  private static HttpResponse<String> sendRaw(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
  }
}
