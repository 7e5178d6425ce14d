package dev.uploaddashboard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalMainTest {

  @Test
  void defaultsToPort8080AndADataDirectoryInTheRepository() {
    LocalOptions options = LocalMain.parse(new String[0]);

    assertThat(options.dashboardPort()).isEqualTo(8080);
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.dataDirectory())
        .hasValueSatisfying(dir -> assertThat(dir.getFileName()).hasToString(".local-data"));
    assertThat(options.webRoot()).endsWith(Path.of("web"));
  }

  @Test
  void readsPortDataDirectoryAndOrigins() {
    LocalOptions options =
        LocalMain.parse(
            new String[] {
              "--port", "9000", "--data-dir", "some/dir", "--cors-origin", "http://127.0.0.1:5173"
            });

    assertThat(options.dashboardPort()).isEqualTo(9000);
    assertThat(options.dataDirectory()).hasValue(Path.of("some/dir").toAbsolutePath().normalize());
    assertThat(options.extraCorsOrigins()).containsExactly("http://127.0.0.1:5173");
  }

  @Test
  void inMemoryKeepsNoDataDirectory() {
    assertThat(LocalMain.parse(new String[] {"--in-memory"}).inMemory()).isTrue();
  }

  @Test
  void helpReturnsNoOptions() {
    assertThat(LocalMain.parse(new String[] {"--help"})).isNull();
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> LocalMain.parse(new String[] {"--port", "http"}))
        .hasMessageContaining("number");
    assertThatThrownBy(() -> LocalMain.parse(new String[] {"--port"}))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> LocalMain.parse(new String[] {"--data-dir", "x", "--in-memory"}))
        .hasMessageContaining("exclude");
    assertThatThrownBy(() -> LocalMain.parse(new String[] {"--verbose"}))
        .hasMessageContaining("unknown option");
  }

  @Test
  void leavesFourPortsAfterTheDashboardsForTheApiS3DynamoDbAndSignIn() {
    assertThat(LocalMain.parse(new String[] {"--port", "65531"}).dashboardPort()).isEqualTo(65531);
    assertThatThrownBy(() -> LocalMain.parse(new String[] {"--port", "65532"}))
        .hasMessageContaining("0..65531");
  }

  @Test
  void developmentUsersHaveDocumentedDefaultPasswordsAndStableIds() {
    LocalOptions defaults = LocalOptions.builder().inMemory().build();
    LocalOptions custom =
        LocalOptions.builder().inMemory().password("bob", "another secret").build();

    assertThat(defaults.users())
        .extracting(user -> user.name() + " " + user.password() + " " + user.admin())
        .containsExactly(
            "alice alice-local-password false",
            "bob bob-local-password false",
            "admin admin-local-password true");
    assertThat(custom.users().get(1).password()).isEqualTo("another secret");
    assertThat(custom.users())
        .extracting(user -> user.sub())
        .isEqualTo(defaults.users().stream().map(user -> user.sub()).toList())
        .doesNotHaveDuplicates()
        .allMatch(sub -> sub.matches("[A-Za-z0-9-]{1,128}"));
    assertThat(defaults.accessTokenLifetime()).isEqualTo(java.time.Duration.ofHours(1));
    assertThat(defaults.refreshTokenLifetime()).isEqualTo(java.time.Duration.ofHours(12));
    assertThatThrownBy(() -> LocalOptions.builder().inMemory().password("mallory", "x").build())
        .hasMessageContaining("unknown development user");
    assertThatThrownBy(
            () ->
                LocalOptions.builder()
                    .inMemory()
                    .accessTokenLifetime(java.time.Duration.ZERO)
                    .build())
        .hasMessageContaining("at least one second");
  }
}
