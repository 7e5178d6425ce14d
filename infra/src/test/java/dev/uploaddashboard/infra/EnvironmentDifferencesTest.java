package dev.uploaddashboard.infra;

import static dev.uploaddashboard.infra.Resources.byLogicalId;
import static dev.uploaddashboard.infra.Resources.only;
import static dev.uploaddashboard.infra.Resources.properties;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The deliberate differences between the development and the production profile. */
class EnvironmentDifferencesTest {

  private static Template dev;
  private static Template prod;

  @BeforeAll
  static void synth() {
    dev = TestApps.template("dev");
    prod = TestApps.template("prod");
  }

  @Test
  void prodTableIsRetainedProtectedAndRecoverable() {
    Map<String, Object> table = byLogicalId(prod, MetadataTable.LOGICAL_ID);
    assertThat(table)
        .containsEntry("DeletionPolicy", "Retain")
        .containsEntry("UpdateReplacePolicy", "Retain");
    assertThat(properties(table))
        .containsEntry("DeletionProtectionEnabled", true)
        .containsEntry(
            "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true));
  }

  @Test
  void devTableIsDisposableButStillRecoverable() {
    Map<String, Object> table = byLogicalId(dev, MetadataTable.LOGICAL_ID);
    assertThat(table)
        .containsEntry("DeletionPolicy", "Delete")
        .containsEntry("UpdateReplacePolicy", "Delete");
    assertThat(properties(table))
        .containsEntry("DeletionProtectionEnabled", false)
        .containsEntry(
            "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true));
  }

  @Test
  void prodUserPoolIsRetainedAndProtectedDevUserPoolIsDisposable() {
    Map.Entry<String, Map<String, Object>> prodPool = only(prod, "AWS::Cognito::UserPool");
    assertThat(prodPool.getValue())
        .containsEntry("DeletionPolicy", "Retain")
        .containsEntry("UpdateReplacePolicy", "Retain");
    assertThat(properties(prodPool.getValue())).containsEntry("DeletionProtection", "ACTIVE");
    Map.Entry<String, Map<String, Object>> devPool = only(dev, "AWS::Cognito::UserPool");
    assertThat(devPool.getValue()).containsEntry("DeletionPolicy", "Delete");
    assertThat(properties(devPool.getValue())).containsEntry("DeletionProtection", "INACTIVE");
  }

  @Test
  void uploadAccessLogsExpireWithTheLogRetentionAndFollowTheLogRemovalPolicy() {
    assertAccessLogBucket(dev, 7, "Delete");
    assertThat(autoDeletedBuckets(dev)).anyMatch(id -> id.startsWith("UploadsAccessLogs"));
    assertAccessLogBucket(prod, 90, "Retain");
    assertThat(autoDeletedBuckets(prod)).noneMatch(id -> id.startsWith("UploadsAccessLogs"));
  }

  private static void assertAccessLogBucket(Template template, int days, String deletionPolicy) {
    Map<String, Object> upload = properties(byLogicalId(template, UploadBucket.LOGICAL_ID));
    Map<String, Object> logging = Policies.map(upload.get("LoggingConfiguration"));
    assertThat(logging.get("LogFilePrefix")).isEqualTo(UploadBucket.ACCESS_LOG_PREFIX);
    Map<String, Object> logBucket =
        byLogicalId(template, Resources.target(logging.get("DestinationBucketName")));
    assertThat(logBucket.get("DeletionPolicy")).isEqualTo(deletionPolicy);
    assertThat(Policies.render(properties(logBucket).get("LifecycleConfiguration")))
        .contains("ExpirationInDays=" + days);
  }

  @Test
  void prodUploadBucketIsRetainedAndNeverEmptiedByCdk() {
    assertThat(byLogicalId(prod, UploadBucket.LOGICAL_ID))
        .containsEntry("DeletionPolicy", "Retain")
        .containsEntry("UpdateReplacePolicy", "Retain");
    assertThat(autoDeletedBuckets(prod)).doesNotContain(UploadBucket.LOGICAL_ID);
  }

  @Test
  void devUploadBucketIsDestroyedWithItsObjects() {
    assertThat(byLogicalId(dev, UploadBucket.LOGICAL_ID)).containsEntry("DeletionPolicy", "Delete");
    assertThat(autoDeletedBuckets(dev)).contains(UploadBucket.LOGICAL_ID);
  }

  @Test
  void logRetentionAndLogRemovalFollowTheProfile() {
    assertLogGroups(dev, 7, "Delete", TestApps.hasMfaGuard("dev"));
    assertLogGroups(prod, 90, "Retain", TestApps.hasMfaGuard("prod"));
  }

  @Test
  void apiThrottlingFollowsTheProfile() {
    assertThat(
            properties(only(dev, "AWS::ApiGatewayV2::Stage").getValue())
                .get("DefaultRouteSettings"))
        .isEqualTo(Map.of("ThrottlingRateLimit", 10, "ThrottlingBurstLimit", 20));
    assertThat(
            properties(only(prod, "AWS::ApiGatewayV2::Stage").getValue())
                .get("DefaultRouteSettings"))
        .isEqualTo(Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100));
  }

  @Test
  void extraCorsOriginsArePerEnvironment() {
    String devCors =
        Policies.render(
            properties(only(dev, "AWS::ApiGatewayV2::Api").getValue()).get("CorsConfiguration"));
    String prodCors =
        Policies.render(
            properties(only(prod, "AWS::ApiGatewayV2::Api").getValue()).get("CorsConfiguration"));
    assertThat(devCors).contains(TestApps.DEV_EXTRA_ORIGIN);
    assertThat(prodCors).doesNotContain(TestApps.DEV_EXTRA_ORIGIN);
    TestApps.extraCorsOrigins("prod").forEach(origin -> assertThat(prodCors).contains(origin));
  }

  private static void assertLogGroups(
      Template template, int days, String deletionPolicy, boolean mfaGuard) {
    Map<String, Map<String, Object>> groups = template.findResources("AWS::Logs::LogGroup");
    // five functions and the reconciler, the admin MFA guard where MFA is optional, the API
    // access log, the site deployment function
    assertThat(groups).hasSize(mfaGuard ? 9 : 8);
    groups.forEach(
        (id, group) -> {
          assertThat(properties(group).get("RetentionInDays")).as(id).isEqualTo(days);
          assertThat(group.get("DeletionPolicy")).as(id).isEqualTo(deletionPolicy);
        });
  }

  private static java.util.List<String> autoDeletedBuckets(Template template) {
    return template.findResources("Custom::S3AutoDeleteObjects").values().stream()
        .map(r -> Resources.target(properties(r).get("BucketName")))
        .toList();
  }
}
