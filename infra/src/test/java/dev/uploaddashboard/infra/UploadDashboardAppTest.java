package dev.uploaddashboard.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.cxapi.CloudAssembly;

/** The app: context in, one stack per environment out, the same bytes every time. */
class UploadDashboardAppTest {

  @Test
  void createsOneEnvironmentAgnosticStackPerEnvironmentInNameOrder() {
    List<UploadDashboardStack> stacks = UploadDashboardApp.createStacks(TestApps.app(Map.of()));
    assertThat(stacks.stream().map(s -> s.getStackName()))
        .containsExactly("UploadDashboard-dev", "UploadDashboard-prod");
    assertThat(stacks.stream().map(s -> s.getNode().getId()))
        .containsExactly("UploadDashboard-dev", "UploadDashboard-prod");
    assertThat(stacks.stream().map(s -> s.getTerminationProtection())).containsExactly(false, true);
    for (UploadDashboardStack stack : stacks) {
      assertThat(Token.isUnresolved(stack.getAccount())).isTrue();
      assertThat(Token.isUnresolved(stack.getRegion())).isTrue();
    }
  }

  @Test
  void onlyContextSelectsOneEnvironment() {
    List<UploadDashboardStack> stacks =
        UploadDashboardApp.createStacks(TestApps.app(Map.of(UploadDashboardApp.ONLY, "prod")));
    assertThat(stacks)
        .extracting(UploadDashboardStack::getStackName)
        .containsExactly("UploadDashboard-prod");
    assertThatThrownBy(
            () ->
                UploadDashboardApp.createStacks(
                    TestApps.app(Map.of(UploadDashboardApp.ONLY, "qa"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("qa");
  }

  @Test
  void accountAndRegionFromContextPinTheStackWithoutLookups() {
    Map<String, Object> environments =
        Map.of("prod", Map.of("account", "123456789012", "region", "eu-west-1"));
    List<UploadDashboardStack> stacks =
        UploadDashboardApp.createStacks(
            TestApps.app(Map.of(UploadDashboardApp.ENVIRONMENTS, environments)));
    assertThat(stacks).hasSize(1);
    assertThat(stacks.get(0).getAccount()).isEqualTo("123456789012");
    assertThat(stacks.get(0).getRegion()).isEqualTo("eu-west-1");
  }

  @Test
  void missingOrInvalidInputsFailWithAClearMessage() {
    assertThatThrownBy(
            () ->
                UploadDashboardApp.createStacks(
                    TestApps.app(Map.of(UploadDashboardApp.LAMBDA_PACKAGES, "no/such/functions"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no/such/functions")
        .hasMessageContaining("mvn -pl lambda package");
    assertThatThrownBy(
            () -> UploadDashboardApp.createStacks(App.Builder.create().context(Map.of()).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(UploadDashboardApp.ENVIRONMENTS);
    assertThatThrownBy(
            () ->
                UploadDashboardApp.createStacks(
                    TestApps.app(
                        Map.of(
                            UploadDashboardApp.ENVIRONMENTS,
                            Map.of("dev", Map.of("extraCorsOrigins", List.of("*")))))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'*'");
  }

  @Test
  void synthesizingTheSameAppTwiceGivesByteIdenticalTemplates(@TempDir Path tmp) throws Exception {
    CloudAssembly first = synth(tmp.resolve("a"));
    CloudAssembly second = synth(tmp.resolve("b"));
    for (String stack : List.of("UploadDashboard-dev", "UploadDashboard-prod")) {
      byte[] a = Files.readAllBytes(Path.of(first.getStackByName(stack).getTemplateFullPath()));
      byte[] b = Files.readAllBytes(Path.of(second.getStackByName(stack).getTemplateFullPath()));
      assertThat(new String(b, java.nio.charset.StandardCharsets.UTF_8))
          .as(stack)
          .isEqualTo(new String(a, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static CloudAssembly synth(Path outdir) {
    App app =
        App.Builder.create().context(TestApps.context(Map.of())).outdir(outdir.toString()).build();
    UploadDashboardApp.createStacks(app);
    return app.synth();
  }
}
