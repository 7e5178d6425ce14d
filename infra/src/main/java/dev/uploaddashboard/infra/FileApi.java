package dev.uploaddashboard.infra;

import dev.uploaddashboard.contract.FunctionSpec;
import dev.uploaddashboard.contract.Functions;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpUserPoolAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegrationProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.CorsHttpMethod;
import software.amazon.awscdk.services.apigatewayv2.CorsPreflightOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.PayloadFormatVersion;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.cognito.IUserPool;
import software.amazon.awscdk.services.cognito.IUserPoolClient;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The dashboard's HTTP API: the four routes of the contract, each a Lambda proxy integration with
 * payload format 2.0 behind a JWT authorizer (a Cognito access token of the dashboard's app
 * client); CORS for the dashboard origin (API Gateway answers the preflight OPTIONS itself, before
 * and without any authorizer, because no route matches OPTIONS); one {@code $default} stage with
 * throttling and JSON access logs.
 */
public final class FileApi extends Construct {

  /**
   * One line of JSON per request. Only HTTP API context variables; no request bodies, headers or
   * query strings (they may carry file names).
   */
  public static final String ACCESS_LOG_FORMAT =
      "{\"requestId\":\"$context.requestId\","
          + "\"requestTime\":\"$context.requestTime\","
          + "\"sourceIp\":\"$context.identity.sourceIp\","
          + "\"routeKey\":\"$context.routeKey\","
          // Who called: the verified token's subject (the user id; "-" when no token was accepted).
          + "\"sub\":\"$context.authorizer.claims.sub\","
          + "\"status\":\"$context.status\","
          + "\"protocol\":\"$context.protocol\","
          + "\"responseLength\":\"$context.responseLength\","
          + "\"responseLatency\":\"$context.responseLatency\","
          + "\"integrationStatus\":\"$context.integrationStatus\","
          + "\"integrationLatency\":\"$context.integrationLatency\","
          + "\"integrationError\":\"$context.integrationErrorMessage\","
          + "\"error\":\"$context.error.message\"}";

  /**
   * @param functions the route handlers
   * @param userPool issuer of the tokens every route requires
   * @param client the audience: tokens issued to this app client only
   * @param allowedOrigins browser origins for CORS: the dashboard's and extras; never {@code *}
   * @param throttle default-stage throttling
   * @param logs retention and removal of the log groups
   */
  public record Props(
      FileFunctions functions,
      IUserPool userPool,
      IUserPoolClient client,
      List<String> allowedOrigins,
      EnvironmentConfig.ApiThrottle throttle,
      LogPolicy logs) {
    public Props {
      Objects.requireNonNull(functions, "functions");
      Objects.requireNonNull(userPool, "userPool");
      Objects.requireNonNull(client, "client");
      allowedOrigins = List.copyOf(allowedOrigins);
      if (allowedOrigins.isEmpty() || allowedOrigins.contains("*")) {
        throw new IllegalArgumentException("API CORS needs explicit origins, never '*'");
      }
      Objects.requireNonNull(throttle, "throttle");
      Objects.requireNonNull(logs, "logs");
    }
  }

  private final HttpApi api;
  private final HttpStage stage;

  public FileApi(Construct scope, String id, Props props) {
    super(scope, id);
    api =
        HttpApi.Builder.create(this, "HttpApi")
            .apiName(Stack.of(this).getStackName() + "-files")
            .description("Upload dashboard file API")
            .createDefaultStage(false)
            // Every route added to this API requires a valid access token unless it names
            // another authorizer; none does. Missing, invalid or expired token: 401 from API
            // Gateway, no Lambda invocation.
            .defaultAuthorizer(
                new HttpUserPoolAuthorizer(
                    "DashboardUsers",
                    props.userPool(),
                    HttpUserPoolAuthorizerProps.builder()
                        .authorizerName("dashboard-users")
                        .userPoolClients(List.of(props.client()))
                        .build()))
            .corsPreflight(
                CorsPreflightOptions.builder()
                    .allowOrigins(props.allowedOrigins())
                    .allowMethods(
                        Functions.CORS_METHODS.stream().map(CorsHttpMethod::valueOf).toList())
                    .allowHeaders(Functions.CORS_HEADERS)
                    .maxAge(Duration.seconds(Functions.CORS_MAX_AGE_SECONDS))
                    .build())
            .build();

    LogGroup accessLogs = props.logs().logGroup(this, "AccessLogs");
    stage =
        HttpStage.Builder.create(this, "DefaultStage")
            .httpApi(api)
            .stageName("$default")
            .autoDeploy(true)
            .throttle(
                ThrottleSettings.builder()
                    .rateLimit(props.throttle().rateLimit())
                    .burstLimit(props.throttle().burstLimit())
                    .build())
            .accessLogSettings(new AccessLogs(new LogGroupLogDestination(accessLogs)))
            .build();

    // The contract's routes, each function's on one integration; integrations invoke the
    // function's alias: its published version, with SnapStart.
    for (JavaFunction function : props.functions().api()) {
      FunctionSpec spec = function.spec();
      HttpLambdaIntegration integration =
          new HttpLambdaIntegration(
              spec.id(),
              function.alias(),
              HttpLambdaIntegrationProps.builder()
                  .payloadFormatVersion(PayloadFormatVersion.VERSION_2_0)
                  .build());
      for (String route : spec.routes()) {
        api.addRoutes(
            AddRoutesOptions.builder()
                .path(FunctionSpec.path(route))
                .methods(List.of(HttpMethod.valueOf(FunctionSpec.method(route))))
                .integration(integration)
                .build());
      }
    }
  }

  public HttpApi api() {
    return api;
  }

  /**
   * Base URL of the API, with a trailing slash: {@code
   * https://<id>.execute-api.<region>.<suffix>/}.
   */
  public String url() {
    return stage.getUrl();
  }

  private static final class AccessLogs implements IAccessLogSettings {
    private final IAccessLogDestination destination;

    AccessLogs(IAccessLogDestination destination) {
      this.destination = destination;
    }

    @Override
    public IAccessLogDestination getDestination() {
      return destination;
    }

    @Override
    public AccessLogFormat getFormat() {
      return AccessLogFormat.custom(ACCESS_LOG_FORMAT);
    }
  }
}
