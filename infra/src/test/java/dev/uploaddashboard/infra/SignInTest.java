package dev.uploaddashboard.infra;

import static dev.uploaddashboard.infra.Policies.list;
import static dev.uploaddashboard.infra.Policies.map;
import static dev.uploaddashboard.infra.Policies.render;
import static dev.uploaddashboard.infra.Resources.only;
import static dev.uploaddashboard.infra.Resources.properties;
import static org.assertj.core.api.Assertions.assertThat;

import dev.uploaddashboard.contract.DashboardPage;
import dev.uploaddashboard.contract.Functions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * Sign-in (issue 4): user pool, hosted UI, the dashboard's app client, the API's JWT authorizer.
 */
class SignInTest {

  /** The default hosted UI prefix of dev, as rendered by Policies.render. */
  static final String DOMAIN = "upload-dashboard-dev-${AWS::AccountId}";

  /** The hosted UI base URL everywhere it is used: a reference to the domain resource. */
  static final String HOSTED_UI =
      "https://UsersUserPoolHostedUi.auth.${AWS::Region}.amazoncognito.com";

  private static final String DASHBOARD_ORIGIN = "https://DashboardDistribution.DomainName";

  private static Template template;

  @BeforeAll
  static void synth() {
    template = TestApps.template("dev");
  }

  @Test
  void onlyAdministratorsCreateUsersWhoSignInWithTheirEmail() {
    Map<String, Object> pool = pool();
    assertThat(render(pool.get("AdminCreateUserConfig"))).contains("AllowAdminCreateUserOnly=true");
    assertThat(pool.get("UsernameAttributes")).isEqualTo(List.of("email"));
    assertThat(pool.get("AutoVerifiedAttributes")).isEqualTo(List.of("email"));
    assertThat(pool.get("UsernameConfiguration")).isEqualTo(Map.of("CaseSensitive", false));
  }

  @Test
  void passwordsAreStrongAndRecoveryIsByEmailOnly() {
    Map<String, Object> pool = pool();
    assertThat(map(pool.get("Policies")).get("PasswordPolicy"))
        .isEqualTo(
            Map.of(
                "MinimumLength", 12,
                "RequireLowercase", true,
                "RequireUppercase", true,
                "RequireNumbers", true,
                "RequireSymbols", true,
                "TemporaryPasswordValidityDays", 3));
    assertThat(pool.get("AccountRecoverySetting"))
        .isEqualTo(
            Map.of("RecoveryMechanisms", List.of(Map.of("Name", "verified_email", "Priority", 1))));
  }

  @Test
  void mfaIsOptionalTotpOnlyAndThePoolIsOnTheFreeTierPlanWithoutPaidThreatProtection() {
    Map<String, Object> pool = pool();
    assertThat(pool.get("MfaConfiguration")).isEqualTo("OPTIONAL");
    assertThat(pool.get("EnabledMfas")).isEqualTo(List.of("SOFTWARE_TOKEN_MFA"));
    assertThat(pool).doesNotContainKey("SmsConfiguration");
    assertThat(pool.get("UserPoolTier")).isEqualTo("LITE");
    assertThat(pool).doesNotContainKey("UserPoolAddOns");
  }

  @Test
  void whereMfaIsOptionalAVersionOneTriggerGuardsTheAdminsGroup() {
    Map<String, Object> lambdaConfig = map(pool().get("LambdaConfig"));
    // Version 1 (every feature plan): its group override also replaces cognito:groups in the
    // access token, which is what the API's authorizer reads.
    assertThat(lambdaConfig.keySet()).containsExactly("PreTokenGeneration");
    // Cognito invokes the SnapStart alias, like every other invoker, never $LATEST.
    assertThat(Resources.target(lambdaConfig.get("PreTokenGeneration")))
        .isEqualTo(Resources.aliasId(template, Functions.ADMIN_MFA_GUARD.handlerClass()));
    assertThat(
            Resources.function(template, Functions.ADMIN_MFA_GUARD.handlerClass()).get("Timeout"))
        .isEqualTo(5);
  }

  @Test
  void whereMfaIsRequiredThereIsNoTrigger() {
    App app =
        TestApps.app(
            Map.of(
                UploadDashboardApp.ONLY,
                "strict",
                UploadDashboardApp.ENVIRONMENTS,
                Map.of(
                    "strict",
                    Map.of("requireMfa", true, "account", "123456789012", "region", "eu-west-1"))));
    Template strict = Template.fromStack(UploadDashboardApp.createStacks(app).get(0));

    Map<String, Object> pool = properties(only(strict, "AWS::Cognito::UserPool").getValue());
    assertThat(pool.get("MfaConfiguration")).isEqualTo("ON");
    assertThat(pool).doesNotContainKey("LambdaConfig");
    assertThat(
            strict.findResources("AWS::Lambda::Function").values().stream()
                .map(f -> properties(f).get("Handler")))
        .doesNotContain(Functions.ADMIN_MFA_GUARD.handlerClass());
  }

  @Test
  void thereIsAnAdminsGroup() {
    Map<String, Object> group =
        properties(only(template, "AWS::Cognito::UserPoolGroup").getValue());
    assertThat(group.get("GroupName")).isEqualTo("admins");
    assertThat(Resources.target(group.get("UserPoolId"))).isEqualTo(poolId());
  }

  @Test
  void hostedUiIsACognitoPrefixDomainUniquePerAccountAndEnvironment() {
    Map<String, Object> domain =
        properties(only(template, "AWS::Cognito::UserPoolDomain").getValue());
    assertThat(render(domain.get("Domain"))).isEqualTo(DOMAIN);
    assertThat(domain).doesNotContainKey("CustomDomainConfig");
    // prod pins its account in cdk.json, so its default prefix names that account literally.
    assertThat(render(TestApps.template("prod").toJSON().get("Resources")))
        .contains("upload-dashboard-prod-" + TestApps.setting("prod", "account"));
  }

  @Test
  void dashboardClientIsPublicCodeGrantOnlyWithExactlyTheDashboardOrigins() {
    Map<String, Object> client = client();
    assertThat(client.get("GenerateSecret")).isEqualTo(false);
    assertThat(client.get("AllowedOAuthFlowsUserPoolClient")).isEqualTo(true);
    assertThat(client.get("AllowedOAuthFlows")).isEqualTo(List.of("code"));
    assertThat(client.get("AllowedOAuthScopes")).isEqualTo(List.of("openid", "email", "profile"));
    List<String> urls = List.of(DASHBOARD_ORIGIN + "/", TestApps.DEV_EXTRA_ORIGIN + "/");
    assertThat(list(client.get("CallbackURLs")).stream().map(Policies::render))
        .containsExactlyElementsOf(urls);
    assertThat(list(client.get("LogoutURLs")).stream().map(Policies::render))
        .containsExactlyElementsOf(urls);
    assertThat(client.get("SupportedIdentityProviders")).isEqualTo(List.of("COGNITO"));
    // No password or SRP sign-in with the public client id: only the hosted UI signs users in.
    assertThat(client.get("ExplicitAuthFlows")).isEqualTo(List.of("ALLOW_REFRESH_TOKEN_AUTH"));
    assertThat(Resources.target(client.get("UserPoolId"))).isEqualTo(poolId());
  }

  @Test
  void prodClientHasTheProdOriginsOnly() {
    Map<String, Object> client =
        properties(only(TestApps.template("prod"), "AWS::Cognito::UserPoolClient").getValue());
    List<String> urls = new java.util.ArrayList<>(List.of(DASHBOARD_ORIGIN + "/"));
    TestApps.extraCorsOrigins("prod").forEach(origin -> urls.add(origin + "/"));
    assertThat(list(client.get("CallbackURLs")).stream().map(Policies::render))
        .containsExactlyElementsOf(urls)
        .doesNotContain(TestApps.DEV_EXTRA_ORIGIN + "/");
  }

  @Test
  void tokensAreShortLivedRevocableAndErrorsDoNotRevealUsers() {
    Map<String, Object> client = client();
    assertThat(client.get("AccessTokenValidity")).isEqualTo(60);
    assertThat(client.get("IdTokenValidity")).isEqualTo(60);
    assertThat(client.get("RefreshTokenValidity")).isEqualTo(720);
    assertThat(client.get("TokenValidityUnits"))
        .isEqualTo(
            Map.of("AccessToken", "minutes", "IdToken", "minutes", "RefreshToken", "minutes"));
    assertThat(client.get("EnableTokenRevocation")).isEqualTo(true);
    assertThat(client.get("PreventUserExistenceErrors")).isEqualTo("ENABLED");
  }

  @Test
  void refreshTokenRotationStaysOffBecauseTheLitePlanDoesNotOfferIt() {
    // Cognito offers refresh token rotation on the Essentials and Plus plans only; asking for it on
    // Lite fails the deployment (and rotation would also need ALLOW_REFRESH_TOKEN_AUTH removed).
    // Revocation on sign-out and the 12-hour lifetime bound a stolen refresh token instead
    // (SECURITY.md).
    assertThat(pool().get("UserPoolTier")).isEqualTo("LITE");
    assertThat(client()).doesNotContainKey("RefreshTokenRotation");
  }

  @Test
  void apiAuthorizerChecksThePoolsIssuerAndTheDashboardClientAsAudience() {
    Map<String, Object> authorizer =
        properties(only(template, "AWS::ApiGatewayV2::Authorizer").getValue());
    assertThat(authorizer.get("AuthorizerType")).isEqualTo("JWT");
    assertThat(authorizer.get("IdentitySource"))
        .isEqualTo(List.of("$request.header.Authorization"));
    Map<String, Object> jwt = map(authorizer.get("JwtConfiguration"));
    assertThat(list(jwt.get("Audience")).stream().map(Resources::target))
        .containsExactly(only(template, "AWS::Cognito::UserPoolClient").getKey());
    assertThat(render(jwt.get("Issuer")))
        .isEqualTo("https://cognito-idp.${AWS::Region}.amazonaws.com/" + Policies.strip(poolId()));
  }

  @Test
  void everyRouteRequiresTheJwtAuthorizerAndNoRouteCatchesThePreflight() {
    String authorizerId = only(template, "AWS::ApiGatewayV2::Authorizer").getKey();
    Map<String, Map<String, Object>> routes = template.findResources("AWS::ApiGatewayV2::Route");
    // Four file routes, and the upload function's five multipart routes.
    assertThat(routes).hasSize(9);
    routes.forEach(
        (id, route) -> {
          Map<String, Object> props = properties(route);
          assertThat(props.get("AuthorizationType")).as(id).isEqualTo("JWT");
          assertThat(props.get("AuthorizerId")).as(id).isEqualTo(Map.of("Ref", authorizerId));
          // OPTIONS is answered by API Gateway's CORS support only while no route matches it.
          assertThat((String) props.get("RouteKey"))
              .as(id)
              .doesNotStartWith("OPTIONS")
              .doesNotStartWith("ANY")
              .isNotEqualTo("$default");
        });
    assertThat(properties(only(template, "AWS::ApiGatewayV2::Api").getValue()))
        .containsKey("CorsConfiguration");
  }

  @Test
  void configJsonTellsThePageWhereToSignIn() {
    DashboardPage.SignIn signIn =
        new DashboardPage.SignIn(
            "https://p.auth.eu-west-1.amazoncognito.com", "client123", UserDirectory.SCOPES);
    Map<String, Object> config =
        DashboardPage.config("https://api.example.com", signIn, Functions.DEFAULT_MAX_UPLOAD_BYTES);
    // Key order is part of the bytes of config.json (and so of its asset hash): fixed.
    assertThat(List.copyOf(config.keySet())).containsExactly("apiUrl", "auth", "maxUploadBytes");
    assertThat(config.get("apiUrl")).isEqualTo("https://api.example.com");
    Map<String, Object> auth = map(config.get("auth"));
    assertThat(List.copyOf(auth.keySet()))
        .containsExactly(
            "clientId", "scopes", "authorizeUrl", "tokenUrl", "revokeUrl", "logoutUrl");
    assertThat(auth)
        .containsEntry("clientId", "client123")
        .containsEntry("scopes", List.of("openid", "email", "profile"))
        .containsEntry(
            "authorizeUrl", "https://p.auth.eu-west-1.amazoncognito.com/oauth2/authorize")
        .containsEntry("tokenUrl", "https://p.auth.eu-west-1.amazoncognito.com/oauth2/token")
        .containsEntry("revokeUrl", "https://p.auth.eu-west-1.amazoncognito.com/oauth2/revoke")
        .containsEntry("logoutUrl", "https://p.auth.eu-west-1.amazoncognito.com/logout");
    // In the stack, the values are filled in at deploy time from the client and the domain.
    String markers =
        render(
            properties(only(template, "Custom::CDKBucketDeployment").getValue())
                .get("SourceMarkers"));
    assertThat(markers)
        .contains("\"ApiHttpApi.ApiEndpoint\"")
        .contains(Policies.strip(only(template, "AWS::Cognito::UserPoolClient").getKey()))
        .contains(HOSTED_UI);
  }

  @Test
  void outputsNameThePoolTheClientAndTheHostedUi() {
    Map<String, Object> outputs = map(template.toJSON().get("Outputs"));
    assertThat(map(outputs.get("UserPoolId")).get("Value")).isEqualTo(Map.of("Ref", poolId()));
    assertThat(map(outputs.get("UserPoolClientId")).get("Value"))
        .isEqualTo(Map.of("Ref", only(template, "AWS::Cognito::UserPoolClient").getKey()));
    assertThat(render(map(outputs.get("AuthDomain")).get("Value"))).isEqualTo(HOSTED_UI);
  }

  private static String poolId() {
    return only(template, "AWS::Cognito::UserPool").getKey();
  }

  private static Map<String, Object> pool() {
    return properties(only(template, "AWS::Cognito::UserPool").getValue());
  }

  private static Map<String, Object> client() {
    return properties(only(template, "AWS::Cognito::UserPoolClient").getValue());
  }
}
