package dev.uploaddashboard.infra;

import static dev.uploaddashboard.infra.Policies.list;
import static dev.uploaddashboard.infra.Policies.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.uploaddashboard.contract.Functions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/**
 * Every Java function has SnapStart on its published versions and an alias on the current version,
 * and everything that invokes a function (the HTTP API integrations, their invoke permissions, the
 * S3 notifications and the asynchronous-invoke settings) names that alias, never $LATEST: only
 * published versions have snapshots.
 */
class SnapStartTest {

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyJavaFunctionHasSnapStartOnPublishedVersions(String env) {
    Template template = TestApps.template(env);
    for (String handler : TestApps.deployedHandlers(env, HandlerClassesTest.HANDLERS)) {
      assertThat(Resources.function(template, handler).get("SnapStart"))
          .as(handler)
          .isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyJavaFunctionHasOneLiveAliasOnItsPublishedVersion(String env) {
    Template template = TestApps.template(env);
    for (String handler : TestApps.deployedHandlers(env, HandlerClassesTest.HANDLERS)) {
      String function = Resources.functionId(template, handler);
      List<Map<String, Object>> aliases = aliasesOf(template, function);
      assertThat(aliases).as(handler).hasSize(1);
      Map<String, Object> alias = aliases.get(0);
      assertThat(alias.get("Name")).isEqualTo(JavaFunction.ALIAS);
      String version = Resources.target(alias.get("FunctionVersion"));
      Map<String, Object> versionResource = Resources.byLogicalId(template, version);
      assertThat(versionResource.get("Type")).isEqualTo("AWS::Lambda::Version");
      assertThat(Resources.target(Resources.properties(versionResource).get("FunctionName")))
          .isEqualTo(function);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void apiIntegrationsInvokeTheAliases(String env) {
    Template template = TestApps.template(env);
    Set<String> targets =
        template.findResources("AWS::ApiGatewayV2::Integration").values().stream()
            .map(r -> Resources.target(Resources.properties(r).get("IntegrationUri")))
            .collect(Collectors.toSet());
    assertThat(targets)
        .containsExactlyInAnyOrder(
            aliasOf(template, Functions.DELETE_FILE.handlerClass()),
            aliasOf(template, Functions.LIST_FILES.handlerClass()),
            aliasOf(template, Functions.FILE_DETAIL.handlerClass()),
            aliasOf(template, Functions.CREATE_UPLOAD.handlerClass()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyInvokePermissionNamesAnAlias(String env) {
    Template template = TestApps.template(env);
    Set<String> aliases = template.findResources("AWS::Lambda::Alias").keySet();
    Map<String, Map<String, Object>> permissions =
        template.findResources("AWS::Lambda::Permission");
    assertThat(permissions).isNotEmpty();
    permissions.forEach(
        (id, permission) ->
            assertThat(Resources.target(Resources.properties(permission).get("FunctionName")))
                .as(id)
                .isIn(aliases));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void s3NotificationsAndTheirRetriesTargetTheSyncAlias(String env) {
    Template template = TestApps.template(env);
    String syncAlias = aliasOf(template, Functions.METADATA_SYNC.handlerClass());
    Map<String, Object> notifications =
        Resources.properties(Resources.only(template, "Custom::S3BucketNotifications").getValue());
    List<Object> lambdaTargets =
        list(
            map(notifications.get("NotificationConfiguration"))
                .get("LambdaFunctionConfigurations"));
    assertThat(lambdaTargets).hasSize(2);
    for (Object target : lambdaTargets) {
      assertThat(Resources.target(map(target).get("LambdaFunctionArn"))).isEqualTo(syncAlias);
    }
    Map<String, Object> invokeConfig =
        Resources.properties(Resources.only(template, "AWS::Lambda::EventInvokeConfig").getValue());
    // CDK names the qualifier as the last part of the alias ARN (arn:...:function:<fn>:<alias>).
    assertThat(invokeConfig.get("Qualifier"))
        .isEqualTo(
            Map.of(
                "Fn::Select",
                List.of(7, Map.of("Fn::Split", List.of(":", Map.of("Ref", syncAlias))))));
    assertThat(Resources.target(invokeConfig.get("FunctionName")))
        .isEqualTo(Resources.functionId(template, Functions.METADATA_SYNC.handlerClass()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev"})
  void eachFunctionDeploysItsOwnPackage(String env) {
    Template template = TestApps.template(env);
    Set<Object> packages =
        HandlerClassesTest.HANDLERS.stream()
            .map(handler -> map(Resources.function(template, handler).get("Code")).get("S3Key"))
            .collect(Collectors.toSet());
    assertThat(packages).hasSize(HandlerClassesTest.HANDLERS.size());
  }

  private static List<Map<String, Object>> aliasesOf(Template template, String function) {
    return template.findResources("AWS::Lambda::Alias").values().stream()
        .map(Resources::properties)
        .filter(p -> function.equals(Resources.target(p.get("FunctionName"))))
        .toList();
  }

  private static String aliasOf(Template template, String handler) {
    return Resources.aliasId(template, handler);
  }
}
