package dev.uploaddashboard.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.uploaddashboard.contract.Functions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * Builds apps the way the CDK CLI does: from the context in the repository's {@code cdk.json}
 * (environments and feature flags), so the assertions test the app that {@code cdk synth} and
 * {@code cdk deploy} build. Only the asset paths are replaced by small fixtures. Templates are
 * synthesized once per JVM and shared by the test classes.
 */
final class TestApps {

  /** The repository's cdk.json (Maven runs the tests in infra/). */
  static final Path CDK_JSON = Path.of("..", "cdk.json");

  /** The {@code context} object of cdk.json. */
  static final Map<String, Object> CDK_JSON_CONTEXT = readCdkJsonContext();

  /** The environments of cdk.json. */
  @SuppressWarnings("unchecked")
  static final Map<String, Object> ENVIRONMENTS =
      (Map<String, Object>) CDK_JSON_CONTEXT.get(UploadDashboardApp.ENVIRONMENTS);

  /** The development origin cdk.json gives dev (a local dev server). */
  static final String DEV_EXTRA_ORIGIN = extraCorsOrigins("dev").get(0);

  private static Path fixtures;
  private static final Map<String, Template> TEMPLATES = new ConcurrentHashMap<>();

  private TestApps() {}

  private static Map<String, Object> readCdkJsonContext() {
    try {
      Map<String, Object> cdkJson =
          new ObjectMapper().readValue(CDK_JSON.toFile(), new TypeReference<>() {});
      @SuppressWarnings("unchecked")
      Map<String, Object> context = (Map<String, Object>) cdkJson.get("context");
      return Map.copyOf(context);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + CDK_JSON.toAbsolutePath(), e);
    }
  }

  /** {@code extraCorsOrigins} of one environment in cdk.json. */
  @SuppressWarnings("unchecked")
  static List<String> extraCorsOrigins(String env) {
    Map<String, Object> settings = (Map<String, Object>) ENVIRONMENTS.get(env);
    return (List<String>) settings.getOrDefault("extraCorsOrigins", List.of());
  }

  /**
   * Whether the environment has the admin MFA guard: only where cdk.json leaves MFA optional (prod
   * requires MFA, so no trigger is deployed there).
   */
  static boolean hasMfaGuard(String env) {
    return !Boolean.TRUE.equals(setting(env, "requireMfa"));
  }

  /** The handlers deployed in the environment, of those given. */
  static List<String> deployedHandlers(String env, java.util.Collection<String> handlers) {
    return handlers.stream()
        .filter(h -> hasMfaGuard(env) || !h.equals(Functions.ADMIN_MFA_GUARD.handlerClass()))
        .sorted()
        .toList();
  }

  /** One setting of one environment in cdk.json (null when absent). */
  @SuppressWarnings("unchecked")
  static Object setting(String env, String key) {
    return ((Map<String, Object>) ENVIRONMENTS.get(env)).get(key);
  }

  /**
   * An expected value as it appears in the environment's template. An environment that cdk.json
   * pins to an account and region (prod) has them, and the partition of the ARNs CDK formats, as
   * literals where an environment-agnostic one has {@code ${AWS::AccountId}}, {@code
   * ${AWS::Region}} and {@code ${AWS::Partition}} (cdk-nag writes these as {@code <AWS::...>}).
   */
  static String pinned(String env, String expected) {
    Object account = setting(env, "account");
    Object region = setting(env, "region");
    if (account == null || region == null) {
      return expected;
    }
    String r = region.toString();
    String partition =
        r.startsWith("cn-") ? "aws-cn" : r.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    String result = expected;
    for (String[] token : List.of(new String[] {"${", "}"}, new String[] {"<", ">"})) {
      result =
          result
              .replace(
                  "arn:" + token[0] + "AWS::Partition" + token[1] + ":", "arn:" + partition + ":")
              .replace(token[0] + "AWS::AccountId" + token[1], account.toString())
              .replace(token[0] + "AWS::Region" + token[1], r);
    }
    return result;
  }

  /**
   * A temp dir with a fake package per function ({@code functions/<name>.jar}, distinct bytes) and
   * a one-page {@code web/}; same bytes always.
   */
  static synchronized Path fixtures() {
    if (fixtures == null) {
      try {
        Path dir = Files.createTempDirectory("upload-dashboard-infra-test");
        Files.createDirectories(dir.resolve("functions"));
        for (String name : FunctionPackages.NAMES) {
          Files.writeString(
              dir.resolve("functions/" + name + ".jar"),
              "fake " + name + " package",
              StandardCharsets.UTF_8);
        }
        Files.createDirectories(dir.resolve("web"));
        Files.writeString(
            dir.resolve("web/index.html"),
            "<!doctype html>\n<html>\n<head>\n  <meta charset=\"utf-8\">\n  <title>t</title>\n"
                + "  <script type=\"module\" src=\"js/main.js\"></script>\n</head>\n<body></body>\n</html>\n",
            StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("web/js"));
        Files.writeString(dir.resolve("web/js/main.js"), "export {};\n", StandardCharsets.UTF_8);
        fixtures = dir;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return fixtures;
  }

  /** cdk.json's context with fixture asset paths; {@code extra} entries win. */
  static Map<String, Object> context(Map<String, Object> extra) {
    Map<String, Object> context = new HashMap<>(CDK_JSON_CONTEXT);
    context.put(UploadDashboardApp.LAMBDA_PACKAGES, fixtures().resolve("functions").toString());
    context.put(UploadDashboardApp.WEB_DIR, fixtures().resolve("web").toString());
    context.putAll(extra);
    return context;
  }

  static App app(Map<String, Object> extraContext) {
    return App.Builder.create().context(context(extraContext)).build();
  }

  /** Template of one environment's stack (synthesized with only that environment selected). */
  static Template template(String env) {
    return TEMPLATES.computeIfAbsent(
        env,
        name -> {
          App app = app(Map.of(UploadDashboardApp.ONLY, name));
          return Template.fromStack(UploadDashboardApp.createStacks(app).get(0));
        });
  }
}
