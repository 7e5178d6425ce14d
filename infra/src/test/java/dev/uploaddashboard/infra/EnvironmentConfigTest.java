package dev.uploaddashboard.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;

class EnvironmentConfigTest {

  @Test
  void developmentProfileIsDisposableWithShortLogsAndTightThrottling() {
    EnvironmentConfig dev = EnvironmentConfig.fromContext("dev", Map.of("retainData", false));
    assertThat(dev.retainData()).isFalse();
    assertThat(dev.dataRemovalPolicy()).isEqualTo(RemovalPolicy.DESTROY);
    assertThat(dev.logRemovalPolicy()).isEqualTo(RemovalPolicy.DESTROY);
    assertThat(dev.logRetention()).isEqualTo(RetentionDays.ONE_WEEK);
    assertThat(dev.apiThrottle()).isEqualTo(new EnvironmentConfig.ApiThrottle(10, 20));
    assertThat(dev.stackName()).isEqualTo("UploadDashboard-dev");
  }

  @Test
  void productionProfileRetainsDataAndIsTheDefault() {
    EnvironmentConfig prod = EnvironmentConfig.fromContext("prod", Map.of());
    assertThat(prod.retainData()).isTrue();
    assertThat(prod.dataRemovalPolicy()).isEqualTo(RemovalPolicy.RETAIN);
    assertThat(prod.logRetention()).isEqualTo(RetentionDays.THREE_MONTHS);
    assertThat(prod.apiThrottle()).isEqualTo(new EnvironmentConfig.ApiThrottle(50, 100));
    assertThat(prod.account()).isEmpty();
    assertThat(prod.region()).isEmpty();
  }

  @Test
  void settingsOverrideTheProfileDefaults() {
    EnvironmentConfig qa =
        EnvironmentConfig.fromContext(
            "qa",
            Map.of(
                "retainData", "false",
                "extraCorsOrigins", List.of("https://qa.example.com", "https://qa.example.com"),
                "logRetentionDays", 30,
                "throttleRateLimit", 5,
                "throttleBurstLimit", "8",
                "account", "123456789012",
                "region", "eu-central-1"));
    assertThat(qa.extraCorsOrigins()).containsExactly("https://qa.example.com");
    assertThat(qa.logRetention()).isEqualTo(RetentionDays.ONE_MONTH);
    assertThat(qa.apiThrottle()).isEqualTo(new EnvironmentConfig.ApiThrottle(5, 8));
    assertThat(qa.account()).isEqualTo(Optional.of("123456789012"));
    assertThat(qa.region()).isEqualTo(Optional.of("eu-central-1"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "*",
        "https://*.example.com",
        "https://example.com/",
        "https://example.com/app",
        "http://example.com",
        "example.com",
        "null"
      })
  void corsOriginsMustBeExplicit(String origin) {
    assertThatThrownBy(
            () -> EnvironmentConfig.fromContext("dev", Map.of("extraCorsOrigins", List.of(origin))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CORS origin");
  }

  @Test
  void plainHttpLocalhostIsAllowedForLocalDevelopmentButNotALoopbackAddress() {
    EnvironmentConfig dev =
        EnvironmentConfig.fromContext(
            "dev",
            Map.of("extraCorsOrigins", List.of("http://localhost:8080", "http://localhost")));
    assertThat(dev.extraCorsOrigins()).hasSize(2);
    // The origins are also sign-in callback URLs; Cognito takes plain http only for localhost.
    assertThatThrownBy(
            () ->
                EnvironmentConfig.fromContext(
                    "dev", Map.of("extraCorsOrigins", List.of("http://127.0.0.1:8080"))))
        .hasMessageContaining("plain http only for localhost");
  }

  @Test
  void signInDomainPrefixDefaultsToEnvironmentAndAccountOrIsSetExplicitly() {
    assertThat(EnvironmentConfig.fromContext("dev", Map.of()).signInDomainPrefix("123456789012"))
        .isEqualTo("upload-dashboard-dev-123456789012");
    assertThat(
            EnvironmentConfig.fromContext("dev", Map.of("authDomainPrefix", "acme-files-dev"))
                .signInDomainPrefix("123456789012"))
        .isEqualTo("acme-files-dev");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"Acme", "-acme", "acme-", "acme_files", "my-aws-files", "amazon1", "cognito"})
  void invalidOrReservedDomainPrefixesAreRejected(String prefix) {
    assertThatThrownBy(
            () -> EnvironmentConfig.fromContext("dev", Map.of("authDomainPrefix", prefix)))
        .hasMessageContaining("authDomainPrefix");
  }

  @Test
  void anEnvironmentNameWithAReservedWordNeedsAnExplicitPrefix() {
    assertThatThrownBy(
            () -> EnvironmentConfig.fromContext("aws-test", Map.of()).signInDomainPrefix("1"))
        .hasMessageContaining("set authDomainPrefix");
    assertThat(
            EnvironmentConfig.fromContext("aws-test", Map.of("authDomainPrefix", "files-test"))
                .signInDomainPrefix("1"))
        .isEqualTo("files-test");
  }

  @Test
  void mfaIsOptionalUnlessRequired() {
    assertThat(EnvironmentConfig.fromContext("prod", Map.of()).requireMfa()).isFalse();
    assertThat(EnvironmentConfig.fromContext("prod", Map.of("requireMfa", true)).requireMfa())
        .isTrue();
  }

  @Test
  void logRetentionIsAlsoAvailableInDays() {
    assertThat(EnvironmentConfig.fromContext("dev", Map.of("retainData", false)).logRetentionDays())
        .isEqualTo(7);
    assertThat(EnvironmentConfig.fromContext("prod", Map.of()).logRetentionDays()).isEqualTo(90);
  }

  @Test
  void typosAndBadValuesAreRejected() {
    assertThatThrownBy(() -> EnvironmentConfig.fromContext("dev", Map.of("retaindata", false)))
        .hasMessageContaining("unknown setting 'retaindata'");
    assertThatThrownBy(() -> EnvironmentConfig.fromContext("dev", Map.of("logRetentionDays", 8)))
        .hasMessageContaining("logRetentionDays");
    assertThatThrownBy(() -> EnvironmentConfig.fromContext("dev", Map.of("account", "12")))
        .hasMessageContaining("account");
    assertThatThrownBy(() -> EnvironmentConfig.fromContext("dev", Map.of("retainData", "yes")))
        .hasMessageContaining("retainData");
    assertThatThrownBy(() -> EnvironmentConfig.fromContext("Dev_1", Map.of()))
        .hasMessageContaining("Environment name");
    assertThatThrownBy(() -> EnvironmentConfig.fromContext("dev", Map.of("throttleRateLimit", 0)))
        .hasMessageContaining("positive");
  }
}
