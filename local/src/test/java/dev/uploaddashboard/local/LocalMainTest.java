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
    assertThat(options.dataDirectory()).hasValueSatisfying(dir -> assertThat(dir.getFileName()).hasToString(".local-data"));
    assertThat(options.webRoot()).endsWith(Path.of("web"));
  }

  @Test
  void readsPortDataDirectoryAndOrigins() {
    LocalOptions options = LocalMain.parse(new String[] {
        "--port", "9000", "--data-dir", "some/dir", "--cors-origin", "http://127.0.0.1:5173"});

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
    assertThatThrownBy(() -> LocalMain.parse(new String[] {"--port", "http"})).hasMessageContaining("number");
    assertThatThrownBy(() -> LocalMain.parse(new String[] {"--port"})).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> LocalMain.parse(new String[] {"--data-dir", "x", "--in-memory"}))
        .hasMessageContaining("exclude");
    assertThatThrownBy(() -> LocalMain.parse(new String[] {"--verbose"})).hasMessageContaining("unknown option");
  }
}
