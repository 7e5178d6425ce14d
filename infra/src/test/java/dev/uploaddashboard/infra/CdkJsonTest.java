package dev.uploaddashboard.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The environments the repository's cdk.json declares: the settings a deployment gets. */
class CdkJsonTest {

  @Test
  void productionRequiresMfaAndEveryEnvironmentCapsConcurrencyAndUploads() throws Exception {
    Map<String, EnvironmentConfig> environments = environments();

    assertThat(environments.get("prod").requireMfa()).isTrue();
    assertThat(environments.get("prod").retainData()).isTrue();
    assertThat(environments.get("prod").limits())
        .isEqualTo(new EnvironmentConfig.Limits(20, 10, 200));
    assertThat(environments.get("dev").limits()).isEqualTo(new EnvironmentConfig.Limits(5, 5, 200));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, EnvironmentConfig> environments() throws Exception {
    Path cdkJson = Path.of("..", "cdk.json");
    if (!Files.exists(cdkJson)) {
      cdkJson = Path.of("cdk.json");
    }
    Map<String, Object> document = new ObjectMapper().readValue(cdkJson.toFile(), Map.class);
    Map<String, Object> environments =
        (Map<String, Object>)
            ((Map<String, Object>) document.get("context")).get(UploadDashboardApp.ENVIRONMENTS);
    Map<String, EnvironmentConfig> configs = new java.util.TreeMap<>();
    environments.forEach(
        (name, entry) ->
            configs.put(name, EnvironmentConfig.fromContext(name, (Map<String, ?>) entry)));
    return configs;
  }
}
