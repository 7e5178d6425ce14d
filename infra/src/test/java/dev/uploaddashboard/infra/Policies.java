package dev.uploaddashboard.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awscdk.assertions.Template;

/**
 * Readable views of the IAM in a template. Intrinsics are rendered as text: {@code Fn::GetAtt
 * [UploadBucket, Arn]} becomes {@code UploadBucket.Arn}, {@code Ref AWS::Partition} becomes {@code
 * ${AWS::Partition}}, joins are concatenated; CDK's 8-hex-digit logical ID suffixes are dropped so
 * the views read like construct paths.
 */
final class Policies {

  private Policies() {}

  /** Role name (logical ID without hash) -> sorted lines: trust, managed policies, statements. */
  static Map<String, List<String>> roles(Template template) {
    Map<String, List<String>> roles = new TreeMap<>();
    Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
    template
        .findResources("AWS::IAM::Role")
        .forEach(
            (roleId, role) -> {
              Map<String, Object> props = map(role.get("Properties"));
              TreeSet<String> lines = new TreeSet<>();
              for (Object statement :
                  list(map(props.get("AssumeRolePolicyDocument")).get("Statement"))) {
                lines.add("trust " + statement(map(statement)));
              }
              for (Object managed : list(props.getOrDefault("ManagedPolicyArns", List.of()))) {
                lines.add("managed " + render(managed));
              }
              for (Object inline : list(props.getOrDefault("Policies", List.of()))) {
                lines.addAll(statements(map(map(inline).get("PolicyDocument"))));
              }
              policies.values().stream()
                  .map(p -> map(p.get("Properties")))
                  .filter(p -> list(p.get("Roles")).contains(Map.of("Ref", roleId)))
                  .forEach(p -> lines.addAll(statements(map(p.get("PolicyDocument")))));
              roles.put(strip(roleId), new ArrayList<>(lines));
            });
    return roles;
  }

  /** Statements of one function's role (the role the function with this handler runs as). */
  static List<String> statementsOfFunction(Template template, String handler) {
    String roleId = roleOfFunction(template, handler);
    return roles(template).get(strip(roleId)).stream()
        .filter(line -> line.startsWith("Allow ") || line.startsWith("Deny "))
        .toList();
  }

  static String roleOfFunction(Template template, String handler) {
    List<String> roles =
        template.findResources("AWS::Lambda::Function").values().stream()
            .map(f -> map(f.get("Properties")))
            .filter(p -> handler.equals(p.get("Handler")))
            .map(p -> (String) list(map(p.get("Role")).get("Fn::GetAtt")).get(0))
            .toList();
    if (roles.size() != 1) {
      throw new AssertionError("Expected one function with handler " + handler + ", got " + roles);
    }
    return roles.get(0);
  }

  /** Resource policies (bucket, queue): resource name -> sorted statement lines. */
  static Map<String, List<String>> resourcePolicies(Template template, String type, String key) {
    Map<String, List<String>> result = new TreeMap<>();
    template
        .findResources(type)
        .forEach(
            (id, resource) -> {
              Map<String, Object> props = map(resource.get("Properties"));
              Object target = props.get(key);
              String name = render(target instanceof List<?> l ? l.get(0) : target);
              result.put(name, new ArrayList<>(statements(map(props.get("PolicyDocument")))));
            });
    return result;
  }

  static TreeSet<String> statements(Map<String, Object> document) {
    return list(document.get("Statement")).stream()
        .map(s -> statement(map(s)))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * {@code Allow [principal] actions on resources [if condition]}, actions and resources sorted.
   */
  static String statement(Map<String, Object> s) {
    StringBuilder line = new StringBuilder(String.valueOf(s.get("Effect")));
    if (s.containsKey("Principal")) {
      line.append(" principal ").append(render(s.get("Principal")));
    }
    line.append(' ').append(sortedList(s.get("Action")));
    if (s.containsKey("Resource")) {
      line.append(" on ").append(sortedList(s.get("Resource")));
    }
    if (s.containsKey("Condition")) {
      line.append(" if ").append(render(s.get("Condition")));
    }
    return line.toString();
  }

  private static String sortedList(Object value) {
    List<Object> items = value instanceof List<?> l ? new ArrayList<>(l) : List.of(value);
    return items.stream()
        .map(Policies::render)
        .sorted()
        .collect(Collectors.joining(", ", "[", "]"));
  }

  static String render(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof List<?> l) {
      return l.stream().map(Policies::render).collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof Map<?, ?> m && m.size() == 1) {
      Map.Entry<?, ?> e = m.entrySet().iterator().next();
      Object arg = e.getValue();
      switch (String.valueOf(e.getKey())) {
        case "Ref" -> {
          String ref = (String) arg;
          return ref.startsWith("AWS::") ? "${" + ref + "}" : strip(ref);
        }
        case "Fn::GetAtt" -> {
          return strip((String) list(arg).get(0)) + "." + list(arg).get(1);
        }
        case "Fn::Join" -> {
          return list(list(arg).get(1)).stream()
              .map(Policies::render)
              .collect(Collectors.joining(String.valueOf(list(arg).get(0))));
        }
        case "Fn::Sub" -> {
          return String.valueOf(arg);
        }
        default -> {
          // a condition block or a principal: rendered below
        }
      }
    }
    if (value instanceof Map<?, ?> m) {
      return new TreeMap<>(m)
          .entrySet().stream()
              .map(e -> e.getKey() + "=" + render(e.getValue()))
              .collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(value);
  }

  /** Drops the 8-hex-digit hash CDK appends to logical IDs. */
  static String strip(String logicalId) {
    return logicalId.replaceFirst("[0-9A-F]{8}$", "");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  static List<Object> list(Object o) {
    return o instanceof List<?> l ? new ArrayList<>(l) : List.of(o);
  }
}
