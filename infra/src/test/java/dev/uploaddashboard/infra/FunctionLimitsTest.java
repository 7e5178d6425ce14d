package dev.uploaddashboard.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.uploaddashboard.contract.Functions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * Reserved concurrency of the API and sync functions and the per-user upload quota come from the
 * environment's context (cdk.json), with a default per profile.
 */
class FunctionLimitsTest {
  private static final List<String> API_HANDLERS =
      List.of(
          Functions.DELETE_FILE.handlerClass(),
          Functions.LIST_FILES.handlerClass(),
          Functions.FILE_DETAIL.handlerClass(),
          Functions.CREATE_UPLOAD.handlerClass());

  @Test
  void eachProfileReservesConcurrencyForEveryApiFunctionAndTheSyncFunction() {
    assertThat(reserved(TestApps.template("prod"))).isEqualTo(expected(20, 10));
    assertThat(reserved(TestApps.template("dev"))).isEqualTo(expected(5, 5));
  }

  @Test
  void theContextSetsTheLimits() {
    App app =
        TestApps.app(
            Map.of(
                UploadDashboardApp.ONLY,
                "small",
                UploadDashboardApp.ENVIRONMENTS,
                Map.of(
                    "small",
                    Map.of(
                        "retainData",
                        false,
                        "apiReservedConcurrency",
                        3,
                        "syncReservedConcurrency",
                        2,
                        "uploadsPerUserPerHour",
                        50))));
    Template template = Template.fromStack(UploadDashboardApp.createStacks(app).get(0));

    assertThat(reserved(template)).isEqualTo(expected(3, 2));
    Map<String, Object> variables =
        Policies.map(
            Policies.map(
                    Resources.function(template, Functions.CREATE_UPLOAD.handlerClass())
                        .get("Environment"))
                .get("Variables"));
    assertThat(variables).containsEntry("UPLOADS_PER_USER_PER_HOUR", "50");
  }

  @Test
  void theLargestUploadIsFiveGibUnlessTheContextSaysOtherwise() {
    assertThat(uploadVariables(TestApps.template("dev")))
        .containsEntry("MAX_MULTIPART_UPLOAD_BYTES", "5368709120")
        .containsEntry("MAX_UPLOAD_BYTES", "104857600");
    assertThat(uploadVariables(TestApps.template("prod")))
        .containsEntry("MAX_MULTIPART_UPLOAD_BYTES", "5368709120");

    App app =
        TestApps.app(
            Map.of(
                UploadDashboardApp.ONLY,
                "small",
                UploadDashboardApp.ENVIRONMENTS,
                Map.of("small", Map.of("retainData", false, "maxUploadBytes", 50_000_000))));
    Map<String, Object> small =
        uploadVariables(Template.fromStack(UploadDashboardApp.createStacks(app).get(0)));

    // A maximum below the single-PUT limit lowers that too.
    assertThat(small)
        .containsEntry("MAX_MULTIPART_UPLOAD_BYTES", "50000000")
        .containsEntry("MAX_UPLOAD_BYTES", "50000000");
  }

  @Test
  void theLargestUploadMustBeAWholeNumberOfBytesS3CanTake() {
    for (Object bad : List.of(0, -1, 2.5, "big", 50_000L * 1024 * 1024 * 1024 * 1024)) {
      assertThatThrownBy(() -> EnvironmentConfig.fromContext("dev", Map.of("maxUploadBytes", bad)))
          .as("maxUploadBytes = %s", bad)
          .hasMessageContaining("maxUploadBytes");
    }
    assertThat(
            EnvironmentConfig.fromContext("dev", Map.of("maxUploadBytes", 53_687_091_200L))
                .limits()
                .maxUploadBytes())
        .isEqualTo(53_687_091_200L);
  }

  private static Map<String, Object> uploadVariables(Template template) {
    return Policies.map(
        Policies.map(
                Resources.function(template, Functions.CREATE_UPLOAD.handlerClass())
                    .get("Environment"))
            .get("Variables"));
  }

  @Test
  void theMfaGuardHasNoReservedConcurrency() {
    assertThat(
            Resources.function(TestApps.template("dev"), Functions.ADMIN_MFA_GUARD.handlerClass())
                .containsKey("ReservedConcurrentExecutions"))
        .isFalse();
  }

  @Test
  void limitsMustBePositiveIntegers() {
    for (Object bad : List.of(0, -1, 2.5, "many")) {
      for (String key :
          List.of("apiReservedConcurrency", "syncReservedConcurrency", "uploadsPerUserPerHour")) {
        assertThatThrownBy(() -> EnvironmentConfig.fromContext("dev", Map.of(key, bad)))
            .as("%s = %s", key, bad)
            .hasMessageContaining(key);
      }
    }
  }

  private static Map<String, Object> expected(int api, int sync) {
    Map<String, Object> expected = new TreeMap<>();
    API_HANDLERS.forEach(h -> expected.put(h, api));
    expected.put(Functions.METADATA_SYNC.handlerClass(), sync);
    // One reconciler run at a time, in every environment.
    expected.put(Functions.RECONCILE.handlerClass(), 1);
    return expected;
  }

  /** Handler class to ReservedConcurrentExecutions, for every function of ours. */
  private static Map<String, Object> reserved(Template template) {
    Map<String, Object> reserved = new TreeMap<>();
    template
        .findResources("AWS::Lambda::Function")
        .values()
        .forEach(
            f -> {
              Map<String, Object> props = Resources.properties(f);
              Object handler = props.get("Handler");
              // The MFA guard is left unreserved: throttling it would fail sign-ins.
              if (handler instanceof String h
                  && h.startsWith("dev.uploaddashboard.lambda.handler.")
                  && !h.equals(Functions.ADMIN_MFA_GUARD.handlerClass())) {
                reserved.put(h, props.get("ReservedConcurrentExecutions"));
              }
            });
    return reserved;
  }
}
