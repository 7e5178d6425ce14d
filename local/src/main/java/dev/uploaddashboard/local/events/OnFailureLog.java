package dev.uploaddashboard.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local stand-in for the sync function's on-failure queue: one JSON record per line, appended
 * to a file in the data directory (and kept in memory for this run).
 */
public final class OnFailureLog {

  private final Optional<Path> file;
  private final List<String> records = new ArrayList<>();

  public OnFailureLog(Optional<Path> file) {
    this.file = file;
  }

  public synchronized void accept(JsonNode record) {
    String line = record.toString();
    records.add(line);
    if (file.isPresent()) {
      try {
        Files.createDirectories(file.get().getParent());
        Files.writeString(
            file.get(),
            line + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND,
            StandardOpenOption.SYNC);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Records written since this log was opened, oldest first. */
  public synchronized List<String> records() {
    return List.copyOf(records);
  }
}
