package dev.uploaddashboard.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root, where {@code web/} and {@code .local-data/} live. */
final class RepositoryRoot {

  /** Set by {@code bin/run}; else the root is found by walking up from the working directory. */
  static final String PROPERTY = "uploaddashboard.root";

  private RepositoryRoot() {}

  static Path locate() {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path start = Path.of("").toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("local"))
          && Files.isDirectory(dir.resolve("lambda"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "Cannot find the repository root above "
            + start
            + "; run from inside the repository or set -D"
            + PROPERTY
            + "=<dir>");
  }
}
