package dev.uploaddashboard.infra;

import static dev.uploaddashboard.infra.Policies.list;
import static dev.uploaddashboard.infra.Policies.map;
import static dev.uploaddashboard.infra.Policies.render;
import static dev.uploaddashboard.infra.Resources.only;
import static dev.uploaddashboard.infra.Resources.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.uploaddashboard.contract.DashboardPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * The generated index.html: web/index.html with a Content-Security-Policy meta element naming the
 * exact API, upload bucket and hosted UI origins, deployed as the only index.html.
 */
class DashboardPageTest {

  private static final String HOSTED_UI = SignInTest.HOSTED_UI;
  private static final String UPLOAD_BUCKET =
      "https://UploadBucket.RegionalDomainName https://UploadBucket.DomainName";
  private static final String EXACT_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'"
          + " ApiHttpApi.ApiEndpoint "
          + UPLOAD_BUCKET
          + " "
          + HOSTED_UI
          + "; img-src 'self' "
          + UPLOAD_BUCKET
          + "; object-src 'none'; base-uri 'none'; form-action 'self' "
          + HOSTED_UI;
  private static final Pattern META =
      Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">");

  /** One source of the site deployment: its staged directory and its deploy-time markers. */
  private record StagedSource(Path dir, Map<String, Object> markers) {}

  private static List<StagedSource> sources;

  @BeforeAll
  static void synth(@TempDir Path outdir) {
    App app =
        App.Builder.create()
            .context(TestApps.context(Map.of(UploadDashboardApp.ONLY, "dev")))
            .outdir(outdir.toString())
            .build();
    Template template = Template.fromStack(UploadDashboardApp.createStacks(app).get(0));
    Path assembly = Path.of(app.synth().getDirectory());
    Map<String, Object> deployment =
        properties(only(template, "Custom::CDKBucketDeployment").getValue());
    List<Object> keys = list(deployment.get("SourceObjectKeys"));
    List<Object> markers = list(deployment.get("SourceMarkers"));
    assertThat(markers).hasSameSizeAs(keys);
    sources = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String hash = ((String) keys.get(i)).replaceFirst("\\.zip$", "");
      Path dir = assembly.resolve("asset." + hash);
      assertThat(dir).as("staged source %s", keys.get(i)).isDirectory();
      sources.add(new StagedSource(dir, map(markers.get(i))));
    }
  }

  @Test
  void exactlyOneIndexHtmlIsDeployedTheGeneratedOne() throws IOException {
    List<StagedSource> withIndex =
        sources.stream().filter(s -> Files.exists(s.dir().resolve("index.html"))).toList();
    assertThat(withIndex).hasSize(1);
    try (Stream<Path> files = Files.list(withIndex.get(0).dir())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("index.html");
    }
    // The web/ asset keeps everything else (index.html excluded at the top level only).
    StagedSource web =
        sources.stream()
            .filter(s -> Files.isDirectory(s.dir().resolve("js")))
            .findFirst()
            .orElseThrow();
    assertThat(web.dir().resolve("js/main.js")).isRegularFile();
    assertThat(web.dir().resolve("index.html")).doesNotExist();
    assertThat(web.markers()).isEmpty();
  }

  @Test
  void generatedIndexNamesTheExactApiUploadBucketAndHostedUiAtDeployTime() throws IOException {
    StagedSource index = indexSource();
    String staged = Files.readString(index.dir().resolve("index.html"), StandardCharsets.UTF_8);
    // The markers are filled in by the deployment with the API endpoint, the upload bucket's
    // domain names and the hosted UI domain.
    assertThat(index.markers().values().stream().map(Policies::render))
        .contains(
            "ApiHttpApi.ApiEndpoint",
            "UploadBucket.RegionalDomainName",
            "UploadBucket.DomainName",
            "UsersUserPoolHostedUi",
            "${AWS::Region}");
    String deployed = fillMarkers(staged, index.markers());

    Matcher meta = META.matcher(deployed);
    assertThat(meta.find()).as(deployed).isTrue();
    assertThat(meta.group(1)).isEqualTo(EXACT_POLICY);
    assertThat(meta.find()).as("one policy element").isFalse();
    // The first element of <head> after the charset declaration, before anything that loads.
    assertThat(deployed)
        .startsWith(
            "<!doctype html>\n<html>\n<head>\n  <meta charset=\"utf-8\">\n  <meta http-equiv=\"Content-Security-Policy\"");
    assertThat(deployed.indexOf("Content-Security-Policy")).isLessThan(deployed.indexOf("<script"));
    assertThat(deployed).doesNotContain("<<marker");
  }

  @Test
  void exactPolicyIsWithinTheHeaderPolicysOuterBound() {
    // The header policy allows the API and S3 by regional wildcard; the exact origins fall inside.
    String header =
        DashboardHosting.contentSecurityPolicy(
            new DashboardHosting.Props(
                List.of(
                    "https://*.execute-api.eu-west-1.amazonaws.com",
                    "https://*.s3.eu-west-1.amazonaws.com",
                    "https://*.s3.amazonaws.com",
                    "https://login.example.com"),
                List.of("https://*.s3.eu-west-1.amazonaws.com", "https://*.s3.amazonaws.com"),
                List.of("https://login.example.com")));
    String meta =
        DashboardPage.pagePolicy(
            "https://abc123.execute-api.eu-west-1.amazonaws.com",
            List.of("https://b-1.s3.eu-west-1.amazonaws.com", "https://b-1.s3.amazonaws.com"),
            "https://login.example.com");
    assertThat(header).contains("frame-ancestors 'none'");
    assertThat(meta).doesNotContain("frame-ancestors", "*", "unsafe-", "data:", "blob:", "http:");
    assertThat(List.of(meta.split("; ")))
        .contains(
            "connect-src 'self' https://abc123.execute-api.eu-west-1.amazonaws.com"
                + " https://b-1.s3.eu-west-1.amazonaws.com https://b-1.s3.amazonaws.com"
                + " https://login.example.com",
            "img-src 'self' https://b-1.s3.eu-west-1.amazonaws.com https://b-1.s3.amazonaws.com",
            "form-action 'self' https://login.example.com");
  }

  @Test
  void synthFailsNamingTheFileWhenThePageHasNoHead(@TempDir Path tmp) throws IOException {
    Path web = Files.createDirectories(tmp.resolve("web"));
    Files.writeString(web.resolve("index.html"), "<!doctype html><title>t</title>");
    App app =
        TestApps.app(
            Map.of(UploadDashboardApp.ONLY, "dev", UploadDashboardApp.WEB_DIR, web.toString()));
    assertThatThrownBy(() -> UploadDashboardApp.createStacks(app))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(web.resolve("index.html").toString())
        .hasMessageContaining("<head>");
  }

  @Test
  void theRepositorysPageAcceptsThePolicy() throws IOException {
    Path page = Path.of("..", "web", "index.html");
    String html = DashboardPage.withPagePolicy(Files.readString(page), "default-src 'self'");
    Matcher meta = META.matcher(html);
    assertThat(meta.find()).isTrue();
    assertThat(html.indexOf("<meta charset")).isLessThan(meta.start());
    for (String loads : List.of("<link", "<script", "<style")) {
      int at = html.indexOf(loads);
      assertThat(at < 0 || at > meta.start()).as(loads).isTrue();
    }
  }

  private static StagedSource indexSource() {
    return sources.stream()
        .filter(s -> Files.exists(s.dir().resolve("index.html")))
        .findFirst()
        .orElseThrow();
  }

  /** The page as the deployment writes it, each marker replaced by its rendered intrinsic. */
  private static String fillMarkers(String staged, Map<String, Object> markers) {
    String filled = staged;
    for (Map.Entry<String, Object> marker : markers.entrySet()) {
      filled = filled.replace(marker.getKey(), render(marker.getValue()));
    }
    return filled;
  }
}
