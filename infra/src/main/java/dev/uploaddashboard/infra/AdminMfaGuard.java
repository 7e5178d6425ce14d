package dev.uploaddashboard.infra;

import dev.uploaddashboard.contract.Functions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolOperation;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * Where MFA is optional, no token carries {@code admins} for a user without MFA: Cognito's pre
 * token generation trigger (event version 1, which every feature plan has and whose group override
 * also replaces {@code cognito:groups} in the access token) looks up an {@code admins} member's
 * activated MFA factors and, without an authenticator app, issues the tokens without {@code
 * admins}. Environments that require MFA do not need it.
 */
public final class AdminMfaGuard extends Construct {

  /**
   * @param packages the functions' deployment packages
   * @param userPool the pool whose tokens are guarded
   * @param logs retention and removal of the log groups
   */
  public record Props(FunctionPackages packages, UserPool userPool, LogPolicy logs) {
    public Props {
      Objects.requireNonNull(packages, "packages");
      Objects.requireNonNull(userPool, "userPool");
      Objects.requireNonNull(logs, "logs");
    }
  }

  private final Function function;

  public AdminMfaGuard(Construct scope, String id, Props props) {
    super(scope, id);
    JavaFunction guard =
        new JavaFunction(
            this,
            Functions.ADMIN_MFA_GUARD.id(),
            new JavaFunction.Props(
                Functions.ADMIN_MFA_GUARD,
                props.packages().code(Functions.ADMIN_MFA_GUARD),
                Map.of(),
                props.logs()));
    function = guard.function();
    // Cognito invokes the alias (the published version, with SnapStart), like every other invoker.
    props.userPool().addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION, guard.alias());
    // A separate policy, not the role's default one: the function must exist before the pool
    // (the pool names it as a trigger), and this statement names the pool, so a statement in the
    // default policy (which the function waits for) would be a dependency cycle.
    Policy lookup =
        Policy.Builder.create(this, "LookupPolicy")
            .statements(
                List.of(
                    PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .actions(List.of("cognito-idp:AdminGetUser"))
                        .resources(List.of(props.userPool().getUserPoolArn()))
                        .build()))
            .build();
    lookup.attachToRole(guard.role());
  }

  public Function function() {
    return function;
  }
}
