package dev.uploaddashboard.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * Findings of the cdk-nag AwsSolutions rules that were reviewed and accepted, each recorded on the
 * one resource it concerns, with the reason, and with the exact findings ({@code applies_to}) where
 * the rule reports several per resource.
 *
 * <p>They are written as the template metadata cdk-nag reads ({@code Metadata.cdk_nag
 * .rules_to_suppress}), the format cdk-nag documents for templates it did not build, so the app
 * needs no cdk-nag dependency at synth time; the infra tests run the rule pack and fail on any
 * finding not accepted here (NagTest).
 */
final class ReviewedFindings {

  static final String METADATA_KEY = "cdk_nag";

  private ReviewedFindings() {}

  /**
   * Accepts {@code ruleId} on {@code construct} (a CfnResource, or an L2 whose default child is
   * one).
   *
   * @param appliesTo the rule's finding strings this covers (empty: the rule has one finding per
   *     resource)
   */
  @SuppressWarnings("unchecked")
  static void accept(IConstruct construct, String ruleId, String reason, String... appliesTo) {
    CfnResource resource = cfnResource(construct);
    if (reason.length() < 20 || !reason.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          ruleId + " on " + construct.getNode().getPath() + ": write a plain ASCII reason");
    }
    List<Object> rules = new ArrayList<>();
    Object existing = resource.getMetadata(METADATA_KEY);
    if (existing instanceof Map<?, ?> metadata
        && metadata.get("rules_to_suppress") instanceof List<?> list) {
      rules.addAll(list);
    }
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("id", ruleId);
    rule.put("reason", reason);
    if (appliesTo.length > 0) {
      rule.put("applies_to", List.of(appliesTo));
    }
    rules.add(rule);
    resource.addMetadata(METADATA_KEY, Map.of("rules_to_suppress", rules));
  }

  private static CfnResource cfnResource(IConstruct construct) {
    if (construct instanceof CfnResource resource) {
      return resource;
    }
    if (construct.getNode().getDefaultChild() instanceof CfnResource resource) {
      return resource;
    }
    throw new IllegalArgumentException(
        construct.getNode().getPath() + " is not a CloudFormation resource");
  }
}
