package dev.uploaddashboard.lambda.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The function packages run jackson-jr on the AWS SDK's own copy of jackson-core (lambda/pom.xml
 * relocates it there and leaves com.fasterxml's out), so jackson-jr, the jackson-core these tests
 * run on and the SDK's copy must be one Jackson version. An SDK upgrade that moves its copy fails
 * here: set {@code aws-sdk-jackson.version} in the root pom to the version this test names.
 */
class JsonLibraryVersionsTest {

  @Test
  void jacksonJrRunsOnTheJacksonCoreTheSdkCarries() {
    var sdk = software.amazon.awssdk.thirdparty.jackson.core.json.PackageVersion.VERSION;
    var jr = com.fasterxml.jackson.jr.ob.PackageVersion.VERSION;
    var core = com.fasterxml.jackson.core.json.PackageVersion.VERSION;
    String sdkCopy =
        sdk.getMajorVersion() + "." + sdk.getMinorVersion() + "." + sdk.getPatchLevel();

    assertThat(sdk.isSnapshot()).isFalse();
    assertThat(jr.getMajorVersion() + "." + jr.getMinorVersion() + "." + jr.getPatchLevel())
        .as("jackson-jr (aws-sdk-jackson.version) against the SDK's jackson-core")
        .isEqualTo(sdkCopy);
    assertThat(core.getMajorVersion() + "." + core.getMinorVersion() + "." + core.getPatchLevel())
        .as("the jackson-core the lambda tests run on")
        .isEqualTo(sdkCopy);
  }
}
