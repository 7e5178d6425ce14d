package dev.uploaddashboard.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.App;

/**
 * The CDK app: the only place that reads context. One stack per entry of the {@value #ENVIRONMENTS}
 * context map, named {@code UploadDashboard-<env>}.
 *
 * <p>Context keys (cdk.json or {@code -c key=value}):
 *
 * <ul>
 *   <li>{@value #ENVIRONMENTS}: map of environment name to settings (see {@link
 *       EnvironmentConfig#fromContext}); required.
 *   <li>{@value #ONLY}: synthesize just this environment.
 *   <li>{@value #LAMBDA_PACKAGES}: the directory of the functions' packages ({@code <name>.jar}
 *       each), default {@value #DEFAULT_LAMBDA_PACKAGES}.
 *   <li>{@value #WEB_DIR}: the static dashboard, default {@value #DEFAULT_WEB_DIR}.
 * </ul>
 *
 * <p>Relative paths are resolved against the working directory, which is the repository root when
 * the CDK CLI runs the app.
 */
public final class UploadDashboardApp {

  public static final String ENVIRONMENTS = "upload-dashboard:environments";
  public static final String ONLY = "upload-dashboard:only";
  public static final String LAMBDA_PACKAGES = "upload-dashboard:lambdaPackages";
  public static final String WEB_DIR = "upload-dashboard:webDir";
  public static final String DEFAULT_LAMBDA_PACKAGES = "lambda/target/functions";
  public static final String DEFAULT_WEB_DIR = "web";

  private UploadDashboardApp() {}

  public static void main(String[] args) {
    App app = new App();
    createStacks(app);
    app.synth();
  }

  /** Reads the app's context and adds the selected environments' stacks, in name order. */
  public static List<UploadDashboardStack> createStacks(App app) {
    Object environments = app.getNode().tryGetContext(ENVIRONMENTS);
    if (!(environments instanceof Map<?, ?> map) || map.isEmpty()) {
      throw new IllegalArgumentException(
          "Context '" + ENVIRONMENTS + "' must map environment names to settings (see cdk.json)");
    }
    Map<String, Map<String, ?>> byName = new TreeMap<>();
    map.forEach((name, settings) -> byName.put(String.valueOf(name), settingsOf(name, settings)));

    String only = stringContext(app, ONLY, null);
    if (only != null && !byName.containsKey(only)) {
      throw new IllegalArgumentException(
          "Context '" + ONLY + "' names '" + only + "', known: " + byName.keySet());
    }
    FunctionPackages packages =
        FunctionPackages.in(
            Path.of(
                existingDirectory(
                    stringContext(app, LAMBDA_PACKAGES, DEFAULT_LAMBDA_PACKAGES),
                    " (build it: mvn -pl lambda package)")));
    String webDir = existingDirectory(stringContext(app, WEB_DIR, DEFAULT_WEB_DIR), "");

    List<UploadDashboardStack> stacks = new ArrayList<>();
    byName.forEach(
        (name, settings) -> {
          if (only == null || only.equals(name)) {
            EnvironmentConfig config = EnvironmentConfig.fromContext(name, settings);
            config.requireAccountAndRegionIfRetainingData();
            stacks.add(
                new UploadDashboardStack(
                    app,
                    config.stackName(),
                    new UploadDashboardStack.Props(config, packages, webDir)));
          }
        });
    return stacks;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> settingsOf(Object name, Object settings) {
    if (settings == null) {
      return Map.of();
    }
    if (settings instanceof Map<?, ?> m) {
      return (Map<String, ?>) m;
    }
    throw new IllegalArgumentException(
        "Context '" + ENVIRONMENTS + "." + name + "' must be an object, got " + settings);
  }

  private static String stringContext(App app, String key, String fallback) {
    Object value = app.getNode().tryGetContext(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s && !s.isBlank()) {
      return s;
    }
    throw new IllegalArgumentException("Context '" + key + "' must be a string, got " + value);
  }

  private static String existingDirectory(String path, String hint) {
    Path p = Path.of(path);
    if (!Files.isDirectory(p)) {
      throw new IllegalArgumentException("Directory " + p.toAbsolutePath() + " not found" + hint);
    }
    return path;
  }
}
