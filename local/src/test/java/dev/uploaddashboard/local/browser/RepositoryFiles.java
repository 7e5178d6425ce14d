package dev.uploaddashboard.local.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files the browser tests need from the repository: axe-core, and where screenshots go. */
final class RepositoryFiles {

  private RepositoryFiles() {}

  /**
   * The repository root: the nearest directory above the working directory with web/ and local/.
   */
  static Path root() {
    String configured = System.getProperty("uploaddashboard.root");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path start = Path.of("").toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("web"))
          && Files.isDirectory(dir.resolve("local"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "Cannot find the repository root (with web/ and local/) above " + start);
  }

  /** axe-core from the root package.json; {@code npm ci} puts it there. */
  static Path axeScript() {
    Path axe = root().resolve("node_modules/axe-core/axe.min.js");
    if (!Files.isRegularFile(axe)) {
      throw new IllegalStateException(
          "axe-core is missing at " + axe + ": run `npm ci` at the repository root");
    }
    return axe;
  }

  /** local/target/screenshots/, created on first use. */
  static Path screenshots() {
    Path dir = root().resolve("local/target/screenshots");
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
