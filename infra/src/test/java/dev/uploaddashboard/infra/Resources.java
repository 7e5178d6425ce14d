package dev.uploaddashboard.infra;

import static dev.uploaddashboard.infra.Policies.list;
import static dev.uploaddashboard.infra.Policies.map;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** Small lookups over a synthesized template that Match alone does not express. */
final class Resources {

  private Resources() {}

  /** The resource with this exact logical ID (fails if absent). */
  static Map<String, Object> byLogicalId(Template template, String logicalId) {
    Map<String, Object> resources = map(template.toJSON().get("Resources"));
    Object resource = resources.get(logicalId);
    if (resource == null) {
      throw new AssertionError("No resource with logical ID " + logicalId);
    }
    return map(resource);
  }

  static Map<String, Object> properties(Map<String, Object> resource) {
    return map(resource.get("Properties"));
  }

  /** The single resource of a type (fails if there are none or several). */
  static Map.Entry<String, Map<String, Object>> only(Template template, String type) {
    Map<String, Map<String, Object>> found = template.findResources(type);
    if (found.size() != 1) {
      throw new AssertionError("Expected one " + type + ", found " + found.keySet());
    }
    return found.entrySet().iterator().next();
  }

  /** Properties of the Lambda function with this handler. */
  static Map<String, Object> function(Template template, String handler) {
    List<Map<String, Object>> found =
        template.findResources("AWS::Lambda::Function").values().stream()
            .map(Resources::properties)
            .filter(p -> handler.equals(p.get("Handler")))
            .toList();
    if (found.size() != 1) {
      throw new AssertionError("Expected one function with handler " + handler);
    }
    return found.get(0);
  }

  /** Logical ID of the Lambda function with this handler. */
  static String functionId(Template template, String handler) {
    return template.findResources("AWS::Lambda::Function").entrySet().stream()
        .filter(e -> handler.equals(properties(e.getValue()).get("Handler")))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new AssertionError("No function with handler " + handler));
  }

  /**
   * The function a logical ID stands for: the function itself, or the one a Lambda alias (which
   * invokers call, see {@link JavaFunction#alias()}) belongs to.
   */
  static String functionBehind(Template template, String logicalId) {
    Map<String, Object> resource = byLogicalId(template, logicalId);
    if ("AWS::Lambda::Alias".equals(resource.get("Type"))) {
      return target(properties(resource).get("FunctionName"));
    }
    return logicalId;
  }

  /** The logical ID of the alias of the function with this handler. */
  static String aliasId(Template template, String handler) {
    String function = functionId(template, handler);
    return template.findResources("AWS::Lambda::Alias").entrySet().stream()
        .filter(e -> function.equals(target(properties(e.getValue()).get("FunctionName"))))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElseThrow(() -> new AssertionError("No alias of the function with handler " + handler));
  }

  /** The logical ID a {@code Ref} or {@code Fn::GetAtt} points to. */
  static String target(Object intrinsic) {
    Map<String, Object> m = map(intrinsic);
    if (m.containsKey("Ref")) {
      return (String) m.get("Ref");
    }
    return (String) list(m.get("Fn::GetAtt")).get(0);
  }
}
