package dev.uploaddashboard.infra;

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
 * Builds apps the way the CDK CLI would, with context passed explicitly (never cdk.json) and fake
 * assets. Templates are synthesized once per JVM and shared by the test classes.
 */
final class TestApps {

  static final String DEV_EXTRA_ORIGIN = "http://localhost:8080";
  static final String PROD_EXTRA_ORIGIN = "https://files.example.com";

  /** The environments used by most tests: the two profiles, one extra CORS origin each. */
  static final Map<String, Object> ENVIRONMENTS =
      Map.of(
          "dev", Map.of("retainData", false, "extraCorsOrigins", List.of(DEV_EXTRA_ORIGIN)),
          "prod", Map.of("retainData", true, "extraCorsOrigins", List.of(PROD_EXTRA_ORIGIN)));

  private static Path fixtures;
  private static final Map<String, Template> TEMPLATES = new ConcurrentHashMap<>();

  private TestApps() {}

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

  /** Context as cdk.json would give it, plus fixture paths; {@code extra} entries win. */
  static Map<String, Object> context(Map<String, Object> extra) {
    Map<String, Object> context = new HashMap<>();
    context.put(UploadDashboardApp.ENVIRONMENTS, ENVIRONMENTS);
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
