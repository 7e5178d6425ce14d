package dev.uploaddashboard.lambda.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.uploaddashboard.lambda.testing.Emulators;
import dev.uploaddashboard.lambda.testing.Events;
import dev.uploaddashboard.lambda.testing.HttpResult;
import dev.uploaddashboard.lambda.testing.MotoCognito;
import dev.uploaddashboard.lambda.testing.TestBucket;
import dev.uploaddashboard.lambda.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupType;

/**
 * The pre token generation trigger against a Cognito user pool API (moto): an {@code admins} member
 * gets {@code admins} in their tokens only with an authenticator app activated.
 */
class AdminMfaGuardHandlerTest {
  private static final String PASSWORD = "Correct-Horse-42!";

  private static CognitoIdentityProviderClient cognito;
  private static String poolId;
  private static String clientId;
  private static AdminMfaGuardHandler handler;

  @BeforeAll
  static void userPool() {
    MotoCognito moto = MotoCognito.get();
    cognito = moto.client();
    poolId =
        cognito
            .createUserPool(r -> r.poolName("guard-" + ProcessHandle.current().pid()))
            .userPool()
            .id();
    clientId =
        cognito
            .createUserPoolClient(
                r ->
                    r.userPoolId(poolId)
                        .clientName("tests")
                        .explicitAuthFlows(ExplicitAuthFlowsType.ALLOW_ADMIN_USER_PASSWORD_AUTH))
            .userPoolClient()
            .clientId();
    cognito.createGroup(r -> r.userPoolId(poolId).groupName("admins"));
    cognito.createGroup(r -> r.userPoolId(poolId).groupName("uploaders"));
    handler =
        new AdminMfaGuardHandler(
            Map.of(
                    "AWS_REGION", Emulators.REGION,
                    "AWS_ACCESS_KEY_ID", Emulators.ACCESS_KEY,
                    "AWS_SECRET_ACCESS_KEY", Emulators.SECRET_KEY,
                    "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", moto.endpoint().toString())
                ::get);
  }

  @Test
  void anAdminWithAnAuthenticatorAppKeepsAdmins() throws Exception {
    String ada = user("ada", "uploaders", "admins");
    enrolTotp(ada);

    JsonNode result = invoke(tokenEvent(ada));

    assertThat(result.path("response").path("claimsOverrideDetails").isNull()).isTrue();
    assertThat(result.path("request")).isEqualTo(tokenEvent(ada).path("request"));
  }

  @Test
  void anAdminWithoutMfaGetsTokensWithoutAdmins() throws Exception {
    String eve = user("eve", "uploaders", "admins");

    JsonNode result = invoke(tokenEvent(eve));

    JsonNode override = result.path("response").path("claimsOverrideDetails");
    assertThat(override.path("groupOverrideDetails").path("groupsToOverride").toString())
        .isEqualTo("[\"uploaders\"]");
    assertThat(override.path("groupOverrideDetails").path("iamRolesToOverride").toString())
        .isEqualTo("[]");
    assertThat(override.path("groupOverrideDetails").has("preferredRole")).isTrue();
    assertThat(override.has("claimsToAddOrOverride")).isFalse();

    // The API then sees what API Gateway renders from that access token: not an admin.
    assertThat(seesEveryFile(groupsClaim(override))).isFalse();
    assertThat(seesEveryFile("[uploaders admins]")).isTrue();
  }

  @Test
  void anAdminWithOnlyAnUnverifiedAuthenticatorStillLosesAdmins() throws Exception {
    String mallory = user("mallory", "admins");
    String token = accessToken(mallory);
    cognito.associateSoftwareToken(r -> r.accessToken(token));

    JsonNode result = invoke(tokenEvent(mallory));

    assertThat(
            result
                .path("response")
                .path("claimsOverrideDetails")
                .path("groupOverrideDetails")
                .path("groupsToOverride")
                .toString())
        .isEqualTo("[]");
  }

  @Test
  void aUserOutsideAdminsIsLeftAloneWithoutALookup() throws Exception {
    ObjectNode event = tokenEvent(user("joe", "uploaders"));
    // A user name the pool does not know: any lookup would fail, so none was made.
    event.put("userName", "nobody-" + ProcessHandle.current().pid());

    JsonNode result = invoke(event);

    assertThat(result.path("response").path("claimsOverrideDetails").isNull()).isTrue();
  }

  @Test
  void whenTheMfaStatusCannotBeReadAdminsIsRemovedAndLogged() throws Exception {
    ObjectNode event = tokenEvent(user("zoe", "admins", "uploaders"));
    event.put("userName", "vanished-" + ProcessHandle.current().pid());
    TestContext context = new TestContext();

    JsonNode result = invoke(event, context);

    assertThat(
            result
                .path("response")
                .path("claimsOverrideDetails")
                .path("groupOverrideDetails")
                .path("groupsToOverride")
                .toString())
        .isEqualTo("[\"uploaders\"]");
    assertThat(context.logLines())
        .anySatisfy(
            line -> {
              JsonNode entry = Events.parse(line);
              assertThat(entry.path("level").asText()).isEqualTo("ERROR");
              assertThat(entry.path("decision").asText()).isEqualTo("MFA_UNKNOWN");
            });
  }

  /** A confirmed user in these groups; returns the user name. */
  private static String user(String label, String... groups) {
    String name = TestBucket.newUserId(label);
    cognito.adminCreateUser(r -> r.userPoolId(poolId).username(name).messageAction("SUPPRESS"));
    cognito.adminSetUserPassword(
        r -> r.userPoolId(poolId).username(name).password(PASSWORD).permanent(true));
    for (String group : groups) {
      cognito.adminAddUserToGroup(r -> r.userPoolId(poolId).username(name).groupName(group));
    }
    return name;
  }

  private static String accessToken(String name) {
    return cognito
        .adminInitiateAuth(
            r ->
                r.userPoolId(poolId)
                    .clientId(clientId)
                    .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                    .authParameters(Map.of("USERNAME", name, "PASSWORD", PASSWORD)))
        .authenticationResult()
        .accessToken();
  }

  /** What a user does in an authenticator-app enrolment: associate, verify, turn it on. */
  private static void enrolTotp(String name) {
    String token = accessToken(name);
    cognito.associateSoftwareToken(r -> r.accessToken(token));
    cognito.verifySoftwareToken(r -> r.accessToken(token).userCode("123456"));
    cognito.adminSetUserMFAPreference(
        r ->
            r.userPoolId(poolId)
                .username(name)
                .softwareTokenMfaSettings(s -> s.enabled(true).preferredMfa(true)));
  }

  /** The V1 event Cognito sends for this user, with the groups Cognito would put in the token. */
  private static ObjectNode tokenEvent(String name) {
    ObjectNode event = Events.load("cognito-pre-token-generation");
    event.put("userPoolId", poolId);
    event.put("userName", name);
    ArrayNode groups =
        ((ObjectNode) event.path("request").path("groupConfiguration"))
            .putArray("groupsToOverride");
    for (GroupType group :
        cognito.adminListGroupsForUser(r -> r.userPoolId(poolId).username(name)).groups()) {
      groups.add(group.groupName());
    }
    return event;
  }

  private static JsonNode invoke(ObjectNode event) throws Exception {
    return invoke(event, new TestContext());
  }

  private static JsonNode invoke(ObjectNode event, TestContext context) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(
        new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), out, context);
    return Events.parse(out.toString(StandardCharsets.UTF_8));
  }

  /** How API Gateway's JWT authorizer renders the access token's group array. */
  private static String groupsClaim(JsonNode override) {
    List<String> groups = new ArrayList<>();
    override
        .path("groupOverrideDetails")
        .path("groupsToOverride")
        .forEach(g -> groups.add(g.asText()));
    return "[" + String.join(" ", groups) + "]";
  }

  private static boolean seesEveryFile(String groupsClaim) {
    TestBucket bucket = new TestBucket();
    String someoneElse = TestBucket.newUserId("owner");
    String key = "incoming/" + someoneElse + "/f/report.txt";
    bucket.putFile(key, "report.txt", "2026-11-21T07:48:10.123Z");
    ObjectNode event =
        Events.asUser(Events.load("http-api-list-metadata"), TestBucket.newUserId("caller"));
    Events.claims(event).put("cognito:groups", groupsClaim);
    HttpResult listed =
        HttpResult.invoke(
            new ListFilesHandler(bucket.envLookup()), Events.withQuery(event, Map.of()));
    assertThat(listed.status()).isEqualTo(200);
    return listed.body().path("items").size() == 1;
  }
}
