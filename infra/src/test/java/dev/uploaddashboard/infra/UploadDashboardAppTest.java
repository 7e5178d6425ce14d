package dev.uploaddashboard.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

/** The app: cdk.json's context in, one stack per environment out, the same bytes every time. */
class UploadDashboardAppTest {

  @Test
  void createsOneStackPerEnvironmentOfCdkJsonInNameOrder() {
    List<UploadDashboardStack> stacks = UploadDashboardApp.createStacks(TestApps.app(Map.of()));
    assertThat(stacks.stream().map(s -> s.getStackName()))
        .containsExactly("UploadDashboard-dev", "UploadDashboard-prod");
    assertThat(stacks.stream().map(s -> s.getNode().getId()))
        .containsExactly("UploadDashboard-dev", "UploadDashboard-prod");
    assertThat(stacks.stream().map(s -> s.getTerminationProtection())).containsExactly(false, true);
    // dev is environment-agnostic: it deploys wherever the deploying credentials point.
    assertThat(Token.isUnresolved(stacks.get(0).getAccount())).isTrue();
    assertThat(Token.isUnresolved(stacks.get(0).getRegion())).isTrue();
    // prod retains data, so cdk.json pins it (no lookup: the values are literals).
    assertThat(stacks.get(1).getAccount()).isEqualTo(TestApps.setting("prod", "account"));
    assertThat(stacks.get(1).getRegion()).isEqualTo(TestApps.setting("prod", "region"));
  }

  @Test
  void anEnvironmentThatRetainsDataMustPinAccountAndRegion() {
    for (Map<String, Object> settings :
        List.<Map<String, Object>>of(
            Map.of(),
            Map.of("retainData", true, "account", "123456789012"),
            Map.of("retainData", true, "region", "eu-west-1"))) {
      assertThatThrownBy(
              () ->
                  UploadDashboardApp.createStacks(
                      TestApps.app(
                          Map.of(UploadDashboardApp.ENVIRONMENTS, Map.of("live", settings)))))
          .as(settings.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Environment 'live'")
          .hasMessageContaining("\"account\" and \"region\" must be set");
    }
  }

  @Test
  void stacksAreTaggedWithTheirEnvironmentThroughStackProps() {
    for (UploadDashboardStack stack : UploadDashboardApp.createStacks(TestApps.app(Map.of()))) {
      String env = stack.getStackName().substring("UploadDashboard-".length());
      assertThat(stack.getTags().tagValues())
          .containsEntry(UploadDashboardStack.ENVIRONMENT_TAG, env);
    }
  }

  /**
   * The README's "Adding an environment" entry, pasted into cdk.json's environments, gives a third
   * stack with the profile it asks for.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theReadmesThirdEnvironmentIsOneCdkJsonEntry() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher snippet =
        Pattern.compile("<!-- tested: third environment -->\\s*```json\\n(.*?)```", Pattern.DOTALL)
            .matcher(readme);
    assertThat(snippet.find()).as("README has the third-environment snippet").isTrue();
    Map<String, Object> entry =
        new ObjectMapper().readValue("{" + snippet.group(1) + "}", new TypeReference<>() {});
    assertThat(entry).hasSize(1);
    String name = entry.keySet().iterator().next();
    Map<String, Object> environments = new HashMap<>(TestApps.ENVIRONMENTS);
    environments.putAll(entry);

    List<UploadDashboardStack> stacks =
        UploadDashboardApp.createStacks(
            TestApps.app(Map.of(UploadDashboardApp.ENVIRONMENTS, environments)));

    assertThat(stacks)
        .extracting(UploadDashboardStack::getStackName)
        .containsExactly("UploadDashboard-dev", "UploadDashboard-prod", "UploadDashboard-" + name);
    UploadDashboardStack third = stacks.get(2);
    Map<String, Object> settings = (Map<String, Object>) entry.get(name);
    assertThat(third.getAccount()).isEqualTo(settings.get("account"));
    assertThat(third.getRegion()).isEqualTo(settings.get("region"));
    Template template = Template.fromStack(third);
    String policy = Boolean.TRUE.equals(settings.get("retainData")) ? "Retain" : "Delete";
    assertThat(Resources.byLogicalId(template, MetadataTable.LOGICAL_ID))
        .containsEntry("DeletionPolicy", policy);
    assertThat(Resources.byLogicalId(template, UploadBucket.LOGICAL_ID))
        .containsEntry("DeletionPolicy", policy);
    String cors =
        Policies.render(
            Resources.properties(Resources.only(template, "AWS::ApiGatewayV2::Api").getValue())
                .get("CorsConfiguration"));
    ((List<String>) settings.getOrDefault("extraCorsOrigins", List.of()))
        .forEach(origin -> assertThat(cors).contains(origin));
  }

  /**
   * cdk.json carries the recommended feature flags of the pinned aws-cdk-lib (as {@code cdk init}
   * writes them), so {@code cdk synth} reports none unconfigured: every flag in the library's
   * report is either set to its recommended value or behaves like it when unset.
   */
  @Test
  @SuppressWarnings("unchecked")
  void everyRecommendedFeatureFlagIsConfigured(@TempDir Path tmp) throws Exception {
    App app =
        App.Builder.create().context(TestApps.context(Map.of())).outdir(tmp.toString()).build();
    UploadDashboardApp.createStacks(app);
    Path assembly = Path.of(app.synth().getDirectory());
    Map<String, Object> manifest =
        new ObjectMapper()
            .readValue(assembly.resolve("manifest.json").toFile(), new TypeReference<>() {});
    Map<String, Object> report =
        ((Map<String, Map<String, Object>>) manifest.get("artifacts"))
            .values().stream()
                .filter(a -> "cdk:feature-flag-report".equals(a.get("type")))
                .findFirst()
                .orElseThrow();
    Map<String, Map<String, Object>> flags =
        (Map<String, Map<String, Object>>)
            ((Map<String, Object>) report.get("properties")).get("flags");
    assertThat(flags).hasSizeGreaterThan(80);
    List<String> unconfigured = new ArrayList<>();
    List<String> notRecommended = new ArrayList<>();
    flags.forEach(
        (name, flag) -> {
          Object recommended = flag.get("recommendedValue");
          if (!flag.containsKey("userValue")) {
            // Unset, a flag has its v2 default, or is off when it has none.
            Map<String, Object> unset =
                (Map<String, Object>) flag.getOrDefault("unconfiguredBehavesLike", Map.of());
            if (!java.util.Objects.equals(unset.getOrDefault("v2", false), recommended)) {
              unconfigured.add(name);
            }
          } else if (!java.util.Objects.equals(flag.get("userValue"), recommended)) {
            notRecommended.add(name);
          }
        });
    assertThat(unconfigured).as("flags cdk.json does not set").isEmpty();
    assertThat(notRecommended).as("flags pinned away from the recommendation").isEmpty();
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
