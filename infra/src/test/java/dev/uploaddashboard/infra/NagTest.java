package dev.uploaddashboard.infra;

import static dev.uploaddashboard.infra.Policies.list;
import static dev.uploaddashboard.infra.Policies.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The cdk-nag AwsSolutions pack over every stack: nothing is reported, and the findings accepted
 * instead of fixed are exactly the reviewed ones below (reasons in the code, see ReviewedFindings).
 */
class NagTest {

  private static final String BASIC_EXECUTION =
      "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
  private static final String INCOMING =
      "AwsSolutions-IAM5[Resource::<UploadBucket.Arn>/incoming/*]";
  private static final String DEPLOYMENT =
      "CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C";

  /**
   * Logical ID (hash dropped) -> accepted rule, with the exact findings where the rule has several.
   */
  static final Map<String, List<String>> ACCEPTED =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry(
                  "DashboardDistribution",
                  List.of(
                      "AwsSolutions-CFR1",
                      "AwsSolutions-CFR2",
                      "AwsSolutions-CFR3",
                      "AwsSolutions-CFR4")),
              Map.entry("DashboardWebBucket", List.of("AwsSolutions-S1")),
              Map.entry("UsersUserPool", List.of("AwsSolutions-COG3", "AwsSolutions-COG2")),
              Map.entry("SyncFailedEvents", List.of("AwsSolutions-SQS3")),
              Map.entry("FunctionsDeleteFileRoleDefaultPolicy", List.of(INCOMING)),
              Map.entry("FunctionsFileDetailRoleDefaultPolicy", List.of(INCOMING)),
              Map.entry("FunctionsCreateUploadRoleDefaultPolicy", List.of(INCOMING)),
              Map.entry("SyncRoleDefaultPolicy", List.of(INCOMING)),
              Map.entry("ReconcilerReconcileRoleDefaultPolicy", List.of(INCOMING, INCOMING)),
              Map.entry(DEPLOYMENT, List.of("AwsSolutions-L1")),
              Map.entry(
                  DEPLOYMENT + "ServiceRole",
                  List.of("AwsSolutions-IAM4[" + BASIC_EXECUTION + "]")),
              Map.entry(
                  DEPLOYMENT + "ServiceRoleDefaultPolicy",
                  List.of(
                      "AwsSolutions-IAM5[Action::s3:GetObject*, Action::s3:GetBucket*,"
                          + " Action::s3:List*, Action::s3:DeleteObject*, Action::s3:Abort*,"
                          + " Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>"
                          + "-<AWS::Region>/*, Resource::<DashboardWebBucketDCF0ABFE.Arn>/*,"
                          + " Resource::*]")),
              Map.entry(
                  "BucketNotificationsHandler050a0587b7544547bf325f094a3db834Role",
                  List.of("AwsSolutions-IAM4[" + BASIC_EXECUTION + "]"))));

  private static final Map<String, Stack> STACKS = new TreeMap<>();

  @BeforeAll
  static void checkEveryStack() {
    Map<String, Object> environments =
        Map.of(
            "dev",
            TestApps.ENVIRONMENTS.get("dev"),
            "prod",
            TestApps.ENVIRONMENTS.get("prod"),
            "strict",
            Map.of(
                "requireMfa", true,
                "authDomainPrefix", "files-strict-example",
                "account", "123456789012",
                "region", "eu-west-1"));
    App app = TestApps.app(Map.of(UploadDashboardApp.ENVIRONMENTS, environments));
    for (Stack stack : UploadDashboardApp.createStacks(app)) {
      STACKS.put(stack.getStackName(), stack);
    }
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().reports(false).build()));
  }

  @Test
  void noStackHasAnUnacceptedAwsSolutionsErrorOrWarning() {
    assertThat(STACKS).hasSize(3);
    STACKS.forEach(
        (name, stack) -> {
          Annotations annotations = Annotations.fromStack(stack);
          assertThat(
                  messages(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))))
              .as(name + " errors")
              .isEmpty();
          assertThat(
                  messages(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))))
              .as(name + " warnings")
              .isEmpty();
        });
  }

  @Test
  void acceptedFindingsAreExactlyTheReviewedOnes() {
    assertThat(accepted(Template.fromStack(STACKS.get("UploadDashboard-dev")))).isEqualTo(ACCEPTED);
    Map<String, List<String>> prod = new TreeMap<>();
    ACCEPTED.forEach(
        (id, rules) ->
            prod.put(
                id,
                rules.stream()
                    // The asset bucket's ARN is the one that names prod's account and region.
                    .map(r -> r.contains("cdk-hnb659fds-assets") ? TestApps.pinned("prod", r) : r)
                    // COG2 (MFA not required) is only reported where cdk.json leaves MFA optional.
                    .filter(r -> TestApps.hasMfaGuard("prod") || !r.equals("AwsSolutions-COG2"))
                    .toList()));
    assertThat(accepted(Template.fromStack(STACKS.get("UploadDashboard-prod")))).isEqualTo(prod);
  }

  @Test
  void theAcceptedRulesAreThese() {
    TreeSet<String> rules = new TreeSet<>();
    ACCEPTED.values().forEach(l -> l.forEach(r -> rules.add(r.replaceFirst("\\[.*", ""))));
    assertThat(rules)
        .containsExactly(
            "AwsSolutions-CFR1",
            "AwsSolutions-CFR2",
            "AwsSolutions-CFR3",
            "AwsSolutions-CFR4",
            "AwsSolutions-COG2",
            "AwsSolutions-COG3",
            "AwsSolutions-IAM4",
            "AwsSolutions-IAM5",
            "AwsSolutions-L1",
            "AwsSolutions-S1",
            "AwsSolutions-SQS3");
  }

  @Test
  void requiringMfaRemovesTheMfaFindingInsteadOfAcceptingIt() {
    Template strict = Template.fromStack(STACKS.get("UploadDashboard-strict"));
    assertThat(accepted(strict).get("UsersUserPool")).containsExactly("AwsSolutions-COG3");
    Map<String, Object> pool =
        Resources.properties(Resources.only(strict, "AWS::Cognito::UserPool").getValue());
    assertThat(pool.get("MfaConfiguration")).isEqualTo("ON");
  }

  @Test
  void everyAcceptedFindingHasAWrittenReason() {
    Template template = Template.fromStack(STACKS.get("UploadDashboard-prod"));
    for (Map<String, Object> rule :
        rules(template).values().stream().flatMap(List::stream).toList()) {
      assertThat((String) rule.get("reason"))
          .as(String.valueOf(rule.get("id")))
          .hasSizeGreaterThan(60);
    }
  }

  /** Logical ID (hash dropped) -> "rule" or "rule[finding, ...]", in the order they were added. */
  static Map<String, List<String>> accepted(Template template) {
    Map<String, List<String>> result = new TreeMap<>();
    rules(template)
        .forEach(
            (id, rules) ->
                result.put(
                    id,
                    rules.stream()
                        .map(
                            r ->
                                r.get("id")
                                    + (r.containsKey("applies_to")
                                        ? list(r.get("applies_to")).stream()
                                            .map(String::valueOf)
                                            .collect(
                                                java.util.stream.Collectors.joining(", ", "[", "]"))
                                        : ""))
                        .toList()));
    return result;
  }

  private static Map<String, List<Map<String, Object>>> rules(Template template) {
    Map<String, List<Map<String, Object>>> result = new TreeMap<>();
    map(template.toJSON().get("Resources"))
        .forEach(
            (id, resource) -> {
              Object metadata = map(resource).get("Metadata");
              if (metadata != null && map(metadata).get("cdk_nag") != null) {
                List<Map<String, Object>> rules = new ArrayList<>();
                list(map(map(metadata).get("cdk_nag")).get("rules_to_suppress"))
                    .forEach(r -> rules.add(map(r)));
                result.put(Policies.strip(id), rules);
              }
            });
    return result;
  }

  private static List<String> messages(List<software.amazon.awscdk.cxapi.SynthesisMessage> found) {
    return found.stream()
        .map(m -> m.getId() + ": " + m.getEntry().getData())
        .map(String::valueOf)
        .toList();
  }
}
