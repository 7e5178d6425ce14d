package dev.uploaddashboard.lambda.handler;

import com.amazonaws.services.lambda.runtime.Context;
import dev.uploaddashboard.lambda.http.Json;
import dev.uploaddashboard.lambda.log.JsonLog;
import dev.uploaddashboard.lambda.service.AdminMfaGuardService;
import dev.uploaddashboard.lambda.service.AdminMfaGuardService.Decision;
import dev.uploaddashboard.lambda.service.AdminMfaGuardService.TokenRequest;
import dev.uploaddashboard.lambda.store.AwsClientFactory;
import dev.uploaddashboard.lambda.store.UserMfaStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Cognito's pre token generation trigger (event version 1, available on every feature plan): in a
 * user pool where MFA is optional, tokens of an {@code admins} member who has no authenticator app
 * are issued without {@code admins}. The version 1 group override replaces {@code cognito:groups}
 * in the access token as well as the ID token (Cognito developer guide, "Pre token generation
 * Lambda trigger"), and the access token is what the API's authorizer reads.
 */
public final class AdminMfaGuardHandler extends PrimedHandler {
  /** A user pool id of the right shape that no pool has (priming names it, never calls it). */
  static final String PRIMING_POOL = "us-east-1_snapstartpriming";

  private final AdminMfaGuardService service;
  private final Supplier<SnapStartPriming.Report> priming;

  public AdminMfaGuardHandler() {
    this(System::getenv);
    SnapStartPriming.register(this);
  }

  public AdminMfaGuardHandler(Function<String, String> env) {
    this(new AwsClientFactory(env));
  }

  public AdminMfaGuardHandler(AdminMfaGuardService service) {
    this.service = Objects.requireNonNull(service, "service");
    this.priming = SnapStartPriming.Report::none;
  }

  private AdminMfaGuardHandler(AwsClientFactory clients) {
    UserMfaStore users = new UserMfaStore(clients.cognitoIdentityProvider());
    this.service = new AdminMfaGuardService(users);
    // A token request of the priming caller, in no group: decided without a Cognito call.
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "1");
    event.put("triggerSource", "TokenGeneration_HostedAuth");
    event.put("userPoolId", PRIMING_POOL);
    event.put("userName", SnapStartPriming.CALLER);
    event.put(
        "request",
        Map.of(
            "userAttributes",
            Map.of("sub", SnapStartPriming.CALLER),
            "groupConfiguration",
            Map.of("groupsToOverride", List.of(), "iamRolesToOverride", List.of())));
    event.put("response", Map.of());
    this.priming =
        () -> {
          SnapStartPriming.invoke(this, event);
          return new SnapStartPriming.Report(
              0, clients.priming().run(() -> users.hasTotp(PRIMING_POOL, SnapStartPriming.CALLER)));
        };
  }

  @Override
  SnapStartPriming.Report prime() {
    return priming.get();
  }

  @Override
  @SuppressWarnings("unchecked")
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    JsonLog log = JsonLog.forInvocation(context);
    Map<String, Object> event = new LinkedHashMap<>(map(Json.read(input)));
    Map<String, Object> request = map(event.get("request"));
    Map<String, Object> groupConfiguration = map(request.get("groupConfiguration"));
    List<String> groups = strings(groupConfiguration.get("groupsToOverride"));
    String userPoolId = String.valueOf(event.get("userPoolId"));
    String userName = String.valueOf(event.get("userName"));

    Decision decision = service.decide(new TokenRequest(userPoolId, userName, groups));

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("trigger_source", event.get("triggerSource"));
    fields.put("decision", decision.reason().name());
    if (decision.failure().isPresent()) {
      log.error("MFA status unreadable: admins removed", fields, decision.failure().get());
    } else {
      log.info("token groups decided", fields);
    }
    decision
        .groups()
        .ifPresent(
            kept -> {
              // The override replaces the whole group configuration: keep the roles as they were.
              Map<String, Object> groupOverride = new LinkedHashMap<>();
              groupOverride.put("groupsToOverride", kept);
              groupOverride.put(
                  "iamRolesToOverride", strings(groupConfiguration.get("iamRolesToOverride")));
              groupOverride.put("preferredRole", groupConfiguration.get("preferredRole"));
              Map<String, Object> claims = new LinkedHashMap<>();
              claims.put("groupOverrideDetails", groupOverride);
              Map<String, Object> response = new LinkedHashMap<>(map(event.get("response")));
              response.put("claimsOverrideDetails", claims);
              event.put("response", response);
            });
    output.write(Json.writeBytes(event));
    output.flush();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<String> strings(Object value) {
    List<String> strings = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof String s) {
          strings.add(s);
        }
      }
    }
    return strings;
  }
}
